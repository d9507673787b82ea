/**
 * Marking the tokens that belong to a repeated n-gram (Welleck et al.'s sequence-level unlikelihood
 * target), handy for highlighting degenerate spans.
 */
import { NgramTable } from '../core/ngram-table.js';
import { checkInteger } from '../core/validate.js';
import { Interner, type Sequence } from './sequence-input.js';

export interface RepeatMaskOptions {
  /**
   * Reproduce `ngram_repeat_mask` of the reference's run_gpt2.py exactly: its loop never examines
   * the final window, so a repeat that ends the sequence is not marked. Default false.
   */
  ulCompat?: boolean;
}

/**
 * A 0/1 mask over `tokens`: for each window `tokens[j .. j+n)` that already occurred earlier
 * (scanning left to right), its n positions are set to 1.
 *
 * @example
 * ```ts
 * import { ngramRepeatMask } from 'degen-guard';
 *
 * ngramRepeatMask([1, 2, 3, 1, 2, 3], 3); // → [0, 0, 0, 1, 1, 1]
 * ngramRepeatMask([1, 2, 3, 1, 2, 3], 3, { ulCompat: true }); // → [0, 0, 0, 0, 0, 0]
 * ```
 */
export function ngramRepeatMask(tokens: Sequence, n: number, options?: RepeatMaskOptions): Uint8Array {
  checkInteger('n', n, 1);
  const ids = new Interner().ids(tokens, 'tokens');
  const len = ids.length;
  const mask = new Uint8Array(len);
  const last = options?.ulCompat ? len - n - 1 : len - n;
  const seen = new NgramTable(n);
  for (let j = 0; j <= last; j++) {
    seen.add(ids, j);
    if (!seen.added) mask.fill(1, j, j + n);
  }
  return mask;
}
