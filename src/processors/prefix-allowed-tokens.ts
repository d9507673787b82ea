/**
 * Constrained decoding by an allowed-token callback (HF `PrefixConstrainedLogitsProcessor`).
 */
import { checkLogits } from '../core/validate.js';
import { requireHistory, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

/** Returns the ids allowed as the next token, given the history so far (prompt included). */
export type AllowedTokensFn = (history: HistoryLike) => ArrayLike<number>;

/**
 * HF `PrefixConstrainedLogitsProcessor`: every id not returned by `fn(history)` becomes `-Infinity`.
 * If every allowed id is already `-Infinity`, the allowed ids are set to 0 instead (HF's fallback,
 * so the row is never empty). `fn` must return a non-empty list of ids inside the row; otherwise
 * the call throws (HF raises too). `fn` receives the history exactly as given to the processor (a TokenHistory or an array).
 *
 * Deviation: a disallowed cell becomes `-Infinity` even when it held `+Infinity` or `NaN` (HF adds
 * `-inf` and gets `NaN` there).
 *
 * @example
 * ```ts
 * import { prefixAllowedTokens } from 'degen-guard';
 *
 * const proc = prefixAllowedTokens((history) => (history!.length % 2 ? [0, 1] : [2]));
 * const logits = Float32Array.from([1, 2, 3]);
 * proc(logits, [9]);
 * logits; // → [1, 2, -Infinity]
 * ```
 */
export function prefixAllowedTokens(fn: AllowedTokensFn, options: VocabOptions = {}): Processor {
  if (typeof fn !== 'function') throw new TypeError(`prefixAllowedTokens needs a function, got ${String(fn)}`);
  const vocabSize = vocabSizeOption(options, 'prefixAllowedTokens options');
  let saved = new Float32Array(16);
  let stamp = new Int32Array(0);
  let gen = 0;
  const allowedFor = (logits: Float32Array, history: HistoryLike | undefined): ArrayLike<number> => {
    checkLogits(logits, vocabSize);
    const allowed = fn(requireHistory(history, 'prefixAllowedTokens'));
    if (allowed == null || typeof allowed.length !== 'number' || typeof allowed === 'string') {
      throw new TypeError(`prefixAllowedTokens: fn must return an array of token ids, got ${String(allowed)}`);
    }
    if (allowed.length === 0) {
      throw new RangeError('prefixAllowedTokens: fn returned no allowed token (the constraint is unsatisfiable)');
    }
    const v = logits.length;
    for (let i = 0; i < allowed.length; i++) {
      const id = allowed[i];
      if (!Number.isInteger(id) || id < 0 || id >= v) {
        throw new RangeError(`prefixAllowedTokens: allowed id ${id} is not a token id of the vocabulary of size ${v}`);
      }
    }
    return allowed;
  };
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    const allowed = allowedFor(logits, history);
    const k = allowed.length;
    if (saved.length < k) saved = new Float32Array(Math.max(k, saved.length * 2));
    let any = false;
    for (let i = 0; i < k; i++) {
      const s = logits[allowed[i]];
      saved[i] = s;
      if (s !== -Infinity) any = true;
    }
    logits.fill(-Infinity);
    // Allowed cells keep `s + 0` (HF adds a 0/-inf mask); if all were -Infinity they become 0.
    for (let i = 0; i < k; i++) logits[allowed[i]] = any ? saved[i] + 0 : 0;
    return logits;
  };
  const sparse = (logits: Float32Array, cands: Candidates, history?: HistoryLike): void => {
    const allowed = allowedFor(logits, history);
    const k = allowed.length;
    if (stamp.length < logits.length) {
      stamp = new Int32Array(logits.length);
      gen = 0;
    }
    gen++;
    let any = false;
    for (let i = 0; i < k; i++) {
      stamp[allowed[i]] = gen;
      if (logits[allowed[i]] !== -Infinity) any = true;
    }
    const ids = cands.ids;
    let size = 0;
    if (any) {
      for (let i = 0; i < cands.size; i++) {
        const id = ids[i];
        if (stamp[id] === gen) {
          logits[id] = logits[id] + 0;
          ids[size++] = id;
        } else logits[id] = -Infinity;
      }
    } else {
      for (let i = 0; i < cands.size; i++) logits[ids[i]] = -Infinity;
      for (let i = 0; i < k; i++) {
        const id = allowed[i];
        if (logits[id] !== 0) {
          logits[id] = 0;
          ids[size++] = id;
        }
      }
    }
    cands.size = size;
  };
  return warper('prefixAllowedTokens', run, { sparse }, false);
}
