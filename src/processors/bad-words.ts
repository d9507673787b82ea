/**
 * Banned token sequences (HF `NoBadWordsLogitsProcessor`).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { SequenceRuleScratch } from './sequence-rules.js';
import { checkLogits } from '../core/validate.js';
import { tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { checkRulesFit, sequenceRulesOption } from './sequence-rules.js';
import { warper } from './warp-common.js';

/** Options of {@link badWords}. */
export interface BadWordsOptions extends VocabOptions {
  /** End-of-sequence id(s): single-token bad words equal to one are dropped (as HF does). */
  eosTokenIds?: number | ArrayLike<number>;
  /** @deprecated The former spelling of `eosTokenIds` (every other processor says `eosTokenIds`). */
  eosTokenId?: number | ArrayLike<number>;
}

/**
 * HF `NoBadWordsLogitsProcessor`: a single-id sequence is always banned (`-Infinity`); a longer one
 * bans its last id when the ids before it are the end of the history. Single-id entries equal to an
 * eos id are dropped (an eos inside a longer entry is still banned). An id ≥ the row length throws
 * at the call (HF raises a ValueError on its first call).
 *
 * Deviation: a banned cell becomes `-Infinity` even when it held `+Infinity` or `NaN` (HF adds
 * `-inf` and gets `NaN` there).
 *
 * @example
 * ```ts
 * import { badWords } from 'degen-guard';
 *
 * const proc = badWords([[7], [1, 2]]);
 * const logits = new Float32Array(8);
 * // 7 always; 2 because the history ends with 1
 * proc(logits, [0, 1]); // → [0, 0, -Infinity, 0, 0, 0, 0, -Infinity]
 * ```
 */
export function badWords(sequences: ReadonlyArray<ArrayLike<number>>, options: BadWordsOptions = {}): Processor {
  checkOptionKeys('badWords options', options, ['eosTokenIds', 'vocabSize', 'eosTokenId']);
  options ??= {};
  const vocabSize = vocabSizeOption(options);
  if (options.eosTokenIds !== undefined && options.eosTokenId !== undefined) {
    throw new TypeError('badWords options: give eosTokenIds only (eosTokenId is its former spelling), not both');
  }
  const eosName = options.eosTokenId !== undefined ? 'eosTokenId' : 'eosTokenIds';
  const eosValue = options.eosTokenIds ?? options.eosTokenId;
  const eos = eosValue === undefined ? new Int32Array(0) : tokenIdList(eosName, eosValue);
  // Validate every entry first (as HF does), then drop the single-id entries that are an eos id (HF filters before compiling).
  sequenceRulesOption('sequences', sequences, vocabSize, () => -Infinity, (e) => e);
  const kept = (sequences as ReadonlyArray<ArrayLike<number>>).filter(
    (s) => !(s.length === 1 && eos.includes(s[0])),
  );
  const rules = kept.length > 0 ? sequenceRulesOption('sequences', kept, vocabSize, () => -Infinity, (e) => e) : null;
  const scratch = new SequenceRuleScratch();
  const label = `badWords(${sequences.length} sequences)`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    if (!rules) return logits;
    checkRulesFit('badWords', rules, logits.length);
    scratch.apply(rules, logits, history, true, label);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // Only sets cells to -Infinity: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}
