import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unlikelihoodLoss } from '../../src/losses/unlikelihood.js';
import { sequenceUnlikelihoodLoss } from '../../src/losses/sequence-unlikelihood.js';
import { simctgContrastiveLoss } from '../../src/losses/simctg-contrastive.js';

const RUNS = { numRuns: 1000 };
const H = 1e-5;

/** Central finite differences of `f` at every cell of `x` (float64 input, so the step is exact). */
function finiteDiff(x: Float64Array, f: (x: Float64Array) => number): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i] + H;
    const up = f(y);
    y[i] = x[i] - H;
    const down = f(y);
    y[i] = x[i];
    g[i] = (up - down) / (2 * H);
  }
  return g;
}

function expectGradClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > tol * (1 + Math.abs(want[i]))) {
      expect.fail(`cell ${i}: analytic ${got[i]} vs finite differences ${want[i]}`);
    }
  }
}

/** A batch shape and float64 logits in [−6, 6]. */
const tokenInput = fc
  .record({ B: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 1, max: 5 }), V: fc.integer({ min: 2, max: 6 }) })
  .chain(({ B, T, V }) =>
    fc.record({
      B: fc.constant(B),
      T: fc.constant(T),
      V: fc.constant(V),
      z: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: B * T * V, maxLength: B * T * V }),
      y: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: B * T, maxLength: B * T }),
      alpha: fc.double({ min: 0, max: 2, noNaN: true }),
      pad: fc.option(fc.integer({ min: 0, max: Math.min(1, V - 1) })),
      compat: fc.boolean(),
    }),
  );

describe('unlikelihoodLoss properties', () => {
  it('the gradient matches central finite differences (both modes)', () => {
    fc.assert(
      fc.property(tokenInput, ({ B, T, V, z, y, alpha, pad, compat }) => {
        const opts = { batch: B, length: T, vocabSize: V, alpha, padId: pad ?? undefined, ulCompat: compat };
        const x = Float64Array.from(z);
        const r = unlikelihoodLoss(x, y, opts);
        expect(r.grad).toBeInstanceOf(Float64Array);
        expectGradClose(r.grad, finiteDiff(x, (v) => unlikelihoodLoss(v, y, opts).loss));
      }),
      RUNS,
    );
  });

  it('with α = 0 it is the cross-entropy over non-padding targets, and its gradient p − onehot', () => {
    fc.assert(
      fc.property(tokenInput, ({ B, T, V, z, y, pad, compat }) => {
        const r = unlikelihoodLoss(Float64Array.from(z), y, { batch: B, length: T, vocabSize: V, alpha: 0, padId: pad ?? undefined, ulCompat: compat });
        const padId = compat ? (pad ?? 1) : pad;
        let ce = 0;
        for (let i = 0; i < B * T; i++) {
          const row = z.slice(i * V, (i + 1) * V);
          const m = Math.max(...row);
          const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
          for (let k = 0; k < V; k++) {
            const want = y[i] === padId ? 0 : Math.exp(row[k] - m) / s - (k === y[i] ? 1 : 0);
            expect(Math.abs(r.grad[i * V + k] - want)).toBeLessThan(1e-12);
          }
          if (y[i] !== padId) ce -= row[y[i]] - m - Math.log(s);
        }
        expect(Math.abs(r.loss - ce)).toBeLessThan(1e-10 * (1 + ce));
        expect(r.mleLoss).toBe(r.loss);
      }),
      RUNS,
    );
  });

  it('float32 and float64 inputs agree to float32 precision', () => {
    fc.assert(
      fc.property(tokenInput, ({ B, T, V, z, y, alpha, pad, compat }) => {
        const f32 = Float32Array.from(z);
        const opts = { batch: B, length: T, vocabSize: V, alpha, padId: pad ?? undefined, ulCompat: compat };
        const a = unlikelihoodLoss(f32, y, opts);
        const b = unlikelihoodLoss(Float64Array.from(f32), y, opts);
        expect(Math.abs(a.loss - b.loss)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b.loss)));
        for (let i = 0; i < b.grad.length; i++) expect(a.grad[i]).toBe(Math.fround(b.grad[i]));
      }),
      RUNS,
    );
  });
});

