/**
 * Top-p's first pass: one read-only pass over a row: the row max, the M largest values in a
 * min-heap, the list of every cell that was ≥ the heap minimum when met (a superset of the M largest
 * and their ties), and the softmax mass per exp table step (a histogram), from which the softmax
 * denominator and a cumulative-mass crossing are found without a second exp pass
 * (weightedSelectExpHist).
 */
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from '../../core/fast-exp.js';
import { heapPush, heapReplaceRoot } from '../../core/index-heap.js';

/**
 * Slots of the histogram ring: the buckets (the exp's table steps, ln2/16 ≈ 0.043 nats) from the max's
 * down 1,023 steps ≈ 44 nats (8 kB, which stays in L1 cache beside the row; a 104-nat ring of 4,096
 * slots made the pass 20 % slower, and one of 2,048 up to 25 % in some runs).
 */
export const HIST_RING = 1024;
/**
 * A bound on the relative mass of a cell that the histogram leaves out (more than HIST_RING − 2
 * steps ≈ 44.3 nats below the max): exp(−44.27) < 6e-20.
 */
export const HIST_TAIL = 6e-20;
/** The histogram is kept for rows whose max lies in [−HIST_LIMIT, HIST_LIMIT]. */
export const HIST_LIMIT = 65536;
/** Cells more than this below the running max stay out of the histogram: HIST_RING − 2 steps. */
const HIST_FLOOR = -(HIST_RING - 2) * F32_STEP;

/** Results of {@link scanSoftmaxTop} besides the listed count. */
export interface SoftmaxTopResult {
  /** row max (−Infinity when every cell is) */
  max: number;
  /** Σ exp(x − max) over the row, from the histogram (NaN when it was given up) */
  sum: number;
  /** number of −Infinity cells */
  negInf: number;
  /** the max's bucket, round(max · 16/ln2); NaN when the histogram was given up */
  top: number;
  /** exp(top · ln2/16 − max): bucket b's mass is `hist[b & (HIST_RING − 1)] · 2^((b − top)/16) · scale` */
  scale: number;
}

/**
 * Scans `x[0..n)`: keeps the `M` largest (value, id) in the heap `hv`/`hi` (length ≥ M), lists in
 * `list` every id that was ≥ the heap minimum when met, and fills `res`. Returns the count listed,
 * or −1 as soon as a cell is NaN or +Infinity. Writes nothing into `x`.
 *
 * It also leaves in `hist` (length {@link HIST_RING}) the softmax mass per bucket of the exp's table step, absolute (bucket b holds the cells with round(x · 16/ln2) = b, at slot
 * b & (HIST_RING − 1)), and `res.sum`. A cell's term is exp(x − b·ln2/16), expNegF32's degree-3
 * polynomial in |r| ≤ ln2/32 (relative error below 1e-8), summed in its bucket; each bucket is scaled
 * once at the end by 2^((b − top)/16) · exp(top·ln2/16 − max): no rescaling as the running max rises
 * (the slots above the old max are cleared). The cells more than HIST_RING − 2 steps (≈ 44.3 nats)
 * below the running max are left out (each weighs less than {@link HIST_TAIL} of the max's;
 * {@link histLeftOut} tells whether there may be one): `res.sum` is short by at most n · HIST_TAIL of
 * the mass. A max above `limit` stops the scan (it returns −2; {@link HIST_LIMIT} as the limit, then
 * Infinity for such a row); when the max lies outside [−65536, 65536] the histogram is given up:
 * `res.top` and `res.sum` are NaN.
 *
 * @example
 * ```ts
 * import { HIST_LIMIT, HIST_RING, scanSoftmaxTop } from './first-pass.js';
 *
 * const res = { max: 0, sum: 0, negInf: 0, top: 0, scale: 1 };
 * const hv = new Float32Array(2), hi = new Int32Array(2), list = new Int32Array(4);
 * // 4 listed: each id was ≥ the minimum of the 2-heap when met
 * scanSoftmaxTop(Float32Array.from([0, 3, 1, 2]), 4, 2, hv, hi, list, res, new Float64Array(HIST_RING), HIST_LIMIT); // → 4
 * list; // → [0, 1, 2, 3]
 * // Σ exp(x − max) ≈ 1 + e^-1 + e^-2 + e^-3
 * res.max; // → 3
 * res.sum; // → 1.55300179
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
  hist: Float64Array,
  limit: number,
): number {
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const MASK = HIST_RING - 1;
  // computed here: HIST_FLOOR, a module constant, would be reloaded on every cell (+10 % measured)
  const FLOOR = -(HIST_RING - 2) * STEP;
  let m = -Infinity;
  let top = -Infinity;
  let ninf = 0;
  let size = 0;
  let nl = 0;
  let hm = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!(v <= m)) {
      if (!(v < Infinity)) return -1; // NaN or +Infinity
      if (v > limit) return -2;
      const a = RND + v * INV - RND;
      // clear the slots of the buckets above the old max (they may hold buckets a ring length below)
      if (a - top >= HIST_RING) hist.fill(0);
      else for (let b = top + 1; b <= a; b++) hist[b & MASK] = 0;
      top = a;
      m = v;
    }
    if (v - m > FLOOR) {
      const a = RND + v * INV - RND;
      const r = v - a * STEP;
      hist[a & MASK] += expPolyF32(r);
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
  res.negInf = ninf;
  if (!(m <= HIST_LIMIT && m >= -HIST_LIMIT)) {
    res.top = NaN;
    res.sum = NaN;
    return nl;
  }
  const T = F32_TABLE;
  const scale = Math.exp(top * STEP - m);
  let s = 0;
  for (let k = HIST_RING - 1; k >= 0; k--) s += hist[(top - k) & MASK] * T[k];
  res.top = top;
  res.scale = scale;
  res.sum = s * scale;
  return nl;
}

/**
 * Whether the histogram of {@link scanSoftmaxTop} over `x[0..n)` (max `m`) may have left out a finite
 * cell: one at or below HIST_RING − 2 steps under the max (a cell that entered it was met at least
 * that far above the running max's floor, and only a rise of a ring length clears it).
 *
 * @example
 * ```ts
 * import { histLeftOut } from './first-pass.js';
 *
 * histLeftOut(Float32Array.from([0, -20, -Infinity]), 3, 0); // → false
 * histLeftOut(Float32Array.from([0, -50]), 2, 0); // → true
 * ```
 */
export function histLeftOut(x: Float32Array, n: number, m: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v - m <= HIST_FLOOR && v > -Infinity) return true;
  }
  return false;
}
