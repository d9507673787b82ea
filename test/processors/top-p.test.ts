import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topP } from '../../src/processors/top-p/top-p.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, f32, rowArb } from './warp-props.js';

describe('topP: HF parity', () => {
  parityCases('TopPLogitsWarper', (p) => topP(p.top_p, warperOptions(p)));
});

/** HF's rule written out: stable ascending sort, float32 probs, double cumsum rounded, ≤ fround(1−p). */
function reference(vals: number[], p: number, mtk: number): Float32Array {
  const x = f32(vals);
  const n = x.length;
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === -Infinity) return x;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] !== x[b] ? x[a] - x[b] : a - b));
  let s = 0;
  for (const v of x) s += Math.exp(Math.fround(v - m));
  const thr = Math.fround(1 - p);
  let acc = 0;
  const out = Float32Array.from(x);
  order.forEach((id, pos) => {
    acc += Math.fround(Math.exp(Math.fround(x[id] - m)) / s);
    if (Math.fround(acc) <= thr && pos < n - mtk) out[id] = -Infinity;
  });
  return out;
}

describe('topP: properties', () => {
  it('equals the sort-based reference (up to 1e-9 from the fast exp at the threshold)', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 4 }), (vals, p, mtk) => {
        const x = f32(vals);
        topP(p, { minTokensToKeep: mtk })(x);
        const ref = reference(vals, p, mtk);
        expect(Array.from(x)).toEqual(Array.from(ref));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the smallest descending prefix with mass ≥ p (distinct logits), and ≥ minTokensToKeep', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -400, max: 400 }), { minLength: 1, maxLength: 64 }).map((a) => a.map((v) => v / 40)),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        (vals, p, mtk) => {
          const x = f32(vals);
          topP(p, { minTokensToKeep: mtk })(x);
          const desc = [...vals].sort((a, b) => b - a);
          let s = 0;
          for (const v of desc) s += Math.exp(v - desc[0]);
          let mass = 0;
          let need = 0;
          while (need < desc.length && mass < p - 1e-6) mass += Math.exp(desc[need++] - desc[0]) / s;
          const kept = vals.filter((_, i) => x[i] !== -Infinity).length;
          expect(kept).toBeGreaterThanOrEqual(Math.min(mtk, vals.length));
          // away from the float32 boundary, the kept count is max(need, mtk)
          if (Math.abs(mass - p) > 1e-5) expect(kept).toBe(Math.max(need, Math.min(mtk, vals.length), 1));
          for (let i = 0; i < vals.length; i++) if (x[i] !== -Infinity) expect(x[i]).toBe(Math.fround(vals[i]));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never removes every token and never introduces NaN', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 0, max: 1, noNaN: true }), (vals, p) => {
        const x = f32(vals);
        topP(p, { filterValue: -5e3 })(x);
        let kept = 0;
        for (let i = 0; i < x.length; i++) {
          expect(Number.isNaN(x[i])).toBe(false);
          if (x[i] === Math.fround(vals[i])) kept++;
        }
        expect(kept).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it('sparse and truncate leave exactly the plain result', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.integer(), (vals, p, mtk, seed) => {
        checkCandidateMethods(() => topP(p, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });

  /** Rows of n cells whose nucleus is wider than the 256-cell head: a flat spread, some ties, some -Infinity. */
  const wideRowArb = (minN: number, maxN: number) =>
    fc
      .record({
        n: fc.integer({ min: minN, max: maxN }),
        spread: fc.double({ min: 0.5, max: 12, noNaN: true }),
        grid: fc.constantFrom(0, 8, 64),
        seed: fc.integer(),
        negInf: fc.double({ min: 0, max: 0.3, noNaN: true }),
      })
      .map(({ n, spread, grid, seed, negInf }) => {
        let s = seed >>> 0 || 1;
        const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
        return Array.from({ length: n }, () => {
          if (rnd() < negInf) return -Infinity;
          const v = -spread * rnd() * rnd(); // most cells near the max: a wide nucleus
          return grid === 0 ? Math.fround(v) : Math.round(v * grid) / grid;
        });
      });

  /** The reference, and whether its cut is within 1e-6 of the threshold (there the float rounding may differ). */
  function nearBoundary(vals: number[], p: number): boolean {
    const x = f32(vals);
    let m = -Infinity;
    for (const v of x) if (v > m) m = v;
    const sorted = Array.from(x).sort((a, b) => a - b);
    let s = 0;
    for (const v of x) s += Math.exp(Math.fround(v - m));
    const thr = Math.fround(1 - p);
    let acc = 0;
    for (const v of sorted) {
      acc += Math.exp(Math.fround(v - m)) / s;
      if (Math.abs(acc - thr) < 1e-6) return true;
    }
    return false;
  }

  it('rows of a few thousand cells with wide nuclei: the selection path equals the sort-based reference', () => {
    fc.assert(
      fc.property(wideRowArb(1000, 5000), fc.double({ min: 0.3, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 3000 }), (vals, p, mtk) => {
        expectReference(vals, p, mtk);
      }),
      { numRuns: 150 },
    );
  });

  it('rows of 257–700 cells (beyond the 64-candidate head: the selection path, minTokensToKeep, filter values, candidates)', () => {
    fc.assert(
      fc.property(wideRowArb(257, 700), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 400 }), fc.integer(), (vals, p, mtk, seed) => {
        expectReference(vals, p, mtk);
        checkCandidateMethods(() => topP(p, { minTokensToKeep: mtk, filterValue: seed % 3 === 0 ? -9 : -Infinity }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });

  /** topP(p, minTokensToKeep mtk) on `vals` equals the sort-based reference; one cell may differ when the cut is within 1e-6 of the threshold. */
  function expectReference(vals: number[], p: number, mtk: number): void {
    const x = f32(vals);
    topP(p, { minTokensToKeep: mtk })(x);
    const ref = reference(vals, p, mtk);
    let diff = 0;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], ref[i])) diff++;
    if (nearBoundary(vals, p)) expect(diff).toBeLessThanOrEqual(1);
    else expect(diff).toBe(0);
  }

  /** LM-like rows of more than 1,024 cells: a noisy bulk, a few tokens lifted above it, ties, -Infinity cells. */
  const peakedRowArb = () =>
    fc
      .record({
        n: fc.integer({ min: 1025, max: 4000 }),
        sigma: fc.double({ min: 0.3, max: 3, noNaN: true }),
        lifted: fc.integer({ min: 0, max: 12 }),
        margin: fc.double({ min: 0, max: 14, noNaN: true }),
        grid: fc.constantFrom(0, 16),
        seed: fc.integer(),
        negInf: fc.constantFrom(0, 0.05, 0.9),
      })
      .map(({ n, sigma, lifted, margin, grid, seed, negInf }) => {
        let s = seed >>> 0 || 1;
        const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
        const v = Array.from({ length: n }, () => {
          if (rnd() < negInf) return -Infinity;
          const u = Math.max(rnd(), 1e-12);
          return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
        });
        for (let k = 0; k < lifted; k++) v[Math.floor(rnd() * n)] = 3 * sigma + margin * (1 - 0.7 * rnd());
        return v.map((x) => (grid === 0 || x === -Infinity ? Math.fround(x) : Math.round(x * grid) / grid));
      });

  it('rows of 1,025–4,000 cells with a few likely tokens (the fused-pass route and its fall-back): the sort-based reference; sparse and truncate agree', () => {
    fc.assert(
      fc.property(peakedRowArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 }), fc.integer(), (vals, p, mtk, seed) => {
        expectReference(vals, p, mtk);
        checkCandidateMethods(() => topP(p, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });

  it('p within 1e-3 of 1 on rows of thousands of cells (the histogram when it holds every cell, else the exact sum): the sort-based reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 3000 }),
        fc.double({ min: 1, max: 80, noNaN: true }),
        fc.integer(),
        fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
        fc.integer({ min: 1, max: 3 }),
        (n, spread, seed, q, mtk) => {
          let s = seed >>> 0 || 1;
          const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
          const vals = Array.from({ length: n }, () => Math.fround(-spread * rnd() * rnd()));
          const p = 1 - q;
          expectReference(vals, p, mtk);
          checkCandidateMethods(() => topP(p, { minTokensToKeep: mtk }), vals, seed);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('large rows: the one-pass path and the selection path agree with the reference', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (const spread of [0.05, 0.5, 3, 8]) {
      const vals = Array.from({ length: 6000 }, () => Math.fround((rnd() - 0.5) * spread * 10));
      for (const p of [0.1, 0.5, 0.9, 0.99]) {
        const x = f32(vals);
        topP(p)(x);
        const ref = reference(vals, p, 1);
        let diff = 0;
        for (let i = 0; i < x.length; i++) if (!Object.is(x[i], ref[i])) diff++;
        expect(diff).toBeLessThanOrEqual(1); // the boundary token may flip within ~1e-7 (unrounded tail)
      }
    }
  });
});

describe('topP: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(topP(0.8)(new Float32Array([3, 2, 1, 0])))).toEqual([3, 2, -Infinity, -Infinity]);
    expect(topP(0.9).label).toBe('topP(0.9)');
  });
  it('NaN / +Infinity / all -Infinity rows are left unchanged', () => {
    for (const r of [[1, NaN, 2], [1, Infinity, 2], [-Infinity, -Infinity]]) {
      const x = new Float32Array(r);
      topP(0.5)(x);
      expect(Array.from(x)).toEqual(Array.from(new Float32Array(r)));
    }
  });
  it('rejects bad options', () => {
    expect(() => topP(1.5)).toThrow(RangeError);
    expect(() => topP(-0.1)).toThrow(RangeError);
    expect(() => topP(NaN)).toThrow(TypeError);
    expect(() => topP(0.5, { minTokensToKeep: 0 })).toThrow(RangeError);
  });
});
