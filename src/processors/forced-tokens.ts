/**
 * Forced tokens (HF `ForcedBOSTokenLogitsProcessor`, `ForcedEOSTokenLogitsProcessor`): at one step
 * the row becomes `-Infinity` everywhere except the forced id(s), which are set to 0.
 */
import { historyLength } from './history.js';
import { checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

function forcing(label: string, name: string, ids: Int32Array, vocabSize: number | undefined, at: number): Processor {
  let maxId = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i] > maxId) maxId = ids[i];
  const active = (logits: Float32Array, history: HistoryLike | undefined): boolean => {
    checkLogits(logits, vocabSize);
    if (historyLength(requireHistory(history, label)) !== at) return false;
    if (maxId >= logits.length) {
      throw new RangeError(`${name} = ${maxId} is outside the vocabulary of size ${logits.length}`);
    }
    return true;
  };
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    if (!active(logits, history)) return logits;
    logits.fill(-Infinity);
    for (let i = 0; i < ids.length; i++) logits[ids[i]] = 0;
    return logits;
  };
  const sparse = (logits: Float32Array, cands: Candidates, history?: HistoryLike): void => {
    if (!active(logits, history)) return;
    // Cells outside cands are already -Infinity: clear the candidates, then the forced ids survive.
    for (let i = 0; i < cands.size; i++) logits[cands.ids[i]] = -Infinity;
    for (let i = 0; i < ids.length; i++) {
      logits[ids[i]] = 0;
      cands.ids[i] = ids[i];
    }
    cands.size = ids.length;
  };
  return warper(label, run, { sparse }, false);
}

/**
 * HF `ForcedBOSTokenLogitsProcessor`: when the history has exactly one token, every logit becomes
 * `-Infinity` except `bosTokenId`, which becomes 0. An id ≥ the row length throws at that step.
 *
 * @example
 * ```ts
 * import { forcedBos } from 'degen-guard';
 *
 * const proc = forcedBos(2);
 * const logits = Float32Array.from([1, 2, 3]);
 * proc(logits, [0]);
 * logits; // → [-Infinity, -Infinity, 0]
 * ```
 */
export function forcedBos(bosTokenId: number, options: VocabOptions = {}): Processor {
  const vocabSize = vocabSizeOption(options, 'forcedBos options');
  checkInteger('bosTokenId', bosTokenId, 0, vocabSize === undefined ? Infinity : vocabSize - 1);
  return forcing(`forcedBos(${bosTokenId})`, 'bosTokenId', Int32Array.of(bosTokenId), vocabSize, 1);
}

/**
 * HF `ForcedEOSTokenLogitsProcessor`: when the history has `maxLength - 1` tokens, every logit
 * becomes `-Infinity` except the eos id(s), which become 0. An id ≥ the row length throws then.
 *
 * @example
 * ```ts
 * import { forcedEos } from 'degen-guard';
 *
 * const proc = forcedEos(4, [0, 3]);
 * const logits = Float32Array.from([1, 2, 3, 4]);
 * proc(logits, [5, 6, 7]);
 * logits; // → [0, -Infinity, -Infinity, 0]
 * ```
 */
export function forcedEos(maxLength: number, eosTokenIds: number | ArrayLike<number>, options: VocabOptions = {}): Processor {
  checkInteger('maxLength', maxLength, 1);
  const vocabSize = vocabSizeOption(options, 'forcedEos options');
  const eos = tokenIdList('eosTokenIds', eosTokenIds, vocabSize, false);
  return forcing(`forcedEos(${maxLength})`, 'eosTokenIds', eos, vocabSize, maxLength - 1);
}
