/**
 * Minimum-length constraints (HF `MinLengthLogitsProcessor`, `MinNewTokensLengthLogitsProcessor`):
 * the eos id(s) are set to `-Infinity` until the sequence is long enough. O(#eos ids) per call.
 */
import { historyLength } from './history.js';
import { checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

function banWhile(
  label: string,
  eos: Int32Array,
  vocabSize: number | undefined,
  active: (len: number) => boolean,
): Processor {
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    const len = historyLength(requireHistory(history, label));
    if (!active(len)) return logits;
    const v = logits.length;
    for (let i = 0; i < eos.length; i++) if (eos[i] < v) logits[eos[i]] = -Infinity;
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // Only sets cells to -Infinity: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

/**
 * HF `MinLengthLogitsProcessor`: bans the eos id(s) while the history (prompt included) is shorter
 * than `minLength`. Eos ids ≥ the row length are ignored (as HF).
 *
 * @example
 * ```ts
 * import { minLength } from 'degen-guard';
 *
 * const proc = minLength(5, 2);
 * const logits = new Float32Array(4);
 * // length 3 < 5: eos 2 is banned
 * proc(logits, [0, 1, 1]); // → [0, 0, -Infinity, 0]
 * ```
 */
export function minLength(minLength: number, eosTokenIds: number | ArrayLike<number>, options: VocabOptions = {}): Processor {
  checkInteger('minLength', minLength, 0);
  const vocabSize = vocabSizeOption(options, 'minLength options');
  const eos = tokenIdList('eosTokenIds', eosTokenIds, vocabSize);
  return banWhile(`minLength(${minLength})`, eos, vocabSize, (len) => len < minLength);
}

/**
 * HF `MinNewTokensLengthLogitsProcessor`: bans the eos id(s) while fewer than `minNewTokens` tokens
 * follow the prompt (`history.length - promptLength < minNewTokens`).
 *
 * @example
 * ```ts
 * import { minNewTokens } from 'degen-guard';
 *
 * const proc = minNewTokens(3, 2, 0);
 * const logits = new Float32Array(4);
 * // 1 new token < 2: eos 0 is banned
 * proc(logits, [5, 6, 7, 8]); // → [-Infinity, 0, 0, 0]
 * ```
 */
export function minNewTokens(
  promptLength: number,
  minNewTokens: number,
  eosTokenIds: number | ArrayLike<number>,
  options: VocabOptions = {},
): Processor {
  checkInteger('promptLength', promptLength, 0);
  checkInteger('minNewTokens', minNewTokens, 0);
  const vocabSize = vocabSizeOption(options, 'minNewTokens options');
  const eos = tokenIdList('eosTokenIds', eosTokenIds, vocabSize);
  return banWhile(
    `minNewTokens(${promptLength}, ${minNewTokens})`,
    eos,
    vocabSize,
    (len) => len - promptLength < minNewTokens,
  );
}
