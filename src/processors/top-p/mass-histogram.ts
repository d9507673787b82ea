/**
 * Top-p's mass histogram, for a nucleus wider than the cells its fused pass lists: the softmax mass of
 * a row per exp table step (ln2/16 ≈ 0.043 nats), from which the cumulative-mass crossing is found
 * (weightedSelectExpHist) without sorting or selecting over the row.
 */
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from '../../core/fast-exp.js';

/**
 * Slots of the histogram ring: the buckets from the max's down 1,023 steps ≈ 44 nats (8 kB, which
 * stays in L1 cache beside the row; a 104-nat ring of 4,096 slots made the pass 20 % slower).
 */
export const HIST_RING = 1024;
/**
 * A bound on the relative mass of a cell that the histogram leaves out (more than HIST_RING − 2
 * steps ≈ 44.3 nats below the max): exp(−44.27) < 6e-20.
 */
export const HIST_TAIL = 6e-20;
/** The histogram is kept for rows whose max lies in [−HIST_LIMIT, HIST_LIMIT]. */
export const HIST_LIMIT = 65536;
/** Cells at or below this under the max stay out of the histogram: HIST_RING − 2 steps. */
const HIST_FLOOR = -(HIST_RING - 2) * F32_STEP;

/** The histogram's terms besides the ring itself. */
export interface MassHistogram {
  /** the row max the histogram was built against */
  max: number;
  /** Σ exp(x − max) over the cells in the histogram (NaN when it was given up) */
  sum: number;
  /** the max's bucket, round(max · 16/ln2); NaN when the histogram was given up */
  top: number;
  /** exp(top · ln2/16 − max): bucket b's mass is `hist[b & (HIST_RING − 1)] · 2^((b − top)/16) · scale` */
  scale: number;
}

/**
 * Fills `hist` (length {@link HIST_RING}) with the softmax mass per exp table step of `x[0..n)`, whose
 * max `m` is known and finite: bucket b holds the cells with round(x · 16/ln2) = b, at slot
 * b & (HIST_RING − 1), each term exp(x − b·ln2/16) by expNegF32's degree-3 polynomial in |r| ≤ ln2/32
 * (relative error below 1e-8), absolute; `res` gets the max, the top bucket, the scale that brings a
 * bucket to the max, and the sum. Cells at least HIST_RING − 2 steps (≈ 44.3 nats) below the max are
 * left out (each weighs less than {@link HIST_TAIL} of the max's; {@link histLeftOut} tells whether there
 * is one). When |m| > {@link HIST_LIMIT} the histogram is given up: `res.top` and `res.sum` are NaN.
 *
 * @example
 * ```ts
 * import { HIST_RING, massHistogram } from './mass-histogram.js';
 *
 * const res = { max: 0, sum: 0, top: 0, scale: 1 };
 * massHistogram(Float32Array.from([0, 3, 1, 2]), 4, 3, res, new Float64Array(HIST_RING));
 * // Σ exp(x − max) ≈ 1 + e^-1 + e^-2 + e^-3
 * res.sum; // → 1.55300179
 * ```
 */
export function massHistogram(x: Float32Array, n: number, m: number, res: MassHistogram, hist: Float64Array): void {
  res.max = m;
  massHistogramOf(x, n, res, hist);
}

/**
 * {@link massHistogram} with the max read from `res.max` (what topP calls: a double handed to a call
 * that V8 does not inline is a new heap number on every call).
 */
export function massHistogramOf(x: Float32Array, n: number, res: MassHistogram, hist: Float64Array): void {
  const m = res.max;
  if (!(m <= HIST_LIMIT && m >= -HIST_LIMIT)) {
    res.top = NaN;
    res.sum = NaN;
    return;
  }
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const MASK = HIST_RING - 1;
  // a local: HIST_FLOOR, a module constant, would be reloaded on every cell (+10 % measured); the
  // test is histLeftOut's, so that the two agree on every cell
  const FLOOR = -(HIST_RING - 2) * STEP;
  hist.fill(0);
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v - m > FLOOR) {
      const a = RND + v * INV - RND;
      hist[a & MASK] += expPolyF32(v - a * STEP);
    }
  }
  const top = RND + m * INV - RND;
  const T = F32_TABLE;
  const scale = Math.exp(top * STEP - m);
  let s = 0;
  for (let k = HIST_RING - 1; k >= 0; k--) s += hist[(top - k) & MASK] * T[k];
  res.top = top;
  res.scale = scale;
  res.sum = s * scale;
}

/**
 * Whether {@link massHistogram} over `x[0..n)` (max `m`) left out a finite cell: one at least
 * HIST_RING − 2 steps under the max.
 *
 * @example
 * ```ts
 * import { histLeftOut } from './mass-histogram.js';
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
