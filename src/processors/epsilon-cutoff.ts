/** Epsilon sampling (HF EpsilonLogitsWarper). */
import { sumExpNeg } from '../core/fast-exp.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Processor } from '../core/types.js';
import { checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../core/validate.js';
import type { WarperOptions } from './options.js';
import { finiteMax } from './warp-common.js';
import { applyCutoff, CutoffScratch, cutoffWarper } from './warp-cutoff.js';

/**
 * Removes the tokens whose probability is below `epsilon` (float32 test `p < fround(epsilon)`), except
 * every token ≥ the `minTokensToKeep`-th largest logit (ties all kept), as HF. A row holding NaN or
 * +Infinity, or all `-Infinity`, is left unchanged. Hewitt et al. (2022) suggest 3e-4 to 9e-4.
 *
 * Cost: two passes over the row (max, softmax denominator) and one masking pass; after a truncation
 * (pipeline `sparse`) the same over the candidates only.
 *
 * @param epsilon in (0, 1).
 * @example
 * ```ts
 * import { epsilonCutoff } from 'degen-guard';
 *
 * // p ≈ [.64, .24, .09, .01]
 * epsilonCutoff(0.1)(new Float32Array([2, 1, 0, -2])); // → [2, 1, -Infinity, -Infinity]
 * ```
 */
export function epsilonCutoff(epsilon: number, options: WarperOptions = {}): Processor {
  checkRange('epsilonCutoff epsilon', epsilon, 0, 1, 'both');
  checkOptionKeys('epsilonCutoff options', options, WARPER_OPTION_KEYS);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fe = Math.fround(epsilon);
  const st = new CutoffScratch();
  return cutoffWarper(`epsilonCutoff(${epsilon})`, filter, (logits, ids, n, cands) => {
    const m = finiteMax(logits, ids, n);
    if (!(m > -Infinity)) return;
    applyCutoff(logits, ids, n, m, sumExpNeg(logits, m, ids, n), fe, mtk, filter, st, cands);
  });
}
