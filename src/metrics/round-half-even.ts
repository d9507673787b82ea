/**
 * Python's `round(x, digits)`: rounds the exact binary value of `x` to `digits` decimals, ties to even.
 * JS `toFixed` and `Math.round(x * 100) / 100` round ties up and round an inexact product.
 */
import { checkInteger } from '../core/validate.js';

const view = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(8));

/**
 * Rounds `x` to `digits` decimal places exactly as Python's `round(x, digits)`: on the exact value of
 * the double, a tie goes to the even last digit, and the result is the double nearest the rounded
 * decimal. Non-finite values are returned unchanged.
 *
 * @example
 * ```ts
 * import { roundHalfEven } from 'degen-guard';
 *
 * // (toFixed(4) gives 0.0313)
 * roundHalfEven(0.03125, 4); // → 0.0312
 * roundHalfEven(3.125, 2); // → 3.12
 * // (2.675 is stored as 2.67499999…)
 * roundHalfEven(2.675, 2); // → 2.67
 * ```
 */
export function roundHalfEven(x: number, digits = 0): number {
  checkInteger('digits', digits, 0, 400);
  if (typeof x !== 'number') throw new TypeError(`x must be a number, got ${typeof x}`);
  if (!Number.isFinite(x) || x === 0) return x;
  const negative = x < 0;
  // |x| = mantissa · 2^exponent exactly.
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  // |x| · 10^digits = num / den with den a power of two.
  let num = mantissa * 10n ** BigInt(digits);
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  let q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  const value = Number(`${q}e-${digits}`);
  return negative ? -value : value;
}
