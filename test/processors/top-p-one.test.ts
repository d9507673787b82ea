import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expNeg } from '../../src/core/fast-exp.js';
import { topP } from '../../src/processors/top-p/top-p.js';
import { FALL_THROUGH, keepPositive } from '../../src/processors/top-p/p-one.js';
import { checkCandidateMethods, expectSameRow } from './warp-props.js';

/**
 * HF's topP(1) written out: stable ascending sort, p = fround(exp(fround(x − max)) / S) with S summed in
 * index order, cum in double rounded to float32, remove cum ≤ 0, keep the last minTokensToKeep.
 */
function reference(vals: ArrayLike<number>, mtk: number, f: number): Float32Array {
  const x = Float32Array.from(vals);
  const n = x.length;
  let m = -Infinity;
  for (const v of x) {
    if (v !== v || v === Infinity) return x;
    if (v > m) m = v;
  }
  if (m === -Infinity) return x;
  let s = 0;
  for (const v of x) s += expNeg(Math.fround(v - m));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] !== x[b] ? (x[a] < x[b] ? -1 : 1) : a - b));
  const out = Float32Array.from(x);
  let cum = 0;
  for (let r = 0; r < n; r++) {
    const id = order[r];
    cum += Math.fround(expNeg(Math.fround(x[id] - m)) / s);
    if (Math.fround(cum) <= 0 && r < n - mtk) out[id] = f;
  }
  return out;
}

/** Rows with a wide spread (many cells of float32 probability 0), ties and -Infinity. */
const wideRow = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -64, max: 4 }).map((v) => v * 4) },
    { weight: 3, arbitrary: fc.float({ min: -300, max: 20, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(-Infinity, -103.5, -104, -103.2) },
  ),
  { minLength: 1, maxLength: 64 },
);

describe('topP(1): only zero-probability tokens go, without a sort', () => {
  it('equals HF written out, any minTokensToKeep and filter value', () => {
    fc.assert(
      fc.property(wideRow, fc.integer({ min: 1, max: 8 }), fc.constantFrom(-Infinity, -1e4), (vals, mtk, f) => {
        const x = Float32Array.from(vals);
        topP(1, { minTokensToKeep: mtk, filterValue: f })(x);
        expectSameRow(x, reference(vals, mtk, f));
      }),
      { numRuns: 1000 },
    );
  });
  it('sparse and truncate leave exactly the plain result', () => {
    fc.assert(
      fc.property(wideRow, fc.integer({ min: 1, max: 4 }), fc.integer(), (vals, mtk, seed) => {
        checkCandidateMethods(() => topP(1, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });
  it('on rows of 5,000 cells, through the fast path and the fallback', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const n = 5000;
      const row = new Float32Array(n);
      let s = seed;
      for (let i = 0; i < n; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        row[i] = Math.round(((s / 4294967296) * -40 * seed) / 2) * 2; // spread up to 320: many zero probabilities
      }
      const positive = reference(row, 1, -Infinity).filter((v) => v !== -Infinity).length;
      for (const mtk of [1, positive, positive + 1, positive + 500]) {
        const x = Float32Array.from(row);
        topP(1, { minTokensToKeep: mtk })(x);
        expectSameRow(x, reference(row, mtk, -Infinity));
        const y = Float32Array.from(row);
        const r = keepPositive(y, n, mtk, new Int32Array(n));
        expect(r === FALL_THROUGH).toBe(mtk > positive);
      }
    }
  });
  it('example: a logit more than ~103 below the max goes', () => {
    const x = new Float32Array([0, -200, -5, -Infinity]);
    const kept = new Int32Array(4);
    expect(keepPositive(x, 4, 1, kept)).toBe(2);
    expect(Array.from(kept.subarray(0, 2))).toEqual([0, 2]);
    expect(Array.from(topP(1)(new Float32Array([0, -200, -5])))).toEqual([0, -Infinity, -5]);
    expect(Array.from(topP(1, { minTokensToKeep: 3 })(new Float32Array([0, -200, -5])))).toEqual([0, -200, -5]);
  });
  it('leaves NaN, +Infinity and all -Infinity rows alone', () => {
    for (const row of [[1, NaN], [Infinity, 0], [-Infinity, -Infinity]]) {
      const x = Float32Array.from(row);
      expect(keepPositive(x, 2, 1, new Int32Array(2))).toBe(-1);
      expectSameRow(topP(1)(Float32Array.from(row)), Float32Array.from(row));
    }
  });
});
