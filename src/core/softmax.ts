/**
 * Softmax-family kernels over a row of float32 logits.
 *
 * They follow torch's float32 results as closely as a port can: the max is subtracted in float32,
 * exponentials (expNeg, relative error below 2e-14) and the sum are taken in double, and each
 * probability is rounded to float32 once. Every HF parity vector passes with them.
 * A row with NaN or +Infinity gives all-NaN probabilities (as torch does); an all -Infinity row too.
 *
 * The logSoftmax processor and beam search take the faster route of {@link logSumExpTerm} and
 * {@link writeLogSoftmax}: S from one fused pass at float32-level accuracy.
 */
import { expTotal, type ExpTotal } from './exp-total.js';
import { sumExpNeg } from './fast-exp.js';

/**
 * Largest value of `x[0..n)`; NaN if any value is NaN; -Infinity for an empty range.
 *
 * @example
 * ```ts
 * import { maxOf } from 'degen-guard';
 *
 * maxOf(Float32Array.from([1, 3, 2])); // → 3
 * ```
 */
export function maxOf(x: ArrayLike<number>, n: number = x.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/**
 * Index of the first largest value of `x` (argmax, lowest index on ties); -1 if a value is NaN.
 *
 * @example
 * ```ts
 * import { argmaxOf } from 'degen-guard';
 *
 * argmaxOf(Float32Array.from([1, 3, 3])); // → 1
 * ```
 */
export function argmaxOf(x: ArrayLike<number>, n: number = x.length): number {
  let best = 0;
  let m = x[0];
  if (m !== m) return -1;
  for (let i = 1; i < n; i++) {
    const v = x[i];
    if (v > m) {
      m = v;
      best = i;
    } else if (v !== v) return -1;
  }
  return best;
}

/**
 * Σ exp(x_i − max) in double over `x[0..n)`, with `max` the row's max (terms from {@link expNeg},
 * relative error below 2e-14). Returns NaN when the row holds
 * NaN or +Infinity, and 0 when every value is -Infinity.
 */
export function sumExpShifted(x: ArrayLike<number>, max: number, n: number = x.length): number {
  if (max !== max || max === Infinity) return NaN;
  if (max === -Infinity) return 0;
  return sumExpNeg(x, max, null, n);
}

/**
 * log Σ exp(x_i) over `x[0..n)`, computed stably in double (NaN for a NaN/+Infinity row, -Infinity
 * for an all -Infinity row).
 *
 * @example
 * ```ts
 * import { logSumExp } from 'degen-guard';
 *
 * // (ln 2)
 * logSumExp(Float32Array.from([0, 0])); // → 0.6931471805599453
 * ```
 */
export function logSumExp(x: ArrayLike<number>, n: number = x.length): number {
  const m = maxOf(x, n);
  if (m !== m || m === Infinity) return NaN;
  if (m === -Infinity) return -Infinity;
  return m + Math.log(sumExpShifted(x, m, n));
}

/** Throws unless `n` is a length in [0, x.length] and `out` has room for `n` values. */
function checkRowArgs(x: ArrayLike<number>, out: ArrayLike<number>, n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > x.length) {
    throw new RangeError(`n must be an integer in [0, x.length = ${x.length}], got ${n}`);
  }
  if (out == null || typeof out.length !== 'number') throw new TypeError(`out must be a Float32Array, got ${String(out)}`);
  if (out.length < n) throw new RangeError(`out has length ${out.length}, shorter than the ${n} values to write`);
}

/**
 * Writes softmax(x) into `out` (float32 rounding of each probability). `out` may be `x` itself.
 * Returns the double sum Σ exp(x_i − max) (0 for an all -Infinity row, NaN for a NaN/+Infinity row).
 * Throws a RangeError when `out` is shorter than `n` or `n` is not a length of `x`.
 *
 * @example
 * ```ts
 * import { softmaxInto } from 'degen-guard';
 *
 * const p = new Float32Array(3);
 * softmaxInto(Float32Array.from([0, 0, Math.log(2)]), p);
 * p; // → [0.25, 0.25, 0.5]
 * ```
 */
export function softmaxInto(x: ArrayLike<number>, out: Float32Array | Float64Array, n: number = x.length): number {
  checkRowArgs(x, out, n);
  const m = maxOf(x, n);
  const s = sumExpShifted(x, m, n);
  if (!(s > 0)) {
    out.fill(NaN, 0, n);
    return s;
  }
  for (let i = 0; i < n; i++) out[i] = Math.fround(Math.exp(Math.fround(x[i] - m)) / s);
  return s;
}

