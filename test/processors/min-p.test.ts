import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minP } from '../../src/processors/min-p.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, expectSameRow, f32, rowArb } from './warp-props.js';

describe('minP: HF parity', () => {
  parityCases('MinPLogitsWarper', (p) => minP(p.min_p, warperOptions(p)));
});

/** HF's rule written out with Math.exp: p < fround(min_p)·max p, then the mtk largest re-admitted. */
function reference(vals: number[], p: number, mtk: number, filter = -Infinity): Float32Array {
  const x = f32(vals);
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === -Infinity) return x;
  let s = 0;
  for (const v of x) s += Math.exp(Math.fround(v - m));
  const c = Math.fround(Math.fround(p) * Math.fround(1 / s));
  const out = Float32Array.from(x);
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => (x[a] !== x[b] ? x[b] - x[a] : a - b));
  const top = new Set(order.slice(0, mtk));
  for (let i = 0; i < x.length; i++) if (Math.fround(Math.exp(Math.fround(x[i] - m)) / s) < c && !top.has(i)) out[i] = filter;
  return out;
}

describe('minP: properties', () => {
  it('equals the written-out rule; keeps ≥ minTokensToKeep; survivors unchanged', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 4 }), (vals, p, mtk) => {
        const x = f32(vals);
        minP(p, { minTokensToKeep: mtk })(x);
        expect(Array.from(x)).toEqual(Array.from(reference(vals, p, mtk)));
        const kept = vals.filter((_, i) => x[i] !== -Infinity).length;
        if (vals.some((v) => v !== -Infinity)) expect(kept).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it('cells right at the threshold (min_p = e^-d) are decided exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 2, maxLength: 64 }), fc.integer({ min: 0, max: 8 }), (ints, d) => {
        const vals = ints.map((v) => v / 2);
        const p = Math.exp(-d / 2);
        const x = f32(vals);
        minP(p)(x);
        expect(Array.from(x)).toEqual(Array.from(reference(vals, p, 1)));
      }),
      { numRuns: 1000 },
    );
  });

  it('never introduces NaN (finite filter value)', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 0, max: 1, noNaN: true }), (vals, p) => {
        const x = f32(vals);
        minP(p, { filterValue: -1e4 })(x);
        for (const v of x) expect(Number.isNaN(v)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('sparse and truncate leave exactly the plain result', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.integer(), (vals, p, mtk, seed) => {
        checkCandidateMethods(() => minP(p, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('minP: long rows whose running max rises (the survivors are listed during the max pass)', () => {
  /** n cells from a seed: a rising (or falling) trend plus noise, quantised to halves or not, some -Infinity. */
  function longRow(n: number, seed: number, trend: number, quantised: boolean): number[] {
    let s = seed >>> 0 || 1;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    return Array.from({ length: n }, (_, i) => {
      if (rnd() < 0.05) return -Infinity;
      const v = trend * (i / n) * 12 + (rnd() - 0.5) * 6;
      return Math.fround(quantised ? Math.round(v * 2) / 2 : v);
    });
  }
  const args = fc.tuple(
    fc.integer({ min: 2, max: 3000 }),
    fc.integer(),
    fc.constantFrom(1, -1, 0, 0.1),
    fc.boolean(),
    fc.oneof(fc.integer({ min: 0, max: 12 }).map((d) => Math.exp(-d / 2)), fc.double({ min: 0, max: 1, noNaN: true })),
    fc.integer({ min: 1, max: 40 }),
  );
  it('equal the written-out rule (also with a finite filter value), and sparse and truncate leave the plain result', () => {
    fc.assert(
      fc.property(args, ([n, seed, trend, quantised, p, mtk]) => {
        const vals = longRow(n, seed, trend, quantised);
        const want = reference(vals, p, mtk);
        const x = f32(vals);
        minP(p, { minTokensToKeep: mtk })(x);
        expectSameRow(x, want);
        const y = f32(vals);
        minP(p, { minTokensToKeep: mtk, filterValue: -7 })(y);
        expectSameRow(y, reference(vals, p, mtk, -7));
        checkCandidateMethods(() => minP(p, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('minP: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(minP(0.3)(new Float32Array([3, 2, 1, 0])))).toEqual([3, 2, -Infinity, -Infinity]);
    expect(minP(0.05).label).toBe('minP(0.05)');
  });
  it('rejects bad options', () => {
    expect(() => minP(1.5)).toThrow(RangeError);
    expect(() => minP(-0.1)).toThrow(RangeError);
    expect(() => minP(0.1, { minTokensToKeep: 0 })).toThrow(RangeError);
  });
});
