/**
 * One read-only pass over a row for the nucleus (top-p) warper: the row max, the softmax denominator
 * Σ exp(x − max) at float32 accuracy ({@link expNegF32}'s arithmetic, relative error below 1e-8, the
 * sum rescaled when the running max rises), the M largest values in a min-heap, and the list of every
 * cell that was ≥ the heap minimum when met (a superset of the M largest and their ties).
 *
 * The exp is written out in the loop (bit-identical to calling expNegF32; see exp-blocks.ts).
 */
import { EXP_NEG_FLOOR, F32_INV_STEP, F32_STEP, F32_TABLE, ROUND } from './fast-exp.js';
import { heapPush, heapReplaceRoot } from './index-heap.js';

/** Results of {@link scanSoftmaxTop} besides the listed count. */
export interface SoftmaxTopResult {
  /** row max (−Infinity when every cell is) */
  max: number;
  /** Σ exp(x − max) over the row */
  sum: number;
  /** number of −Infinity cells */
  negInf: number;
}

/**
 * Scans `x[0..n)`: keeps the `M` largest (value, id) in the heap `hv`/`hi` (length ≥ M), lists in
 * `list` every id that was ≥ the heap minimum when met, and fills `res`. Returns the count listed,
 * or −1 as soon as a cell is NaN or +Infinity. Writes nothing into `x`.
 *
 * @example
 * ```ts
 * const res = { max: 0, sum: 0, negInf: 0 };
 * const hv = new Float32Array(2), hi = new Int32Array(2), list = new Int32Array(4);
 * scanSoftmaxTop(Float32Array.from([0, 3, 1, 2]), 4, 2, hv, hi, list, res); // 3 listed (ids 0, 1, then 3)
 * ```
 */
export function scanSoftmaxTop(
  x: Float32Array,
  n: number,
  M: number,
  hv: Float32Array,
  hi: Int32Array,
  list: Int32Array,
  res: SoftmaxTopResult,
): number {
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  let m = -Infinity;
  let s = 0;
  let ninf = 0;
  let size = 0;
  let nl = 0;
  let hm = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!(v <= m)) {
      if (!(v < Infinity)) return -1; // NaN or +Infinity
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r = d + kf * STEP;
        s *= T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      } else s *= 0;
      m = v;
    }
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
    } else if (v === -Infinity) ninf++;
    if (v < hm) continue;
    list[nl++] = j;
    if (size < M) {
      size = heapPush(hv, hi, size, v, j);
      if (size === M) hm = hv[0];
    } else if (v > hm) {
      heapReplaceRoot(hv, hi, size, v, j);
      hm = hv[0];
    }
  }
  res.max = m;
  res.sum = s;
  res.negInf = ninf;
  return nl;
}

/**
 * {@link scanSoftmaxTop} over the cells `ids[0..n)` (ascending), every other cell being −Infinity:
 * the same max, sum (the same finite cells in the same order) and heap; lists ids.
 *
 * @example
 * ```ts
 * const res = { max: 0, sum: 0, negInf: 0 };
 * scanSoftmaxTopIds(Float32Array.from([0, 3, 1]), Int32Array.from([1, 2]), 2, 1, new Float32Array(1), new Int32Array(1), new Int32Array(2), res);
 * ```
 */
export function scanSoftmaxTopIds(
  x: Float32Array,
  ids: Int32Array,
  n: number,
  M: number,
  hv: Float32Array,
  hi: Int32Array,
  list: Int32Array,
  res: SoftmaxTopResult,
): number {
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  let m = -Infinity;
  let s = 0;
  let ninf = 0;
  let size = 0;
  let nl = 0;
  let hm = -Infinity;
  for (let q = 0; q < n; q++) {
    const j = ids[q];
    const v = x[j];
    if (!(v <= m)) {
      if (!(v < Infinity)) return -1; // NaN or +Infinity
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r = d + kf * STEP;
        s *= T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      } else s *= 0;
      m = v;
    }
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
    } else if (v === -Infinity) ninf++;
    if (v < hm) continue;
    list[nl++] = j;
    if (size < M) {
      size = heapPush(hv, hi, size, v, j);
      if (size === M) hm = hv[0];
    } else if (v > hm) {
      heapReplaceRoot(hv, hi, size, v, j);
      hm = hv[0];
    }
  }
  res.max = m;
  res.sum = s;
  res.negInf = ninf;
  return nl;
}
