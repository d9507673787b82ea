import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng.js';
import { TopEntries } from '../../src/core/top-entries.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { topK } from '../../src/processors/top-k/top-k.js';
import { mirostat, mirostatV2 } from '../../src/samplers/mirostat.js';
import { sample } from '../../src/samplers/sample.js';

const rowArb = fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 60 });

/** Softmax in double. */
function probs(x: Float32Array): number[] {
  const m = Math.max(...x);
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('mirostatV2: properties', () => {
  it('μ moves toward τ: μ′ = μ − η(−log₂ p̂ − τ), p̂ renormalised over {p ≥ 2^−μ}; it rises iff the surprise is below τ', () => {
    fc.assert(
      fc.property(rowArb, fc.double({ min: 0.5, max: 8, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer(), (vals, tau, eta, seed) => {
        const x = Float32Array.from(vals);
        const pick = mirostatV2({ tau, eta, rng: createRng(seed) });
        const mu = pick.mu;
        const id = pick(x);
        const p = probs(x);
        const cut = 2 ** -mu;
        let keep = p.map((q, i) => [q, i] as const).filter(([q]) => q >= cut * (1 + 1e-6));
        const near = p.filter((q) => Math.abs(q - cut) <= cut * 1e-6).length;
        if (near > 0) return; // the float32 boundary decides
        const top = Array.from(x).indexOf(Math.max(...x));
        if (keep.length === 0) keep = [[p[top], top]];
        expect(keep.map(([, i]) => i)).toContain(id);
        expect(pick.kept).toBe(keep.length);
        const total = keep.reduce((a, [q]) => a + q, 0);
        const surprise = -Math.log2(p[id] / total);
        const want = mu - eta * (surprise - tau);
        expect(Math.abs(pick.mu - want)).toBeLessThan(1e-4 * (1 + Math.abs(want)));
        if (surprise < tau - 1e-4) expect(pick.mu).toBeGreaterThan(mu);
        if (surprise > tau + 1e-4) expect(pick.mu).toBeLessThan(mu);
      }),
      { numRuns: 1000 },
    );
  });

  it('μ settles: over a long run the mean measured surprise (μ₀ − μₙ)/(ηn) + τ approaches τ (Zipf-like row)', () => {
    const x = Float32Array.from({ length: 2000 }, (_, i) => -1.1 * Math.log(i + 1));
    for (const v1 of [false, true]) {
      for (const tau of [3, 5]) {
        const pick = v1 ? mirostat({ tau, eta: 0.1, rng: createRng(1) }) : mirostatV2({ tau, eta: 0.1, rng: createRng(1) });
        const mu0 = pick.mu;
        const n = 3000;
        let lo = Infinity;
        let hi = -Infinity;
        for (let s = 0; s < n; s++) {
          pick(x);
          lo = Math.min(lo, pick.mu);
          hi = Math.max(hi, pick.mu);
        }
        expect(Math.abs((mu0 - pick.mu) / (0.1 * n))).toBeLessThan(0.05);
        expect(hi - lo).toBeLessThan(4 * tau);
      }
    }
  });

  it('on pipeline candidates it draws only among them, like on the dense row', () => {
    const x = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i) * 3);
    const pipe = pipeline(topK(20));
    const a = Float32Array.from(x);
    pipe(a);
    const d = mirostatV2({ tau: 4, rng: createRng(3) });
    const s = mirostatV2({ tau: 4, rng: createRng(3) });
    for (let i = 0; i < 30; i++) expect(s(a, undefined, pipe.candidates)).toBe(d(a));
  });
});

describe('mirostat (1.0)', () => {
  it('keeps the k the formula gives (first step, μ = 2τ) and never more than the finite cells', () => {
    fc.assert(
      fc.property(rowArb, fc.double({ min: 1, max: 8, noNaN: true }), fc.integer(), (vals, tau, seed) => {
        const x = Float32Array.from(vals);
        const pick = mirostat({ tau, rng: createRng(seed) });
        const id = pick(x);
        expect(pick.kept).toBeGreaterThanOrEqual(1);
        expect(pick.kept).toBeLessThanOrEqual(x.length);
        // the chosen token is among the kept most probable ones
        const rank = Array.from(x).filter((v) => v > x[id]).length;
        expect(rank).toBeLessThan(pick.kept);
      }),
      { numRuns: 1000 },
    );
  });

  it('with μ high enough to keep every finite cell, draws what sample draws from the row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.double({ min: -8, max: 8, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(-Infinity) }), { minLength: 2, maxLength: 600 }),
        fc.integer(),
        (vals, seed) => {
          const x = Float32Array.from(vals);
          const finite = x.filter((v) => v !== -Infinity).length;
          if (finite === 0) return;
          const pick = mirostat({ tau: 5 });
          pick.setState([200]);
          const id = pick(x, createRng(seed));
          expect(pick.kept).toBe(finite);
          expect(id).toBe(sample(x, createRng(seed)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('throws like sample on bad rows and validates options', () => {
    const pick = mirostat({ rng: createRng(1) });
    expect(() => pick(Float32Array.from([NaN, 1]))).toThrow(/NaN/);
    expect(() => pick(Float32Array.from([-Infinity, -Infinity]))).toThrow(/all -Infinity/);
    expect(() => mirostat({ m: 1 })).toThrow(/m/);
    expect(() => mirostat({ tua: 5 } as never)).toThrow(/did you mean "tau"/);
    expect(() => mirostatV2({ eta: Infinity })).toThrow(/eta/);
  });

  it('reads the top-m threshold once per entry taken, not once per cell (each read boxes a number: garbage per cell)', () => {
    const x = new Float32Array(20000);
    const rng = createRng(7);
    for (let i = 0; i < x.length; i++) x[i] = 8 * rng.next();
    const pick = mirostat({ tau: 5, m: 100, rng: createRng(1) });
    pick(x);
    const reads = vi.spyOn(TopEntries.prototype, 'threshold', 'get');
    try {
      pick(x);
      pick(x.subarray(0, 5000));
      // about m + m·ln(n/m) entries are taken from a row in random order (≈ 630 for n = 20,000)
      expect(reads.mock.calls.length).toBeGreaterThan(100);
      expect(reads.mock.calls.length).toBeLessThan(3000);
    } finally {
      reads.mockRestore();
    }
  });
});
