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
const INV_STEP = STEPS / Math.LN2;
const STEP = Math.LN2 / STEPS;
/** Adding and subtracting 1.5·2^52 rounds a double to the nearest integer. */
const ROUND = 6755399441055744.0;

/** Arguments at or below this give 0 (float32 underflow of the probability). */
export const EXP_NEG_FLOOR = -104;

/**
 * `exp(z)` for `z ≤ 0`, relative error below 2e-14; 0 for `z ≤ −104`, −Infinity or NaN.
 *
 * @example
 * ```ts
 * expNeg(-1); // 0.36787944117144233 (Math.exp(-1) up to ~1e-14)
 * ```
 */
export function expNeg(z: number): number {
  if (!(z > EXP_NEG_FLOOR)) return 0;
  const nf = z * INV_STEP + ROUND - ROUND;
  const n = nf | 0;
  const r = z - nf * STEP;
  return (
    FRAC[n & (STEPS - 1)] *
    POW2[-(n >> 8)] *
    (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664))))
  );
}

/**
 * Σ expNeg(fround(x[ids[j]] − max)) over `ids[0..size)` (or over `x[0..n)` in index order when `ids` is
 * null), summed in double in the order given. The truncation warpers hand their sparse paths the ids
 * sorted ascending, so that both paths add the same terms in the same order.
 */
export function sumExpNeg(x: ArrayLike<number>, max: number, ids: Int32Array | null, size: number): number {
  let s = 0;
  if (ids === null) {
    for (let i = 0; i < size; i++) s += expNeg(Math.fround(x[i] - max));
  } else {
    for (let j = 0; j < size; j++) s += expNeg(Math.fround(x[ids[j]] - max));
  }
  return s;
}
