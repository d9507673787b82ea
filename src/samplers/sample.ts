/** Sampling a token from the softmax of a row of logits. */
import { createRng } from '../core/rng.js';
import type { Candidates, Rng } from '../core/types.js';
import { checkLogits } from '../core/validate.js';

let defaultRng: Rng | null = null;
let scratch = new Float64Array(0);

/**
 * Draws a token id with probability softmax(logits)[id], exactly (weights and their sum in double;
 * one uniform draw, inverse CDF). Tokens at `-Infinity` are never drawn.
 *
 * Throws a RangeError when a logit is NaN or +Infinity, or every logit is `-Infinity`.
 *
 * @param rng a seeded generator from {@link createRng} for reproducible draws (default: an unseeded one).
 * @param cands optional survivors from a pipeline: only `cands.ids[0..size)` are looked at (O(size)).
 * @example
 * ```ts
 * const rng = createRng(7);
 * const id = sample(new Float32Array([1, 2, 3]), rng); // 2 with probability ≈ 0.665
 * ```
 */
export function sample(logits: Float32Array, rng?: Rng, cands?: Candidates | null): number {
  checkLogits(logits);
  const r = rng ?? (defaultRng ??= createRng());
  if (cands) return sampleCandidates(logits, r, cands);
  const n = logits.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[i];
    if (v > m) m = v;
    else if (v !== v) throw badValue(i, v);
  }
  if (m === Infinity) throw badValue(logits.indexOf(Infinity), Infinity);
  if (m === -Infinity) throw allBanned();
  if (scratch.length < n) scratch = new Float64Array(n);
  const w = scratch;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(logits[i] - m);
    w[i] = e;
    total += e;
  }
  const u = r.next() * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const e = w[i];
    if (e > 0) {
      acc += e;
      last = i;
      if (u < acc) return i;
    }
  }
  return last; // u landed past the rounded sum: the last token with weight
}

/**
 * Same draw as the dense path: the survivors are visited in id order, and the cells outside them are
 * -Infinity (weight 0), so the cumulative sums and the chosen id are identical.
 */
function sampleCandidates(logits: Float32Array, r: Rng, cands: Candidates): number {
  const ids = cands.ids;
  const size = cands.size;
  ids.subarray(0, size).sort();
  let m = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = logits[ids[i]];
    if (v > m) m = v;
    else if (v !== v) throw badValue(ids[i], v);
  }
  if (m === Infinity) throw badValue(-1, Infinity);
  if (m === -Infinity) throw allBanned();
  let total = 0;
  for (let i = 0; i < size; i++) total += Math.exp(logits[ids[i]] - m);
  const u = r.next() * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < size; i++) {
    const e = Math.exp(logits[ids[i]] - m);
    if (e > 0) {
      acc += e;
      last = ids[i];
      if (u < acc) return ids[i];
    }
  }
  return last;
}

function badValue(i: number, v: number): RangeError {
  return new RangeError(`logits[${i}] is ${v}: cannot sample from a row holding NaN or +Infinity`);
}

function allBanned(): RangeError {
  return new RangeError('logits are all -Infinity: every token is banned, nothing to sample');
}