/** n-gram windows of xs as strings, to test "has a repeated n-gram" by definition. */
function hasRepeat(xs: number[], n: number): boolean {
  const seen = new Set<string>();
  for (let j = 0; j + n <= xs.length; j++) {
    const key = xs.slice(j, j + n).join(',');
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

const seqInput = fc
  .record({ K: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 9 }), V: fc.integer({ min: 2, max: 5 }), n: fc.integer({ min: 1, max: 4 }) })
  .chain(({ K, C, V, n }) =>
    fc.record({
      K: fc.constant(K),
      C: fc.constant(C),
      V: fc.constant(V),
      n: fc.constant(n),
      z: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: K * C * V, maxLength: K * C * V }),
      x: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: K * C, maxLength: K * C }),
      mean: fc.boolean(),
      compat: fc.boolean(),
    }),
  );

describe('sequenceUnlikelihoodLoss properties', () => {
  it('the gradient matches central finite differences (both modes, both reductions)', () => {
    fc.assert(
      fc.property(seqInput, ({ K, C, V, n, z, x, mean, compat }) => {
        const opts = { batch: K, length: C, vocabSize: V, n, reduction: mean ? ('mean' as const) : ('sum' as const), ulCompat: compat };
        const v = Float64Array.from(z);
        const r = sequenceUnlikelihoodLoss(v, x, opts);
        expectGradClose(r.grad, finiteDiff(v, (w) => sequenceUnlikelihoodLoss(w, x, opts).loss));
      }),
      RUNS,
    );
  });

  it('without a repeated n-gram the loss and the gradient are zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }),
        fc.boolean(),
        (n, distinctIds, tail, compat) => {
          // a sequence of distinct ids, extended while it stays free of repeated n-grams
          const xs = [...distinctIds];
          for (const t of tail) if (!hasRepeat([...xs, t], n)) xs.push(t);
          const V = 12;
          const z = new Float32Array(xs.length * V).map((_, i) => Math.sin(i * 12.9898) * 4);
          const r = sequenceUnlikelihoodLoss(z, xs, { vocabSize: V, n, ulCompat: compat });
          expect(r.loss).toBe(0);
          expect(r.repeatCount).toBe(0);
          expect(r.grad.every((g) => g === 0)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('marks exactly the tokens of repeated windows; compat marks a subset', () => {
    fc.assert(
      fc.property(seqInput, ({ C, V, n, x }) => {
        const xs = x.slice(0, C);
        const z = new Float64Array(C * V);
        const d = sequenceUnlikelihoodLoss(z, xs, { vocabSize: V, n });
        const c = sequenceUnlikelihoodLoss(z, xs, { vocabSize: V, n, ulCompat: true });
        for (let i = 0; i < C; i++) expect(c.mask[i] <= d.mask[i]).toBe(true);
        expect(d.repeatCount > 0).toBe(hasRepeat(xs, n));
        // uniform logits: each marked token costs −log(1 − 1/V)
        expect(d.loss).toBeCloseTo(-d.repeatCount * Math.log(1 - 1 / V), 10);
      }),
      RUNS,
    );
  });
});

const simInput = fc
  .record({ B: fc.integer({ min: 1, max: 2 }), T: fc.integer({ min: 2, max: 5 }), D: fc.integer({ min: 2, max: 5 }) })
  .chain(({ B, T, D }) =>
    fc.record({
      B: fc.constant(B),
      T: fc.constant(T),
      D: fc.constant(D),
      // integers scaled: plain values (fc.double favours 0, −0 and subnormals, i.e. zero vectors)
      h: fc.array(fc.integer({ min: -30000, max: 30000 }).map((v) => v / 10000), { minLength: B * T * D, maxLength: B * T * D }),
      mask: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: B * T, maxLength: B * T }),
      margin: fc.double({ min: 0, max: 1, noNaN: true }),
      meanAll: fc.boolean(),
      compat: fc.boolean(),
      prefixLen: fc.integer({ min: 0, max: 3 }),
    }),
  );

/** Cosine of vectors i and j of h (D each); NaN for a zero vector. */
function cosine(h: ArrayLike<number>, i: number, j: number, D: number): number {
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let d = 0; d < D; d++) {
    dot += h[i * D + d] * h[j * D + d];
    a += h[i * D + d] ** 2;
    b += h[j * D + d] ** 2;
  }
  return dot / Math.sqrt(a * b);
}

