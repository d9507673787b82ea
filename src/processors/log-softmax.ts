/** Log-softmax normalisation (HF LogitNormalization). */
import { logSoftmaxInto } from '../core/softmax.js';
import type { Processor } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { warper } from './warp-common.js';

/**
 * Replaces the row by its log-softmax, `x − max − log Σ exp(x − max)` in float32 (HF
 * `renormalize_logits=True`, which `generate` applies last). A row holding NaN or +Infinity, or one
 * that is all `-Infinity`, becomes all NaN, as in torch.
 *
 * @example
 * ```ts
 * import { logSoftmax } from 'degen-guard';
 *
 * logSoftmax()(new Float32Array([0, 0])); // → [-0.6931472, -0.6931472]
 * ```
 */
export function logSoftmax(): Processor {
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    logSoftmaxInto(logits, logits);
    return logits;
  };
  return warper('logSoftmax()', plain);
}
