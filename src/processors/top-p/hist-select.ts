/**
 * Top-p's wide-nucleus selection from its mass histogram: where the cumulative mass
 * crosses the nucleus level, found without a second exp pass over the row.
 */
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from '../../core/fast-exp.js';
import { SEL_BELOW, SEL_KEY, SEL_TARGET, type SelectBuffers, finishBucket, found, selectNum } from '../../core/weighted-select.js';
import { HIST_RING, type MassHistogram } from './mass-histogram.js';

/**
 * {@link weightedSelectExpF32} from the mass histogram that `massHistogram` (./mass-histogram.ts)
 * left over the same `keys` (`hist`, and `res` with its `top` and `scale`): the buckets are summed
 * upward to the one where the mass reaches `target`; one compare pass lists, without a branch per key,
 * the keys at or above that bucket (a nucleus: a small part of the row), and only those get their
 * bucket computed; the crossing bucket's keys (weights computed as the histogram's terms) are selected.
 * No exp over the rest of the row. The keys the histogram left out (over 44.3 nats below the max) weigh 0.
 * `out` (length 5) as weightedSelectExpF32's, and `out[4]` = the count of indices listed (ascending)
 * in `upper` (length ≥ n): every key ≥ the crossing bucket's lower edge, so every key ≥ the result.
 * NaN when the histogram's mass is below `target` (then nothing is listed).
 *
 * @example
 * ```ts
 * import { WeightedSelectScratch } from 'degen-guard';
 * import { weightedSelectExpHist } from './hist-select.js';
 * import { HIST_RING, massHistogram } from './mass-histogram.js';
 *
 * const keys = Float32Array.from([0, -1, -2, -3]);
 * const res = { max: 0, sum: 0, top: 0, scale: 1 };
 * const hist = new Float64Array(HIST_RING);
 * massHistogram(keys, 4, 0, res, hist);
 * const out = new Float64Array(5), upper = new Int32Array(4);
 * // masses 1, 0.368, 0.135, 0.050: W(≤ −2) = 0.185 ≥ 0.1
 * weightedSelectExpHist(keys, 4, hist, res, 0.1, new WeightedSelectScratch(), out, upper); // → -2
 * // upper lists the ids at or above the crossing: out[4] of them
 * out[4]; // → 3
 * upper.subarray(0, 3); // → [0, 1, 2]
 * ```
 */
export function weightedSelectExpHist(
  keys: Float32Array,
  n: number,
  hist: Float64Array,
  res: MassHistogram,
  target: number,
  st: SelectBuffers,
  out: Float64Array,
  upper: Int32Array,
): number {
  selectNum[SEL_TARGET] = target;
  histSelectInto(keys, n, hist, res, st, out, upper);
  return selectNum[SEL_KEY];
}

/**
 * {@link weightedSelectExpHist} with the target read from `selectNum[SEL_TARGET]` and the key left in
 * `selectNum[SEL_KEY]` (what topP calls: no number crosses the call).
 */
export function histSelectInto(keys: Float32Array, n: number, hist: Float64Array, res: MassHistogram, st: SelectBuffers, out: Float64Array, upper: Int32Array): void {
  const target = selectNum[SEL_TARGET];
  const top = res.top;
  const scale = res.scale;
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const MASK = HIST_RING - 1;
  out[4] = 0;
  let acc = 0;
  let k = HIST_RING - 1;
  for (; k >= 0; k--) {
    const w = hist[(top - k) & MASK] * T[k] * scale;
    if (w > 0 && acc + w >= target) break;
    acc += w;
  }
  if (k < 0) {
    found(out, NaN, acc, acc, n, n);
    return;
  }
  const kb = top - k;
  const tk = T[k] * scale;
  // every key of bucket kb (round(key · INV) = kb) is ≥ lo: list the keys ≥ lo without a branch per
  // key (they are scattered over the row), then sort the few listed into above / the bucket
  const lo = (kb - 0.5 - 1e-6) * STEP;
  let nu = 0;
  for (let i = 0; i < n; i++) {
    upper[nu] = i;
    nu += +(keys[i] >= lo);
  }
  st.reserve(nu);
  const sk = st.keys;
  const sw = st.weights;
  let c = 0;
  let above = 0;
  for (let q = 0; q < nu; q++) {
    const v = keys[upper[q]];
    const a = RND + v * INV - RND;
    if (a === kb) {
      const r = v - a * STEP;
      sk[c] = v;
      sw[c++] = tk * expPolyF32(r);
    } else if (a > kb) above++;
  }
  out[4] = nu;
  selectNum[SEL_BELOW] = acc;
  finishBucket(sk, sw, c, n - above - c, out);
}
