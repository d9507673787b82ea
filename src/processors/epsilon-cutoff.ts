/** Epsilon sampling (HF EpsilonLogitsWarper). */
import { expTotal, expTotalResult } from '../core/exp-total.js';
import { sumExpNeg } from '../core/fast-exp.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Processor } from '../core/types.js';
import { checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../core/validate.js';
import type { WarperOptions } from './options.js';
import { CutoffScratch, errorBoundsFor, exactCutoff, fastCutoffFrom, keepFromOf, N_ERR, N_HI, N_KEEP, N_LO, N_MAX, N_SUM } from './warp-cutoff.js';
import { runWarper } from './warp-common.js';

/**
 * Removes the tokens whose probability is below `epsilon` (float32 test `p < fround(epsilon)`), except
 * every token ≥ the `minTokensToKeep`-th largest logit (ties all kept), as HF. A row holding NaN or
 * +Infinity, or all `-Infinity`, is left unchanged. Hewitt et al. (2022) suggest 3e-4 to 9e-4.
 *
 * Cost: one pass over the row (max and softmax denominator together, float32-level exps), a read of
 * the blocks of 256 cells that can hold a survivor, and a fill; about one row in a thousand (a cell
 * too close to the line for that denominator) takes the exact denominator in one more pass. After a
 * truncation (pipeline `sparse`) the same over the candidates only.
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
  const tot = expTotalResult();
  return runWarper(`epsilonCutoff(${epsilon})`, filter, (logits, ids, n, cands) => {
    expTotal(logits, ids, n, tot);
    const m = tot.max;
    if (!(m > -Infinity)) return;
    const num = st.num;
    num[N_MAX] = m;
    num[N_SUM] = tot.sum;
    num[N_ERR] = errorBoundsFor(n, st)[1];
    num[N_LO] = fe;
    num[N_HI] = fe;
    num[N_KEEP] = mtk <= 1 ? m : keepFromOf(logits, ids, n, m, mtk, st);
    if (fastCutoffFrom(logits, ids, n, filter, st, cands)) return;
    exactCutoff(logits, ids, n, m, sumExpNeg(logits, m, ids, n), fe, num[N_KEEP], filter, cands);
  });
}
