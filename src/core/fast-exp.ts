/**
 * A fast `exp` for non-positive arguments, accurate to about 1e-14 (relative), for the softmax sums
 * of the truncation warpers: `exp(z) = 2^(n/256) · exp(r)` with a 256-entry table and a degree-4
 * polynomial on |r| ≤ ln2/512. About twice as fast as `Math.exp` in V8.
 *
 * Arguments ≤ −104 give 0: there `exp(z)` is below the smallest float32 (≈ 1.4e-45), so the
 * float32 softmax of torch has probability 0 there too. NaN gives 0 as well (callers test NaN first).
 */

const STEPS = 256;
const FRAC = new Float64Array(STEPS);
for (let j = 0; j < STEPS; j++) FRAC[j] = Math.pow(2, j / STEPS);
/** POW2[e] = 2^−e for e in [0, 160). */
const POW2 = new Float64Array(160);
for (let e = 0; e < 160; e++) POW2[e] = Math.pow(2, -e);
export const INV_STEP = STEPS / Math.LN2;
export const STEP = Math.LN2 / STEPS;
/** Adding and subtracting 1.5·2^52 rounds a double to the nearest integer. */
export const ROUND = 6755399441055744.0;

/** Arguments at or below this give 0 (float32 underflow of the probability). */
export const EXP_NEG_FLOOR = -104;

/**
 * `exp(z)` for `z ≤ 0`, relative error below 2e-14; 0 for `z ≤ −104`, −Infinity or NaN.
 *
 * @example
 * ```ts
 * import { expNeg } from 'degen-guard';
 *
 * // (Math.exp(-1) up to ~1e-14)
 * expNeg(-1); // → 0.36787944117144233
 * ```
 */
export const expNeg: (z: number) => number = /* @__PURE__ */ makeExpNeg(FRAC, POW2);

/**
 * Builds {@link expNeg} around its tables. They are `const`s of this function's scope, not of the
 * module's: a bundler (esbuild, hence tsup) turns a module's top-level `const` into `var`, and V8 11
 * reloads and checks a `var` table on every call it inlines in a loop (an exp pass measured 17 %
 * slower in the built bundle than from the sources), while it folds a closure's `const` into the code.
 */
function makeExpNeg(frac: Float64Array, pow2: Float64Array): (z: number) => number {
  const F = frac;
  const P = pow2;
  return function expNeg(z: number): number {
    // constants as literals (INV_STEP, ROUND, STEP; a test checks them), as in expNegF32
    if (!(z > -104)) return 0;
    const nf = z * 369.3299304675746 + 6755399441055744.0 - 6755399441055744.0;
    const n = nf | 0;
    const r = z - nf * 0.0027076061740622863;
    return (
      F[n & 255] * // 255 = STEPS − 1
      P[0 - (n >> 8)] * // 0 − x, not −x: no −0 index for V8 to guard against
      (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664))))
    );
  };
}

/**
 * Σ expNeg(fround(x[ids[j]] − max)) over `ids[0..size)` (or over `x[0..n)` in index order when `ids` is
 * null), summed in double in the order given. The truncation warpers hand their sparse paths the ids
 * sorted ascending, so that both paths add the same terms in the same order. The choice between the
 * row and the ids is made once, outside the loop (a `ids === null ? j : ids[j]` per cell made
 * logSoftmax 10 % slower).
 */
export function sumExpNeg(x: ArrayLike<number>, max: number, ids: Int32Array | null, size: number): number {
  let s = 0;
  if (ids === null) for (let j = 0; j < size; j++) s += expNeg(Math.fround(x[j] - max));
  else for (let j = 0; j < size; j++) s += expNeg(Math.fround(x[ids[j]] - max));
  return s;
}

/** Table steps per octave of {@link expNegF32}: 2^(−k/16) for k = 0 … ⌈104·16/ln2⌉. */
const F32_STEPS = 16;
/** Constants of {@link expNegF32}, for the kernels that bucket cells by its table step (top-p's histogram). */
export const F32_INV_STEP = F32_STEPS / Math.LN2;
export const F32_STEP = Math.LN2 / F32_STEPS;
export const F32_TABLE = new Float64Array(Math.ceil((-EXP_NEG_FLOOR * F32_STEPS) / Math.LN2) + 2);
for (let k = 0; k < F32_TABLE.length; k++) F32_TABLE[k] = Math.pow(2, -k / F32_STEPS);

/**
 * `exp(z)` for `z ≤ 0` at float32-level accuracy: relative error below 1e-8 (under 2^−26, a sixth of
 * a float32 rounding), 0 for `z ≤ −104`, −Infinity or NaN. About 1.2–1.5× faster than {@link expNeg}
 * and 3× faster than `Math.exp` in V8: `exp(z) = 2^(−k/16) · exp(r)`, one lookup in a 2,403-entry
 * table and a degree-3 Taylor polynomial on |r| ≤ ln2/32 (truncation error r⁴/24 ≤ 9.2e-9).
 *
 * For weights that torch itself only has in float32 (the probabilities `sample` draws from); not
 * for values rounded to float32 and compared with the HF vectors (use {@link expNeg} there).
 *
 * @example
 * ```ts
 * import { expNegF32 } from 'degen-guard';
 *
 * // Math.exp(-1) within 1e-8, relative
 * expNegF32(-1); // → 0.36787944
 * ```
 */
export const expNegF32: (z: number) => number = /* @__PURE__ */ makeExpNegF32(F32_TABLE);

/** Builds {@link expNegF32} around its table, a `const` of this scope (see makeExpNeg for why). */
function makeExpNegF32(table: Float64Array): (z: number) => number {
  const T = table;
  return function expNegF32(z: number): number {
    // the constants written as literals (EXP_NEG_FLOOR, ROUND, F32_INV_STEP, F32_STEP; a test checks
    // them): inlined in a caller's loop, a module constant is reloaded and unboxed on every cell
    if (!(z > -104)) return 0;
    const kf = 6755399441055744.0 - z * 23.083120654223414 - 6755399441055744.0; // round(−z·16/ln2) ≥ 0 (never −0: an integer index)
    const r = z + kf * 0.04332169878499658;
    return T[kf | 0] * expPolyF32(r);
  };
}

/**
 * The polynomial of {@link expNegF32}: `exp(r)` for |r| ≤ ln2/32 (degree-3 Taylor, truncation error
 * below 9.2e-9 relative). The one copy of it: the kernels that bucket cells by the exp's table step
 * (the top-p mass histogram) call it with their own reduced argument.
 */
export function expPolyF32(r: number): number {
  return 1 + r * (1 + r * (0.5 + r * 0.16666666666666666));
}
