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
 * topP(1) on `x[0..n)`: with p_i = fround(exp(fround(x_i − m)) / S), S summed in index order, the
 * survivors are the cells of positive p (the others, -Infinity cells included, go). That is HF's rule,
 * ties included (equal logits have equal p). Lists the survivors' ids (ascending) in `kept` and returns
 * their count; -1 for a row to leave unchanged (NaN, +Infinity, all -Infinity); FALL_THROUGH when
 * fewer than `mtk` cells have a positive probability. Writes nothing into `x`.
 *
 * Cost: one pass (max, min) when the row's spread is below ~90 nats, as on LM rows: then no cell can
 * underflow, since S ≤ the number of finite cells. Otherwise Σ exp and a pass that lists the cells of
 * positive p (the exact test only within 1e-6 of the underflow line).
 *
 * @example
 * ```ts
 * import { keepPositive } from './p-one.js';
 *
 * const kept = new Int32Array(3);
 * // exp(−200) underflows to 0 in float32: that cell goes, 2 survive
 * keepPositive(new Float32Array([0, -200, -5]), 3, 1, kept); // → 2
 * kept.subarray(0, 2); // → [0, 2]
 * ```
 */
export function keepPositive(x: Float32Array, n: number, mtk: number, kept: Int32Array): number {
  // max, smallest finite cell, -Infinity count; NaN or +Infinity leave the row alone
  let m = -Infinity;
  let lo = Infinity;
  let nInf = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j];
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
  let c = 0;
  // S ≤ the finite count: when even the smallest cell clears the line for that S, every finite cell has p > 0
  if (Math.fround(lo - m) > Math.log(n - nInf) + LN_HALF_MIN_SUBNORMAL + MARGIN) {
    for (let j = 0; j < n; j++) if (nInf === 0 || x[j] > -Infinity) kept[c++] = j;
  } else {
    const s = sumExpNeg(x, m, null, n);
    // p > 0  ⇔  exp(z) / S > 2⁻¹⁵⁰  ⇔  z > ln S + ln 2⁻¹⁵⁰, up to rounding near that line
    const line = Math.log(s) + LN_HALF_MIN_SUBNORMAL;
    for (let j = 0; j < n; j++) {
      const v = x[j];
      if (v > -Infinity && isPositive(v, m, s, line)) kept[c++] = j;
    }
  }
  return c < mtk ? FALL_THROUGH : c;
}

/** fround(exp(fround(v − m)) / s) > 0, deciding in logit space away from the underflow line. */
function isPositive(v: number, m: number, s: number, line: number): boolean {
  const z = Math.fround(v - m);
  if (z > line + MARGIN) return true;
  if (z < line - MARGIN) return false;
  return Math.fround(expNeg(z) / s) > 0;
}
