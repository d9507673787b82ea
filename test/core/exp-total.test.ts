/**
 * exp-total: the sums of expTotal / expMoments against the exact routes' sums (Σ over expNeg of the
 * float32 differences, in index order) within the stated bounds, and the block-skipping scan.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blockCeilingsAfterTotal,
  EXP_MOMENT_ABS_ERROR,
  expMomentErrorBound,
  expMoments,
  expTotal,
  expTotalErrorBound,
  expTotalResult,
  indicesAtLeastAfterTotal,
} from '../../src/core/exp-total.js';
import { exactSums } from '../helpers/exact-sums.js';

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true, min: -120, max: 40 }) },
  { weight: 2, arbitrary: fc.integer({ min: -30, max: 30 }).map((v) => v / 4) },
  { weight: 1, arbitrary: fc.constant(-Infinity) },
);
/** rows of up to 3 blocks; `order` 1 sorts them ascending (the running max rises at every cell: the longest rescale chains) */
const rows = fc
  .tuple(fc.array(cell, { minLength: 1, maxLength: 800 }), fc.integer({ min: 0, max: 2 }))
  .map(([vals, order]) => {
    const x = Float32Array.from(vals);
    if (order === 1) x.sort();
    if (order === 2) for (let i = 0; i < x.length; i++) x[i] = Math.fround(i / 64 + (x[i] > -Infinity ? x[i] / 1e3 : 0));
    return x;
  });

/** the cells' ids but every `skip`-th, the others set to -Infinity in a copy (a candidate list) */
function thinned(x: Float32Array, skip: number): { y: Float32Array; ids: Int32Array } {
  const y = Float32Array.from(x);
  const ids: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (skip > 1 && i % skip === 1) y[i] = -Infinity;
    else ids.push(i);
  }
  return { y, ids: Int32Array.from(ids) };
}

describe('expTotal / expMoments: error bounds against the exact sums', () => {
  it('|S / S* − 1| ≤ expTotalErrorBound(n), dense and over candidates, with the same bits on both', () => {
    const a = expTotalResult();
    const b = expTotalResult();
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 5 }), (x0, skip) => {
        const { y: x, ids } = thinned(x0, skip);
        const ex = exactSums(x);
        expTotal(x, null, x.length, a);
        expTotal(x, ids, ids.length, b);
        expect(a.max).toBe(ex.m);
        expect(b.sum).toBe(a.sum);
        if (ex.m === -Infinity) return;
        expect(Math.abs(a.sum / ex.s - 1)).toBeLessThanOrEqual(expTotalErrorBound(ids.length));
      }),
      { numRuns: 1000 },
    );
  });

  it('expMoments: |S / S* − 1| ≤ expTotalErrorBound(n), |D − W*| ≤ expMomentErrorBound(n)·|D| + n·EXP_MOMENT_ABS_ERROR', () => {
    const a = expTotalResult();
    fc.assert(
      fc.property(rows, (x) => {
        const ex = exactSums(x);
        expMoments(x, null, x.length, a);
        if (ex.m === -Infinity) return;
        const n = x.length;
        expect(Math.abs(a.sum / ex.s - 1)).toBeLessThanOrEqual(expTotalErrorBound(n));
        expect(Math.abs(a.moment - ex.w)).toBeLessThanOrEqual(expMomentErrorBound(n) * Math.abs(a.moment) + n * EXP_MOMENT_ABS_ERROR);
      }),
      { numRuns: 1000 },
    );
  });

  it('the bounds can fail: a sum off by 1e-5 exceeds them', () => {
    expect(expTotalErrorBound(128256)).toBeLessThan(1e-5);
    expect(expMomentErrorBound(128256)).toBeLessThan(1e-5);
  });
});

describe('indicesAtLeastAfterTotal', () => {
  it('lists exactly the ids with x ≥ cut, in order, after expTotal or expMoments of the row (blocks skipped or not)', () => {
    const r = expTotalResult();
    const out = new Int32Array(800);
    fc.assert(
      fc.property(rows, fc.double({ min: 0, max: 30, noNaN: true }), fc.boolean(), (x, below, moments) => {
        if (moments) expMoments(x, null, x.length, r);
        else expTotal(x, null, x.length, r);
        if (!(r.max > -Infinity)) return;
        const cut = r.max - below;
        const c = indicesAtLeastAfterTotal(x, x.length, Float64Array.of(cut), out);
        const want: number[] = [];
        for (let i = 0; i < x.length; i++) if (x[i] >= cut) want.push(i);
        expect(Array.from(out.subarray(0, c))).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('blockCeilingsAfterTotal', () => {
  it('after a dense expTotal, no cell exceeds its block bound, and the bound of the max block is within 256× of its max (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ min: -200, max: 200, noNaN: true, noDefaultInfinity: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 1200 }),
        (vals) => {
          const x = Float32Array.from(vals);
          const tot = expTotalResult();
          expTotal(x, null, x.length, tot);
          const out = new Float64Array(8);
          const nb = blockCeilingsAfterTotal(x, x.length, out);
          expect(nb).toBe(Math.ceil(x.length / 256));
          let over = -1;
          for (let t = 0; t < x.length; t++) if (x[t] > out[t >> 8]) over = t;
          expect(over).toBe(-1);
          if (tot.max > -Infinity) {
            const b = x.indexOf(tot.max) >> 8;
            expect(out[b]).toBeLessThanOrEqual(tot.max + Math.log(256) + 1e-5);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('returns 0 (writes nothing) unless the last expTotal was over the same row', () => {
    const x = Float32Array.from([1, 2, 3]);
    const tot = expTotalResult();
    expTotal(x, null, 3, tot);
    const out = new Float64Array(1).fill(7);
    expect(blockCeilingsAfterTotal(Float32Array.from([1, 2, 3]), 3, out)).toBe(0);
    expect(blockCeilingsAfterTotal(x, 3, out)).toBe(1);
    expect(out[0]).toBeGreaterThanOrEqual(3);
    expTotal(x, Int32Array.from([0, 2]), 2, tot);
    expect(blockCeilingsAfterTotal(x, 3, out)).toBe(0);
  });
});
