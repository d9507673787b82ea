/** exp-blocks and top-p's first pass, the one-pass row scans behind sample and topP, against direct sums. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXP_BLOCK_SHIFT, expBlockSums, expBlockSumsIds } from '../../src/core/exp-blocks.js';
import { HIST_LIMIT, HIST_RING, histLeftOut, scanSoftmaxTop } from '../../src/processors/top-p/first-pass.js';

const BLOCK = 1 << EXP_BLOCK_SHIFT;
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true, min: -40, max: 40 }) },
  { weight: 1, arbitrary: fc.constant(-Infinity) },
);
const rowArb = fc.array(cell, { minLength: 1, maxLength: 3 * BLOCK + 17 });

function direct(x: ArrayLike<number>, ids?: ArrayLike<number>): { max: number; sum: number } {
  const pick = ids ? Array.from(ids, (i) => x[i]) : Array.from(x);
  const max = Math.max(...pick);
  let sum = 0;
  if (max > -Infinity) for (const v of pick) sum += Math.exp(v - max);
  return { max, sum };
}

describe('expBlockSums', () => {
  it('the block sums brought to the row max add up to Σ exp(x − max) (relative error < 1e-7)', () => {
    fc.assert(
      fc.property(rowArb, (vals) => {
        const x = Float32Array.from(vals);
        const nb = Math.ceil(x.length / BLOCK);
        const W = new Float64Array(nb);
        const M = new Float64Array(nb);
        const m = expBlockSums(x, x.length, W, M);
        const ref = direct(x);
        expect(m).toBe(ref.max);
        if (m === -Infinity) return;
        let total = 0;
        for (let b = 0; b < nb; b++) if (W[b] > 0) total += W[b] * Math.exp(M[b] - m);
        expect(Math.abs(total - ref.sum) / ref.sum).toBeLessThan(1e-7);
      }),
      { numRuns: 1000 },
    );
  });
  it('returns NaN at the first NaN or +Infinity', () => {
    const W = new Float64Array(1), M = new Float64Array(1);
    expect(expBlockSums(Float32Array.from([0, NaN, 1]), 3, W, M)).toBeNaN();
    expect(expBlockSums(Float32Array.from([0, Infinity]), 2, W, M)).toBeNaN();
  });
});

describe('expBlockSumsIds', () => {
  it('over sorted ids: one group per non-empty block, starts in S, and the same total', () => {
    fc.assert(
      fc.property(rowArb, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (vals, picks) => {
        const x = Float32Array.from(vals);
        const ids = Int32Array.from(new Set(picks.map((p) => p % x.length))).sort();
        const W = new Float64Array(ids.length + 1), M = new Float64Array(ids.length + 1), S = new Int32Array(ids.length + 1);
        const out = new Float64Array(2);
        const nc = expBlockSumsIds(x, ids, ids.length, W, M, S, out);
        const blocks = [...new Set(Array.from(ids, (i) => i >> EXP_BLOCK_SHIFT))];
        expect(nc).toBe(blocks.length);
        for (let c = 0; c < nc; c++) expect(ids[S[c]] >> EXP_BLOCK_SHIFT).toBe(blocks[c]);
        expect(S[nc]).toBe(ids.length);
        const ref = direct(x, ids);
        expect(out[0]).toBe(ref.max);
        if (ref.max === -Infinity) return;
        let total = 0;
        for (let c = 0; c < nc; c++) if (W[c] > 0) total += W[c] * Math.exp(M[c] - out[0]);
        expect(Math.abs(total - ref.sum) / ref.sum).toBeLessThan(1e-7);
      }),
      { numRuns: 1000 },
    );
  });
  it('reports the id of a NaN cell', () => {
    const out = new Float64Array(2);
    const n = expBlockSumsIds(Float32Array.from([0, 1, NaN]), Int32Array.of(0, 2), 2, new Float64Array(3), new Float64Array(3), new Int32Array(3), out);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(2);
    expect(n).toBeGreaterThanOrEqual(0);
  });
});

describe('scanSoftmaxTop', () => {
  it('keeps the M largest in the heap, lists every one of them, and sums the softmax denominator', () => {
    fc.assert(
      fc.property(rowArb, fc.integer({ min: 1, max: 12 }), (vals, M) => {
        const x = Float32Array.from(vals);
        const n = x.length;
        const sorted = Array.from(x).sort((a, b) => b - a);
        const ref = direct(x);
        const check = (listed: number, hv: Float32Array, list: Int32Array, res: { max: number; sum: number; negInf: number }) => {
          expect(listed).toBeGreaterThanOrEqual(0);
          const kept = Math.min(M, n);
          expect(Array.from(hv.subarray(0, kept)).sort((a, b) => b - a)).toEqual(sorted.slice(0, kept));
          const listedVals = Array.from(list.subarray(0, listed), (i) => x[i]).sort((a, b) => b - a);
          expect(listedVals.slice(0, kept)).toEqual(sorted.slice(0, kept));
          expect(res.max).toBe(ref.max);
          expect(res.negInf).toBe(vals.filter((v) => v === -Infinity).length);
        };
        const fresh = () => ({ hv: new Float32Array(M), hi: new Int32Array(M), list: new Int32Array(n) });
        const c = fresh();
        const resC = { max: 0, sum: 0, negInf: 0, top: 0, scale: 1 };
        const listed = scanSoftmaxTop(x, n, M, c.hv, c.hi, c.list, resC, new Float64Array(HIST_RING), HIST_LIMIT);
        check(listed, c.hv, c.list, resC);
        // the histogram leaves out cells more than ~39 nats below the max (a bounded tail)
        if (ref.max > -Infinity) expect(Math.abs(resC.sum - ref.sum) / ref.sum).toBeLessThan(1e-7 + n * 1.3e-17);
      }),
      { numRuns: 1000 },
    );
  });
  it('returns -1 on NaN or +Infinity', () => {
    const res = { max: 0, sum: 0, negInf: 0, top: 0, scale: 1 };
    expect(scanSoftmaxTop(Float32Array.from([1, NaN]), 2, 1, new Float32Array(1), new Int32Array(1), new Int32Array(2), res, new Float64Array(HIST_RING), HIST_LIMIT)).toBe(-1);
    expect(scanSoftmaxTop(Float32Array.from([Infinity, 1]), 2, 1, new Float32Array(1), new Int32Array(1), new Int32Array(2), res, new Float64Array(HIST_RING), HIST_LIMIT)).toBe(-1);
  });
});
