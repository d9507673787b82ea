/** exp-blocks and top-p's mass histogram, the row scans behind sample and topP, against direct sums. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXP_BLOCK_SHIFT, expBlockSums, expBlockSumsIds } from '../../src/core/exp-blocks.js';
import { HIST_RING, histLeftOut, massHistogram } from '../../src/processors/top-p/mass-histogram.js';

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

describe('massHistogram', () => {
  it('sums the softmax denominator of the cells within 44.3 nats of the max, and histLeftOut tells whether one is below', () => {
    fc.assert(
      fc.property(rowArb, (vals) => {
        const x = Float32Array.from(vals);
        const n = x.length;
        const ref = direct(x);
        if (ref.max === -Infinity) return;
        const res = { max: 0, sum: 0, top: 0, scale: 1 };
        massHistogram(x, n, ref.max, res, new Float64Array(HIST_RING).fill(7)); // a used ring is cleared
        expect(res.max).toBe(ref.max);
        let inside = 0;
        let out = false;
        for (const v of x) {
          if (v - ref.max > -1022 * (Math.LN2 / 16)) inside += Math.exp(v - ref.max);
          else if (v > -Infinity) out = true;
        }
        expect(Math.abs(res.sum - inside) / inside).toBeLessThan(2e-8);
        expect(histLeftOut(x, n, ref.max)).toBe(out);
        // what it leaves out is below HIST_TAIL of the max's mass per cell
        expect(Math.abs(res.sum - ref.sum) / ref.sum).toBeLessThan(2e-8 + n * 6e-20);
      }),
      { numRuns: 1000 },
    );
  });
});
