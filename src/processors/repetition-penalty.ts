/**
 * Repetition penalty (CTRL, Keskar et al. 2019) with Hugging Face semantics, and its encoder
 * ("hallucination") inverse.
 *
 * Every distinct id seen in the counted part of the history is penalised once, whatever its count:
 * `s < 0 ? s * penalty : s / penalty`, in float32 (`Math.fround(s / Math.fround(penalty))`).
 * With a {@link TokenHistory} a call costs O(#distinct ids counted), not O(vocabulary) nor O(length).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { HistoryScratch } from './history.js';
import { checkInteger, checkLogits } from '../core/validate.js';
import { checkPenalty, PENALTY_OPTION_KEYS, requireHistory, tokenIdList, vocabSizeOption, windowOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

/** Options of {@link repetitionPenalty}. */
export interface RepetitionPenaltyOptions {
  /** Only the last `window` tokens of the history count (default: all, as HF). */
  window?: number;
  /** Positions before this index are never counted (HF `prompt_ignore_length`; default 0). */
  promptIgnoreLength?: number;
}

/** Penalises `ids[0..size)` once each (ids ≥ the row length are ignored). `pf` is float32. */
function penaliseIds(logits: Float32Array, ids: ArrayLike<number>, size: number, pf: number): void {
  const v = logits.length;
  for (let i = 0; i < size; i++) {
    const id = ids[i];
    if (id >= v) continue;
    const s = logits[id];
    // float32 op: the double result of two float32 operands rounds to the correctly rounded float32.
    logits[id] = s < 0 ? s * pf : s / pf;
  }
}

/**
 * HF `RepetitionPenaltyLogitsProcessor`: lowers the logits of tokens already in the history.
 *
 * `penalty > 1` penalises (positive logits are divided, negative ones multiplied), `penalty < 1`
 * rewards, `1` is a no-op. The history is the whole sequence, prompt included (HF `input_ids`).
 *
 * @example
 * ```ts
 * import { repetitionPenalty } from 'degen-guard';
 *
 * const proc = repetitionPenalty(2);
 * const logits = Float32Array.from([2, -2, 1, 0]);
 * proc(logits, [0, 1, 0]);
 * logits; // → [1, -4, 1, 0]
 * ```
 */
export function repetitionPenalty(penalty: number, options: RepetitionPenaltyOptions = {}): Processor {
  const p = checkPenalty('penalty', penalty);
  checkOptionKeys('repetitionPenalty options', options, PENALTY_OPTION_KEYS);
  options ??= {};
  const window = windowOption(options.window);
  const skip = options.promptIgnoreLength === undefined ? 0 : checkInteger('promptIgnoreLength', options.promptIgnoreLength, 0);
  const pf = Math.fround(p);
  const scratch = new HistoryScratch();
  const label = `repetitionPenalty(${p})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, undefined);
    const h = scratch.from(requireHistory(history, label));
    const counts = h.counts(window, skip);
    penaliseIds(logits, counts.ids, counts.size, pf);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // -Infinity stays -Infinity under the penalty, so the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

/**
 * HF `EncoderRepetitionPenaltyLogitsProcessor`: the inverse penalty over a fixed set of ids
 * (the encoder input or the prompt). HF stores `1 / penalty`, so `penalty > 1` makes those tokens
 * *more* likely. The history is ignored. Ids ≥ the row length throw at the call (HF raises too).
 *
 * @example
 * ```ts
 * import { encoderRepetitionPenalty } from 'degen-guard';
 *
 * const proc = encoderRepetitionPenalty(2, [0, 1]);
 * const logits = Float32Array.from([2, -2, 1]);
 * proc(logits);
 * logits; // → [4, -1, 1]
 * ```
 */
export function encoderRepetitionPenalty(
  penalty: number,
  encoderInputIds: ArrayLike<number>,
  options: VocabOptions = {},
): Processor {
  const p = checkPenalty('penalty', penalty);
  const vocabSize = vocabSizeOption(options, 'encoderRepetitionPenalty options');
  const ids = tokenIdList('encoderInputIds', encoderInputIds, vocabSize, true, false);
  let maxId = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i] > maxId) maxId = ids[i];
  const pf = Math.fround(1 / p);
  const label = `encoderRepetitionPenalty(${p})`;
  const run = (logits: Float32Array, _history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    if (maxId >= logits.length) {
      throw new RangeError(`encoderInputIds contains ${maxId}, outside the vocabulary of size ${logits.length}`);
    }
    penaliseIds(logits, ids, ids.length, pf);
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}
