/**
 * topP with p = 1 without a sort: HF removes `cum ≤ fround(1 − 1) = 0` in its ascending order, which
 * are exactly the tokens whose float32 probability is 0 (keeping the last `minTokensToKeep`).
 */
import { expNeg, sumExpNeg } from '../../core/fast-exp.js';

/** {@link keepPositive} could not decide alone (minTokensToKeep reaches into the zero-probability cells). */
export const FALL_THROUGH = -2;

/** Logit-space distance from the underflow line beyond which float32 rounding cannot flip the test. */
const MARGIN = 1e-6;
/** ln(2⁻¹⁵⁰): a float32 probability rounds to 0 at or below 2⁻¹⁵⁰ (half the smallest subnormal). */
const LN_HALF_MIN_SUBNORMAL = -150 * Math.LN2;

/**
 * topP(1) on the cells `ids[0..n)` (ascending; null = the whole row, n = its length), every other cell
 * being -Infinity: with p_i = fround(exp(fround(x_i − m)) / S), S summed in index order, keeps every
 * cell `≥ v*`, the smallest logit whose p is positive, and masks the others (-Infinity cells included)
 * with `f`. That is HF's rule, ties included (equal logits have equal p). Writes the survivors' ids into
 * `kept` and returns their count; -1 when the row is left unchanged (NaN, +Infinity, all -Infinity);
 * FALL_THROUGH (nothing written) when fewer than `mtk` cells have a positive probability.
 *
 * Cost: one pass (max, min) when the row's spread is below ~90 nats, as on LM rows: then no cell can
 * underflow, since S ≤ the number of finite cells. Otherwise Σ exp, a pass for the smallest positive
 * cell (the exact test only within 1e-6 of the underflow line) and a masking pass.
 *
 * @example
 * ```ts
 * import { keepPositive } from './p-one.js';
 *
 * const x = new Float32Array([0, -200, -5]);
 * // exp(−200) underflows to 0 in float32: that cell goes, 2 survive
 * keepPositive(x, null, 3, 1, -Infinity, new Int32Array(3)); // → 2
 * x; // → [0, -Infinity, -5]
 * ```
 */
export function keepPositive(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  mtk: number,
  f: number,
  kept: Int32Array,
): number {
  // max, smallest finite cell, -Infinity count; NaN or +Infinity leave the row alone
  let m = -Infinity;
  let lo = Infinity;
  let nInf = 0;
  for (let j = 0; j < n; j++) {
    const v = x[ids === null ? j : ids[j]];
    if (v > m) {
      if (v === Infinity) return -1;
      m = v;
    } else if (v !== v) return -1;
    if (v < lo) {
      if (v === -Infinity) nInf++;
      else lo = v;
    } else if (v === -Infinity) nInf++;
  }
  if (m === -Infinity) return -1;
  const nF = n - nInf;
  // S ≤ nF: when even the smallest cell clears the line for S = nF, every finite cell has p > 0
  if (Math.fround(lo - m) > Math.log(nF) + LN_HALF_MIN_SUBNORMAL + MARGIN) {
    if (nF < mtk) return FALL_THROUGH;
    let c = 0;
    for (let j = 0; j < n; j++) {
      const id = ids === null ? j : ids[j];
      if (nInf === 0 || x[id] !== -Infinity) kept[c++] = id;
      else x[id] = f;
    }
    return c;
  }
  const s = sumExpNeg(x, m, ids, n);
  // p > 0  ⇔  exp(z) / S > 2⁻¹⁵⁰  ⇔  z > ln S + ln 2⁻¹⁵⁰, up to rounding near that line
  const line = Math.log(s) + LN_HALF_MIN_SUBNORMAL;
  const sure = line + MARGIN + m;
  let vStar = Infinity;
  let positive = 0;
  if (ids === null) {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v > sure || (v > -Infinity && isPositive(v, m, s, line))) {
        positive++;
        if (v < vStar) vStar = v;
      }
    }
  } else {
    for (let j = 0; j < n; j++) {
      const v = x[ids[j]];
      if (v > sure || (v > -Infinity && isPositive(v, m, s, line))) {
        positive++;
        if (v < vStar) vStar = v;
      }
    }
  }
  if (positive < mtk) return FALL_THROUGH;
  let c = 0;
  if (ids === null) {
    for (let i = 0; i < n; i++) {
      if (x[i] < vStar) x[i] = f;
      else kept[c++] = i;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const id = ids[j];
      if (x[id] < vStar) x[id] = f;
      else kept[c++] = id;
    }
  }
  return c;
}

/** fround(exp(fround(v − m)) / s) > 0, deciding in logit space away from the underflow line. */
function isPositive(v: number, m: number, s: number, line: number): boolean {
  const z = Math.fround(v - m);
  if (z > line + MARGIN) return true;
  if (z < line - MARGIN) return false;
  return Math.fround(expNeg(z) / s) > 0;
}
