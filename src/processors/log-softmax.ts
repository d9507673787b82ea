/** Log-softmax normalisation (HF LogitNormalization). */
import { expTotalResult } from '../core/exp-total.js';
import { logSoftmaxTerms, logSumExpTerm, writeLogSoftmax } from '../core/softmax.js';
import type { Processor } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { warper } from './warp-common.js';

/**
 * Replaces the row by its log-softmax, `x − max − log Σ exp(x − max)` in float32 (HF
 * `renormalize_logits=True`, which `generate` applies last): each cell is
 * `float32(float32(x − max) − L)` with L = float32(ln float32(S)), as in torch. A row holding NaN or
 * +Infinity, or one that is all `-Infinity`, becomes all NaN, as in torch.
 *
 * Cost: one pass for the max and S together (float32-level exps: L is within one float32 rounding of
 * the exact value, as torch's own float32 sum is) and one writing pass.
 *
 * @example
 * ```ts
 * import { logSoftmax } from 'degen-guard';
 *
 * logSoftmax()(new Float32Array([0, 0])); // → [-0.6931472, -0.6931472]
 * ```
 */
export function logSoftmax(): Processor {
  const tot = expTotalResult();
  const terms = logSoftmaxTerms();
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    logSumExpTerm(logits, n, tot, terms);
    if (terms.lse !== terms.lse) logits.fill(NaN);
    else writeLogSoftmax(logits, logits, n, terms);
    return logits;
  };
  return warper('logSoftmax()', plain);
}
