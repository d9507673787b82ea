/** Epsilon sampling (HF EpsilonLogitsWarper). */
import { sumExpNeg } from '../core/fast-exp.js';
import type { Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption } from '../core/validate.js';
import type { WarperOptions } from './top-p.js';
import { finiteMax, warper } from './warp-common.js';
import { applyCutoff, CutoffScratch } from './warp-cutoff.js';

/**
 * Removes the tokens whose probability is below `epsilon` (float32 test `p < fround(epsilon)`), except
 * every token ≥ the `minTokensToKeep`-th largest logit (ties all kept), as HF. A row holding NaN or
 * +Infinity, or all `-Infinity`, is left unchanged. Hewitt et al. (2022) suggest 3e-4 to 9e-4.
 *
 * @param epsilon in (0, 1).
 * @example
 * ```ts
 * epsilonCutoff(0.1)(new Float32Array([2, 1, 0, -2])); // [2, 1, -Infinity, -Infinity]: p ≈ [.64, .24, .09, .01]
 * ```
 */
export function epsilonCutoff(epsilon: number, options: WarperOptions = {}): Processor {
  checkRange('epsilonCutoff epsilon', epsilon, 0, 1, 'both');
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fe = Math.fround(epsilon);
  const st = new CutoffScratch();
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    const m = finiteMax(logits, null, n);
    if (!(m > -Infinity)) return logits;
    const s = sumExpNeg(logits, m, null, n);
    applyCutoff(logits, m, s, fe, mtk, filter, st);
    return logits;
  };
  return warper(`epsilonCutoff(${epsilon})`, plain);
}
