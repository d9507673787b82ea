/** Replacing NaN and infinities (HF InfNanRemoveLogitsProcessor). */
import type { Processor } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { warper } from './warp-common.js';

/** The largest finite float32 (torch.finfo(torch.float32).max). */
const F32_MAX = 3.4028234663852886e38;

/**
 * NaN becomes 0, +Infinity the largest float32 and -Infinity the lowest (HF
 * `remove_invalid_values=True`). Note that this also turns banned (-Infinity) tokens into very
 * unlikely but finite ones, exactly as HF does.
 *
 * @example
 * ```ts
 * import { removeInfNan } from 'degen-guard';
 *
 * removeInfNan()(new Float32Array([NaN, Infinity, -Infinity, 1])); // → [0, 3.4028235e38, -3.4028235e38, 1]
 * ```
 */
export function removeInfNan(): Processor {
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    for (let i = 0; i < n; i++) {
      const v = logits[i];
      if (v !== v) logits[i] = 0;
      else if (v === Infinity) logits[i] = F32_MAX;
      else if (v === -Infinity) logits[i] = -F32_MAX;
    }
    return logits;
  };
  return warper('removeInfNan()', plain);
}
