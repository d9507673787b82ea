/**
 * HF `ExponentialDecayLengthPenalty`: after a start length, the eos logit(s) grow exponentially so
 * that generation tends to end. O(#eos ids) per call.
 */
import { historyLength } from './history.js';
import { checkFinite, checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

/** The largest finite float32: `-F32_MAX` is what removeInfNan writes for a banned -Infinity. */
const F32_MAX = 3.4028234663852886e38;

/**
 * With `rs = start + inputIdsSeqLength`, once the history is longer than `rs` every eos logit
 * becomes `s + |s| * (factor ** (len - rs) - 1)` (the power in double, the rest in float32, as HF).
 * The change is additive on `|s|`, so a negative eos logit rises and can cross zero; `factor < 1`
 * lowers it. An eos id ≥ the row length throws when the penalty is active (HF raises too).
 *
 * Deviation: a non-finite eos logit is left as is (HF turns `-Infinity` into `NaN` when factor > 1).
 * Deviation: an eos logit at the lowest float32 (−3.4028235e38) is what {@link removeInfNan} (HF
 * `remove_invalid_values`, run just before this processor in HF's order) makes of a banned
 * `-Infinity`. HF adds `|s| · (factor^k − 1)` to it: 0 at `factor^k = 2` and `+Infinity` (float32
 * overflow) beyond, so a min-length ban turns into a certain eos. Here such a cell gets HF's value
 * while that stays negative (below −2e31, still probability 0) and otherwise stays at the lowest
 * float32: a banned eos stays banned.
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
  const vocabSize = vocabSizeOption(options, 'exponentialDecayLengthPenalty options');
  const eos = tokenIdList('eosTokenIds', eosTokenIds, vocabSize, false);
  let maxId = -1;
  for (let i = 0; i < eos.length; i++) if (eos[i] > maxId) maxId = eos[i];
  const regulationStart = start + inputIdsSeqLength;
  const label = `exponentialDecayLengthPenalty(${start}, ${factor})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    const len = historyLength(requireHistory(history, label));
    if (len <= regulationStart) return logits;
    if (maxId >= logits.length) {
      throw new RangeError(`eosTokenIds = ${maxId} is outside the vocabulary of size ${logits.length}`);
    }
    const growth = Math.fround(Math.pow(factor, len - regulationStart) - 1);
    for (let i = 0; i < eos.length; i++) {
      const s = logits[eos[i]];
      if (!Number.isFinite(s)) continue; // -Infinity (a ban) stays
      const r = Math.fround(s + Math.fround(Math.abs(s) * growth));
      // a ban that removeInfNan made finite (the lowest float32) rises as in HF while it stays
      // negative (then ≤ −2e31: still probability 0), but never to 0 or +Infinity (factor^k ≥ 2)
      if (s <= -F32_MAX && !(r < 0)) continue;
      logits[eos[i]] = r;
    }
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // -Infinity eos cells are left as they are: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}
