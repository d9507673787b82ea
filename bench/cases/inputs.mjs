// The inputs of one benchmark group (one vocabulary size): a pool of LM-shaped rows, a work buffer,
// and LM-like token histories of the requested context lengths (all from bench/lm-logits.mjs).

import { lmLogits, lmTokens, rowStats } from '../lm-logits.mjs';

/** Rows in the pool: the timed iterations cycle through them (a power of two). */
export const POOL = 8;
/** Distinct tokens that followed the final bigram of every context (what noRepeatNgram(3) bans). */
export const FOLLOWERS = 4;

export function makeInputs(vocab, contexts, { seed = 1 } = {}) {
  const rows = lmLogits(vocab, POOL, { seed });
  const maxCtx = Math.max(0, ...contexts);
  // one token stream; a context of length L is its first L − 2 tokens followed by a bigram of those
  // that was followed by FOLLOWERS distinct tokens (or the nearest count), so that the history ends in
  // a repeated (n−1)-gram and noRepeatNgram(3) bans the same number of tokens at every length
  const stream = lmTokens(maxCtx, vocab, { seed });
  const contextTokens = new Map();
  for (const L of contexts) {
    const tokens = new Int32Array(L);
    tokens.set(stream.subarray(0, L - 2));
    const [a, b] = bigramWithFollowers(tokens, L - 2, vocab, FOLLOWERS);
    tokens[L - 2] = a;
    tokens[L - 1] = b;
    contextTokens.set(L, { tokens, distinct: Int32Array.from(new Set(tokens)) });
  }
  return {
    vocab,
    rows,
    work: new Float32Array(vocab),
    contexts: contextTokens,
    /** entropy / top-1 / nucleus statistics of a larger sample of rows from the same generator */
    stats: () => rowStats(lmLogits(vocab, 64, { seed: seed + 1000 })),
  };
}

function bigramWithFollowers(t, n, vocab, want) {
  const followers = new Map();
  for (let i = 0; i + 2 < n; i++) {
    const k = t[i] * vocab + t[i + 1];
    let f = followers.get(k);
    if (!f) followers.set(k, (f = new Set()));
    f.add(t[i + 2]);
  }
  let key = t[0] * vocab + t[1], best = Infinity;
  for (const [k, f] of followers) {
    const d = Math.abs(f.size - want);
    if (d < best) {
      best = d;
      key = k;
    }
  }
  return [Math.floor(key / vocab), key % vocab];
}