/**
 * Writes log_softmax(x) into `out` (may be `x`) in torch's float32 formula (CPU):
 * `fround(fround(x_i − max) − fround(log(fround(S))))` with S = Σ exp(x − max). The sum is rounded
 * to float32 before its log (with the double sum, 1 cell in 30 of the HF vectors is one ulp off).
 * A row with +Infinity or NaN, or an all -Infinity row, becomes all NaN, as in torch.
 *
 * @example
 * ```ts
 * import { logSoftmaxInto } from 'degen-guard';
 *
 * const lp = new Float32Array(2);
 * logSoftmaxInto(Float32Array.from([0, 0]), lp);
 * lp; // → [-0.6931472, -0.6931472]
 * ```
 */
export function logSoftmaxInto(x: ArrayLike<number>, out: Float32Array, n: number = x.length): void {
  checkRowArgs(x, out, n);
  const m = maxOf(x, n);
  const s = sumExpShifted(x, m, n);
  if (!(s > 0)) {
    out.fill(NaN, 0, n);
    return;
  }
  const lse = Math.fround(Math.log(Math.fround(s)));
  for (let i = 0; i < n; i++) out[i] = Math.fround(x[i] - m) - lse;
}

/**
 * Shannon entropy (nats) of softmax(x), in double; NaN for a NaN/+Infinity or all -Infinity row.
 * Terms with zero probability contribute 0 (as `nansum` of `p·log p`).
 *
 * @example
 * ```ts
 * import { entropyOf } from 'degen-guard';
 *
 * // (ln 4)
 * entropyOf(Float32Array.from([0, 0, 0, 0])); // → 1.3862943611198906
 * ```
 */
export function entropyOf(x: ArrayLike<number>, n: number = x.length): number {
  const m = maxOf(x, n);
  const s = sumExpShifted(x, m, n);
  if (!(s > 0)) return NaN;
  const logS = Math.log(s);
  let h = 0;
  for (let i = 0; i < n; i++) {
    const z = Math.fround(x[i] - m);
    if (z === -Infinity) continue;
    const e = Math.exp(z);
    h -= (e / s) * (z - logS);
  }
  return h;
}

/** The two numbers of a row's float32 log-softmax: its max and the log-sum-exp term L. */
export interface LogSoftmaxTerms {
  /** The row's max (NaN when a cell is NaN or +Infinity). */
  max: number;
  /** `float32(ln float32(S))`, S = Σ exp(x − max); NaN when the row holds NaN or +Infinity or every cell is -Infinity. */
  lse: number;
}

/** A fresh {@link LogSoftmaxTerms} (its fields hold doubles from the start). */
export function logSoftmaxTerms(): LogSoftmaxTerms {
  return { max: NaN, lse: NaN };
}

/**
 * torch's float32 log-sum-exp term of a row from one fused pass: runs {@link expTotal} over `x[0..n)`
 * into `tot` (the max, and S = Σ exp(x − max) with relative error below 1e-8) and writes the max and
 * L = float32(ln float32(S)) into `terms`: L is within one float32 rounding of the exact value, as
 * torch's own float32 sum is; NaN when the row holds NaN or +Infinity or every cell is -Infinity.
 *
 * The numbers travel in `terms`, not as arguments or a return value: a double handed to or returned
 * from a call that V8 does not inline is a new heap number on every call.
 */
export function logSumExpTerm(x: Float32Array, n: number, tot: ExpTotal, terms: LogSoftmaxTerms): void {
  expTotal(x, null, n, tot);
  terms.max = tot.max;
  // two stores, not `terms.lse = s > 0 ? … : NaN`: V8 boxes a double that meets the global NaN in a
  // conditional expression before storing it, a new heap number on every call
  if (tot.sum > 0) terms.lse = Math.fround(Math.log(Math.fround(tot.sum)));
  else terms.lse = NaN;
}

/**
 * Writes torch's float32 log-softmax cells `float32(float32(x − max) − lse)` for `x[0..n)` into `out`
 * (may be `x`), with the terms of {@link logSumExpTerm}.
 */
export function writeLogSoftmax(x: Float32Array, out: Float32Array, n: number, terms: LogSoftmaxTerms): void {
  const m = terms.max;
  const lse = terms.lse;
  for (let i = 0; i < n; i++) out[i] = Math.fround(x[i] - m) - lse;
}
