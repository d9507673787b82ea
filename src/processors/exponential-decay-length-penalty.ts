/**
 * HF `ExponentialDecayLengthPenalty`: after a start length, the eos logit(s) grow exponentially so
 * that generation tends to end. O(#eos ids) per call.
 */
import { historyLength } from '../core/history.js';
import { checkFinite, checkInteger } from '../core/validate.js';
import { checkRow, requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from '../core/token-id-options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';

/**
 * With `rs = start + inputIdsSeqLength`, once the history is longer than `rs` every eos logit
 * becomes `s + |s| * (factor ** (len - rs) - 1)` (the power in double, the rest in float32, as HF).
 * The change is additive on `|s|`, so a negative eos logit rises and can cross zero; `factor < 1`
 * lowers it. An eos id ≥ the row length throws when the penalty is active (HF raises too).
 *
 * Deviation: a non-finite eos logit is left as is (HF turns `-Infinity` into `NaN` when factor > 1).
 *
 * @example
 * ```ts
 * import { exponentialDecayLengthPenalty } from 'degen-guard';
 *
 * const proc = exponentialDecayLengthPenalty([2, 2], 0, 1);
 * const logits = Float32Array.from([1.5, 0]);
 * // length 5 > 3: logits[0] = 1.5 + 1.5 * (2 ** 2 - 1) = 6
 * proc(logits, [9, 9, 9, 9, 9]); // → [6, 0]
 * ```
 */
export function exponentialDecayLengthPenalty(
  startAndFactor: readonly [number, number],
  eosTokenIds: number | ArrayLike<number>,
  inputIdsSeqLength: number,
  options: VocabOptions = {},
): Processor {
  if (!Array.isArray(startAndFactor) || startAndFactor.length !== 2) {
    throw new TypeError(`exponentialDecayLengthPenalty must be a pair [start, factor], got ${String(startAndFactor)}`);
  }
  const start = checkInteger('exponentialDecayLengthPenalty start', startAndFactor[0], 0);
  const factor = checkFinite('exponentialDecayLengthPenalty factor', startAndFactor[1]);
  checkInteger('inputIdsSeqLength', inputIdsSeqLength, 0);
  const vocabSize = vocabSizeOption(options);
  const eos = tokenIdList('eosTokenIds', eosTokenIds, vocabSize, false);
  let maxId = -1;
  for (let i = 0; i < eos.length; i++) if (eos[i] > maxId) maxId = eos[i];
  const regulationStart = start + inputIdsSeqLength;
  const label = `exponentialDecayLengthPenalty(${start}, ${factor})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkRow(logits, vocabSize);
    const len = historyLength(requireHistory(history, label));
    if (len <= regulationStart) return logits;
    if (maxId >= logits.length) {
      throw new RangeError(`eosTokenIds = ${maxId} is outside the vocabulary of size ${logits.length}`);
    }
    const growth = Math.fround(Math.pow(factor, len - regulationStart) - 1);
    for (let i = 0; i < eos.length; i++) {
      const s = logits[eos[i]];
      if (!Number.isFinite(s)) continue;
      logits[eos[i]] = s + Math.fround(Math.abs(s) * growth);
    }
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // -Infinity eos cells are left as they are: the candidate superset stays valid.
    run(logits, history);
  };
  return Object.assign(run, { label, sparse });
}
