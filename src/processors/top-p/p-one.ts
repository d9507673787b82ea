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
 * topP(1) on `x[0..n)`: with p_i = fround(exp(fround(x_i − m)) / S), S summed in index order, keeps
 * every cell of positive p and masks the others (-Infinity cells included) with `f`. That is HF's
 * rule, ties included (equal logits have equal p). Writes the survivors' ids into `kept` and returns
 * their count; -1 when the row is left unchanged (NaN, +Infinity, all -Infinity); FALL_THROUGH
 * (nothing written) when fewer than `mtk` cells have a positive probability.
 *
 * Cost: one pass (max, min) when the row's spread is below ~90 nats, as on LM rows: then no cell can
 * underflow, since S ≤ the number of finite cells. Otherwise Σ exp, a pass that lists the cells of
 * positive p (the exact test only within 1e-6 of the underflow line) and a fill.
 *
 * @example
 * ```ts
 * import { keepPositive } from './p-one.js';
 *
 * const x = new Float32Array([0, -200, -5]);
 * // exp(−200) underflows to 0 in float32: that cell goes, 2 survive
 * keepPositive(x, 3, 1, -Infinity, new Int32Array(3), new Float32Array(3)); // → 2
 * x; // → [0, -Infinity, -5]
 * ```
 */
export function keepPositive(x: Float32Array, n: number, mtk: number, f: number, kept: Int32Array, keptV: Float32Array): number {
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
  const wide = !(Math.fround(lo - m) > Math.log(n - nInf) + LN_HALF_MIN_SUBNORMAL + MARGIN);
  const s = wide ? sumExpNeg(x, m, null, n) : 0;
  // p > 0  ⇔  exp(z) / S > 2⁻¹⁵⁰  ⇔  z > ln S + ln 2⁻¹⁵⁰, up to rounding near that line
  const line = Math.log(s) + LN_HALF_MIN_SUBNORMAL;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v > -Infinity && (!wide || isPositive(v, m, s, line))) {
      keptV[c] = v;
      kept[c++] = j;
    }
  }
  if (c < mtk) return FALL_THROUGH;
  if (c < n) {
    x.fill(f, 0, n);
    for (let q = 0; q < c; q++) x[kept[q]] = keptV[q];
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
