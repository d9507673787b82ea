/**
 * No-repeat-n-gram bans (HF `NoRepeatNGramLogitsProcessor` and `EncoderNoRepeatNGramLogitsProcessor`):
 * a token is banned (`-Infinity`) when it would complete an n-gram that already occurs.
 *
 * With a {@link TokenHistory} a call costs O(n + #followers of the last n−1 tokens), whatever the
 * context length: the history keeps an (n−1)-gram → followers index up to date as tokens are pushed.
 */
import { checkHistoryTail, HistoryScratch, historyLength } from './history.js';
import { tokenAt } from './sequence-rules.js';
import { TokenHistory } from '../core/token-history.js';
import { type NgramFollowers, ngramFollowers } from './ngram-followers.js';
import { checkInteger, checkLogits } from '../core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption, type VocabOptions } from './options.js';
import type { Candidates, HistoryLike, Processor } from '../core/types.js';
import { warper } from './warp-common.js';

/**
 * HF `NoRepeatNGramLogitsProcessor`: bans every token `t` for which (last n−1 tokens, t) already
 * occurs as a contiguous n-gram of the history (prompt included). `n = 1` bans every token present.
 * No-op while the history is shorter than `n`. Ids ≥ the row length are ignored.
 *
 * @example
 * ```ts
 * import { noRepeatNgram } from 'degen-guard';
 *
 * const proc = noRepeatNgram(2);
 * const logits = Float32Array.from([0, 0, 0, 0]);
 * // (1, 2) occurred: 2 may not follow 1 again
 * proc(logits, [1, 2, 3, 1]); // → [0, 0, -Infinity, 0]
 * ```
 */
export function noRepeatNgram(n: number): Processor {
  checkInteger('n', n, 1);
  const scratch = new HistoryScratch();
  const tail = new Int32Array(Math.max(1, n - 1));
  const label = `noRepeatNgram(${n})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, undefined);
    const given = requireHistory(history, label);
    const len = historyLength(given);
    if (len < n) return logits;
    const h = scratch.from(given);
    const v = logits.length;
    if (n === 1) {
      const counts = h.counts();
      for (let i = 0; i < counts.size; i++) {
        const id = counts.ids[i];
        if (id < v) logits[id] = -Infinity;
      }
      return logits;
    }
    const followers = ngramFollowers(h, n);
    const start = len - n + 1;
    for (let i = 0; i < n - 1; i++) tail[i] = h.at(start + i) as number;
    for (let node = followers.first(tail, 0); node >= 0; node = followers.nextOf(node)) {
      const id = followers.tokenOf(node);
      if (id < v) logits[id] = -Infinity;
    }
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    // Only sets cells to -Infinity: the candidate superset stays valid.
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

/**
 * HF `EncoderNoRepeatNGramLogitsProcessor`: bans `t` when (last n−1 tokens of the history, t) is an
 * n-gram of `encoderInputIds` (one sequence; with beams, give each beam its item's encoder ids).
 * `n = 1` bans every encoder token. No-op while the history is shorter than n−1. A banned id ≥ the
 * row length throws (HF raises an IndexError).
 *
 * @example
 * ```ts
 * import { encoderNoRepeatNgram } from 'degen-guard';
 *
 * const proc = encoderNoRepeatNgram(2, [5, 6, 7]);
 * const logits = new Float32Array(8);
 * // (5, 6) is an encoder bigram
 * proc(logits, [1, 5]); // → [0, 0, 0, 0, 0, 0, -Infinity, 0]
 * ```
 */
export function encoderNoRepeatNgram(
  n: number,
  encoderInputIds: ArrayLike<number>,
  options: VocabOptions = {},
): Processor {
  checkInteger('n', n, 1);
  const vocabSize = vocabSizeOption(options, 'encoderNoRepeatNgram options');
  const encoder = tokenIdList('encoderInputIds', encoderInputIds, vocabSize, true, false);
  // n = 1: the distinct encoder ids; n ≥ 2: the encoder's (n−1)-gram → followers index.
  const all = n === 1 ? encoder : null;
  const followers: NgramFollowers | null = n === 1 ? null : ngramFollowers(new TokenHistory(Array.from(encoderInputIds)), n);
  const tail = new Int32Array(Math.max(1, n - 1));
  const label = `encoderNoRepeatNgram(${n})`;
  const run = (logits: Float32Array, history?: HistoryLike): Float32Array => {
    checkLogits(logits, vocabSize);
    const given = requireHistory(history, label);
    const len = historyLength(given);
    const v = logits.length;
    if (all) {
      for (let i = 0; i < all.length; i++) if (all[i] >= v) outside(all[i], v);
      for (let i = 0; i < all.length; i++) logits[all[i]] = -Infinity;
      return logits;
    }
    if (len < n - 1) return logits;
    checkHistoryTail(given, n - 1);
    const f = followers as NgramFollowers;
    const start = len - n + 1;
    for (let i = 0; i < n - 1; i++) tail[i] = tokenAt(given, start + i);
    const first = f.first(tail, 0);
    for (let node = first; node >= 0; node = f.nextOf(node)) if (f.tokenOf(node) >= v) outside(f.tokenOf(node), v);
    for (let node = first; node >= 0; node = f.nextOf(node)) logits[f.tokenOf(node)] = -Infinity;
    return logits;
  };
  const sparse = (logits: Float32Array, _cands: Candidates, history?: HistoryLike): void => {
    run(logits, history);
  };
  return warper(label, run, { sparse }, false);
}

function outside(id: number, v: number): never {
  throw new RangeError(`encoderInputIds: banned token ${id} is outside the vocabulary of size ${v}`);
}