describe('simctgContrastiveLoss properties', () => {
  it('the gradient matches central finite differences away from the hinge', () => {
    fc.assert(
      fc.property(simInput, ({ B, T, D, h, mask, margin, meanAll, compat, prefixLen }) => {
        for (let i = 0; i < B * T; i++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += h[i * D + d] ** 2;
          fc.pre(s > 0.05); // clear of the zero vector
        }
        for (let b = 0; b < B; b++) {
          for (let i = 0; i < T; i++) {
            for (let j = 0; j < T; j++) {
              if (i !== j) fc.pre(Math.abs(margin - 1 + cosine(h, b * T + i, b * T + j, D)) > 1e-3); // clear of relu's kink
            }
          }
        }
        const opts = { batch: B, length: T, hiddenSize: D, margin, mask, prefixLen, reduction: meanAll ? ('meanAll' as const) : ('pairs' as const), simctgCompat: compat };
        const x = Float64Array.from(h);
        const r = simctgContrastiveLoss(x, opts);
        if (Number.isNaN(r.loss)) {
          // compat with no valid pair: 0/0, as the original
          expect(compat && r.pairCount === 0).toBe(true);
          return;
        }
        expectGradClose(r.grad, finiteDiff(x, (v) => simctgContrastiveLoss(v, opts).loss));
      }),
      RUNS,
    );
  });

  it('is invariant to scaling the hidden vectors by positive factors (each its own)', () => {
    fc.assert(
      fc.property(simInput, fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 10, maxLength: 10 }), ({ B, T, D, h, mask, margin, meanAll, prefixLen }, factors) => {
        const opts = { batch: B, length: T, hiddenSize: D, margin, mask, prefixLen, reduction: meanAll ? ('meanAll' as const) : ('pairs' as const) };
        const x = Float64Array.from(h);
        const scaled = x.map((v, i) => v * factors[Math.floor(i / D) % 10]);
        const a = simctgContrastiveLoss(x, opts);
        const b = simctgContrastiveLoss(scaled, opts);
        expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-9);
        // ∂L/∂(c·h) = (1/c)·∂L/∂h
        for (let i = 0; i < x.length; i++) {
          const c = factors[Math.floor(i / D) % 10];
          expect(Math.abs(b.grad[i] * c - a.grad[i])).toBeLessThan(1e-6 * (1 + Math.abs(a.grad[i])));
        }
      }),
      RUNS,
    );
  });

  it('is zero, with a zero gradient, when every pair is separated by more than the margin', () => {
    fc.assert(
      fc.property(simInput, fc.double({ min: 0, max: 0.999, noNaN: true }), ({ B, T, D, h, mask, prefixLen }, u) => {
        let maxCos = -1;
        for (let b = 0; b < B; b++) {
          for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) if (i !== j) maxCos = Math.max(maxCos, cosine(h, b * T + i, b * T + j, D) || 0);
        }
        // parallel vectors (maxCos = 1) are separated by nothing: the claim needs a real gap
        fc.pre(maxCos < 1 - 1e-6);
        const margin = (1 - maxCos) * u; // s_ii − s_ij ≥ 1 − maxCos > margin for every pair
        const r = simctgContrastiveLoss(Float64Array.from(h), { batch: B, length: T, hiddenSize: D, margin, mask, prefixLen });
        expect(r.loss).toBe(0);
        expect(r.grad.every((g) => g === 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('never gives NaN for zero hidden vectors in the default mode; compat does, as the original', () => {
    fc.assert(
      fc.property(simInput, fc.integer({ min: 0, max: 9 }), ({ B, T, D, h, mask, margin }, zeroAt) => {
        const x = Float64Array.from(h);
        const at = zeroAt % (B * T);
        x.fill(0, at * D, (at + 1) * D);
        const r = simctgContrastiveLoss(x, { batch: B, length: T, hiddenSize: D, margin, mask });
        expect(Number.isNaN(r.loss)).toBe(false);
        expect(r.grad.some(Number.isNaN)).toBe(false);
        expect(r.grad.subarray(at * D, (at + 1) * D).every((g) => g === 0)).toBe(true);
        const c = simctgContrastiveLoss(x, { batch: B, length: T, hiddenSize: D, margin, mask, simctgCompat: true });
        expect(c.loss).toBeNaN();
        const b = Math.floor(at / T);
        expect(c.grad.subarray(b * T * D, (b + 1) * T * D).every(Number.isNaN)).toBe(true);
      }),
      RUNS,
    );
  });
});
