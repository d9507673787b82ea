/**
 * Token suppression (HF `SuppressTokensLogitsProcessor`, `SuppressTokensAtBeginLogitsProcessor`):
 * listed ids are set to `-Infinity`, always or only at one step. O(#ids) per call.
 */
import { historyLength } from './history.js';
import { checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

function suppress(logits: Float32Array, ids: Int32Array): void {
  const v = logits.length;
  for (let i = 0; i < ids.length; i++) if (ids[i] < v) logits[ids[i]] = -Infinity;
}

/**
 * HF `SuppressTokensLogitsProcessor`: sets the listed ids to `-Infinity` at every step. Ids ≥ the
 * row length are ignored (as HF). The history is not needed.
 *
 * @example
 * ```ts
 * import { suppressTokens } from 'degen-guard';
 *
 * const proc = suppressTokens([1, 3]);
 * const logits = new Float32Array(4);
 * proc(logits);
 * logits; // → [0, -Infinity, 0, -Infinity]
 * ```
 */
export function suppressTokens(ids: ArrayLike<number>, options: VocabOptions = {}): Processor {
  const vocabSize = vocabSizeOption(options, 'suppressTokens options');
  const list = tokenIdList('ids', ids, vocabSize, true, false);
  const run = (logits: Float32Array, _history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    suppress(logits, list);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(`suppressTokens(${list.length} ids)`, run, { sparse }, false);
}

/**
 * HF `SuppressTokensAtBeginLogitsProcessor`: sets the listed ids to `-Infinity` only when the
 * history length equals `beginIndex` (the first generated position, e.g. the prompt length).
 *
 * @example
 * ```ts
 * import { suppressTokensAtBegin } from 'degen-guard';
 *
 * const proc = suppressTokensAtBegin([0], 2);
 * const logits = new Float32Array(3);
 * // length 2 is the begin index
 * proc(logits, [7, 8]); // → [-Infinity, 0, 0]
 * ```
 */
export function suppressTokensAtBegin(ids: ArrayLike<number>, beginIndex: number, options: VocabOptions = {}): Processor {
  const vocabSize = vocabSizeOption(options, 'suppressTokensAtBegin options');
  const list = tokenIdList('ids', ids, vocabSize, true, false);
  checkInteger('beginIndex', beginIndex, 0);
  const label = `suppressTokensAtBegin(${list.length} ids, ${beginIndex})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    if (historyLength(requireHistory(history, label)) === beginIndex) suppress(logits, list);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}
