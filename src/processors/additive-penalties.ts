/**
 * OpenAI / vLLM additive penalties: `frequencyPenalty` subtracts `f * count` from every counted
 * token's logit, `presencePenalty` subtracts `p` once from every counted token's logit.
 *
 * Rounding is float32 as vLLM computes it on float32 tensors:
 * `Math.fround(s - Math.fround(Math.fround(f) * count))` and `Math.fround(s - Math.fround(p))`.
 * With a {@link TokenHistory} a call costs O(#distinct ids counted).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { HistoryScratch } from './history.js';
import { checkFinite, checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { PENALTY_OPTION_KEYS, windowOption } from './options.js';
import { warper } from './warp-common.js';

/** Options of {@link frequencyPenalty} and {@link presencePenalty}. */
export interface AdditivePenaltyOptions {
  /** Only the last `window` tokens of the history count (default: all). */
  window?: number;
  /**
   * Positions before this index are never counted (default 0). Pass the prompt length to count
   * generated tokens only, as OpenAI and vLLM do.
   */
  promptIgnoreLength?: number;
}

function additive(
  name: string,
  value: number,
  options: AdditivePenaltyOptions,
  byCount: boolean,
): Processor {
  const amount = checkFinite(name, value);
  checkOptionKeys(`${name} options`, options, PENALTY_OPTION_KEYS);
  options ??= {};
  const window = windowOption(options.window);
  const skip = options.promptIgnoreLength === undefined ? 0 : checkInteger('promptIgnoreLength', options.promptIgnoreLength, 0);
  const af = Math.fround(amount);
  const scratch = new HistoryScratch();
  const label = `${name}(${amount})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, undefined);
    const counts = scratch.from(requireHistory(history, label)).counts(window, skip);
    const ids = counts.ids;
    const v = logits.length;
    for (let i = 0; i < counts.size; i++) {
      const id = ids[i];
      if (id >= v) continue;
      // one expression, not `byCount ? fround(…) : af`: that phi of a float and the closure's number was
      // boxed per id (12.5 kB per call at 1,008 distinct ids); af is a float32, so fround(af · 1) = af
      const d = Math.fround(af * (byCount ? counts.get(id) : 1));
      logits[id] = logits[id] - d;
    }
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // -Infinity minus a finite amount stays -Infinity: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

/**
 * OpenAI `frequency_penalty`: `logit -= f * count` for every token counted in the history.
 * Negative `f` encourages repetition. Ids ≥ the row length are ignored.
 *
 * @example
 * ```ts
 * import { frequencyPenalty } from 'degen-guard';
 *
 * const proc = frequencyPenalty(0.5);
 * const logits = Float32Array.from([1, 1, 1]);
 * proc(logits, [0, 0, 1]);
 * logits; // → [0, 0.5, 1]
 * ```
 */
export function frequencyPenalty(f: number, options: AdditivePenaltyOptions = {}): Processor {
  return additive('frequencyPenalty', f, options, true);
}

/**
 * OpenAI `presence_penalty`: `logit -= p` once for every token present in the history.
 *
 * @example
 * ```ts
 * import { presencePenalty } from 'degen-guard';
 *
 * const proc = presencePenalty(0.5);
 * const logits = Float32Array.from([1, 1, 1]);
 * proc(logits, [0, 0, 1]);
 * logits; // → [0.5, 0.5, 1]
 * ```
 */
export function presencePenalty(p: number, options: AdditivePenaltyOptions = {}): Processor {
  return additive('presencePenalty', p, options, false);
}
