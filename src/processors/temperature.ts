/** Temperature scaling (HF TemperatureLogitsWarper). */
import type { ScalesBy } from './scale-fusion.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkFinite, checkLogits } from '../core/validate.js';
import { warper } from './warp-common.js';

/**
 * Divides every logit by `t`, in float32 as torch does: `fround(x / fround(t))`. `t < 1` sharpens the
 * distribution, `t > 1` flattens it. Large logits over a tiny `t` overflow to ±Infinity, as in HF.
 *
 * Exposes `divisor` (= fround(t)): in a {@link pipeline}, `temperature → topK` runs as one pass
 * (topK's `afterScale`), leaving the same row.
 *
 * @param t a finite number > 0 (0, negatives, NaN and ±Infinity throw a RangeError/TypeError).
 * @example
 * ```ts
 * import { temperature } from 'degen-guard';
 *
 * temperature(0.5)(new Float32Array([1, 2, -Infinity])); // → [2, 4, -Infinity]
 * ```
 */
export function temperature(t: number): Processor & ScalesBy {
  checkFinite('temperature', t);
  if (!(t > 0)) throw new RangeError(`temperature must be > 0, got ${t}`);
  const ft = Math.fround(t);
  if (!(ft > 0)) throw new RangeError(`temperature must be ≥ the smallest float32 (≈1.4e-45), got ${t}`);
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    for (let i = 0; i < n; i++) logits[i] = logits[i] / ft;
    return logits;
  };
  // -Infinity / t is -Infinity: only the candidates change.
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    const ids = cands.ids;
    for (let j = 0; j < cands.size; j++) {
      const id = ids[j];
      logits[id] = logits[id] / ft;
    }
  };
  // `divisor`: a pipeline may hand the division to the next processor's `afterScale` (one pass)
  return warper(`temperature(${t})`, plain, { sparse, divisor: ft });
}
