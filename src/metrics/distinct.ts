/**
 * distinct-n (Li et al. 2016, "A Diversity-Promoting Objective Function for Neural Conversation
 * Models") in the three variants that are in use.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { addNgrams, distinctNgramCount } from './distinct-ngrams.js';
import { NgramTable } from '../core/ngram-table.js';
import { checkInteger } from '../core/validate.js';
import { checkSequence, Interner, type Sequence } from './sequence-input.js';

/**
 * - `'sentence'` (default): the Distinct-N package (neural-dialogue-metrics/Distinct-N): per
 *   sequence `|distinct n-grams| / |tokens|` (0 for an empty sequence), averaged over sequences.
 * - `'pooled'`: Li et al.'s wording: distinct n-grams over the whole corpus / total tokens.
 * - `'ratio'`: distinct n-grams over the whole corpus / total n-grams (what many papers call
 *   distinct-n), in [0, 1], 1 when nothing repeats.
 */
export type DistinctMode = 'sentence' | 'pooled' | 'ratio';

export interface DistinctOptions {
  distinctMode?: DistinctMode;
}

function isCorpus(x: ArrayLike<unknown>): boolean {
  return x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * distinct-n of one sequence or of a corpus (an array of sequences), in the chosen `distinctMode`
 * (the option's name in {@link CorpusMetrics} and the CLI's `--distinct-mode` too).
 * Tokens are ids or words (split text with {@link splitWords} first). With the token-count
 * denominator (`'sentence'`, `'pooled'`) even text without repeats scores `(len − n + 1) / len` < 1
 * for n > 1. A sequence too short for an n-gram contributes 0 n-grams (as the package does under
 * Python 3.6). Empty input: 0 in `'sentence'` mode (the package's explicit guard; an empty corpus,
 * on which the package raises, gives 0 too), `NaN` in the pooled modes.
 *
 * @example
 * ```ts
 * import { distinct } from 'degen-guard';
 *
 * // (7 / 8 tokens)
 * distinct(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 2); // → 0.875
 * distinct([[1, 2, 1, 2], [3, 4]], 1, { distinctMode: 'pooled' }); // → 4 / 6
 * distinct([[1, 2, 1, 2], [3, 4]], 2, { distinctMode: 'ratio' }); // → 3 / 4
 * ```
 */
export function distinct(tokensOrSequences: Sequence | ArrayLike<Sequence>, n: number, options?: DistinctOptions): number {
  checkInteger('n', n, 1);
  checkOptionKeys('distinct options', options, ['distinctMode']);
  const mode = options?.distinctMode ?? 'sentence';
  if (mode !== 'sentence' && mode !== 'pooled' && mode !== 'ratio') {
    throw new TypeError(`distinctMode must be 'sentence', 'pooled' or 'ratio', got ${JSON.stringify(mode)}`);
  }
  checkSequence('tokensOrSequences', tokensOrSequences);
  const input = tokensOrSequences as ArrayLike<unknown>;
  const corpus: ArrayLike<unknown> = isCorpus(input) ? input : [input];
  const interner = new Interner();
  if (mode === 'sentence') {
    if (corpus.length === 0) return 0;
    let sum = 0;
    for (let s = 0; s < corpus.length; s++) {
      const ids = interner.ids(corpus[s], corpus === input ? `tokensOrSequences[${s}]` : 'tokensOrSequences');
      if (ids.length > 0) sum += distinctNgramCount(ids, ids.length, n) / ids.length;
    }
    return sum / corpus.length;
  }
  const table = new NgramTable(n);
  let tokens = 0;
  let ngrams = 0;
  for (let s = 0; s < corpus.length; s++) {
    const ids = interner.ids(corpus[s], corpus === input ? `tokensOrSequences[${s}]` : 'tokensOrSequences', true);
    addNgrams(table, ids, ids.length);
    tokens += ids.length;
    ngrams += Math.max(0, ids.length - n + 1);
  }
  const denominator = mode === 'pooled' ? tokens : ngrams;
  return denominator === 0 ? NaN : table.size / denominator;
}
