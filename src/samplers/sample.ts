/** Sampling a token from the softmax of a row of logits. */
import { EXP_BLOCK_SHIFT, expBlockSumsIds } from '../core/exp-blocks.js';
import { expNegF32 } from '../core/fast-exp.js';
import { createRng, ownNextInto } from '../core/rng.js';
import { sortIdsAscending } from '../core/sort-ids.js';
import type { Candidates, Rng } from '../core/types.js';
import { checkCandidates, checkLogits, foreignCandidates } from '../core/validate.js';
import { warmOnce } from '../core/warm-up.js';

/** Cells per block of the block sums. */
const SHIFT = EXP_BLOCK_SHIFT;
const BLOCK = 1 << SHIFT;

let defaultRng: Rng | null = null;
let warm = false;

/**
 * Scratch of {@link sample}, grown once and reused by every call (module-level: `sample` is a plain
 * function, and a call runs to its end without yielding, so no two calls share it at once). Per
 * block: its weight sum (relative to the row max once the pass is over), the max it used, and where
 * it starts in the ids; `ids` the caller's candidates copied and sorted (theirs are left as given).
 */
const scratch = {
  W: /* @__PURE__ */ new Float64Array(0),
  M: /* @__PURE__ */ new Float64Array(0),
  S: /* @__PURE__ */ new Int32Array(0),
  ids: /* @__PURE__ */ new Int32Array(0),
  out: /* @__PURE__ */ new Float64Array(3),
};

function ensure(blocks: number): void {
  if (scratch.W.length < blocks + 1) {
    scratch.W = new Float64Array(blocks + 1);
    scratch.M = new Float64Array(blocks + 1);
    scratch.S = new Int32Array(blocks + 1);
  }
}

/**
 * Draws a token id with probability softmax(logits)[id]. Tokens at `-Infinity` are never drawn.
 *
 * The weights are `exp(x − max)` from {@link expNegF32} (relative error below 1e-8: float32-level,
 * as torch's own float32 softmax that HF samples from), summed in double. One pass over the row
 * keeps a running max and, per block of 256 ids, a weight sum rescaled when the max rises; one
 * uniform draw `u · total` then walks the block sums and, inside the block it lands in, the weights
 * in id order (inverse CDF). One `rng.next()` per draw, no allocation.
 *
 * Throws a RangeError when a logit is NaN or +Infinity, or every logit is `-Infinity`, when
 * `rng.next()` returns anything but a number in [0, 1), and when `cands` hold an id outside the row
 * (candidates of another row).
 *
 * @param rng a seeded generator from {@link createRng} for reproducible draws (default: an unseeded one).
 * @param cands optional survivors from a pipeline (every cell outside them is `-Infinity`): only
 *   `cands.ids[0..size)` are looked at, in O(size) (a sorted copy of them: `cands` is not changed).
 *   The draw is the one the dense call makes with the same rng state, id for id.
 * @example
 * ```ts
 * import { createRng, sample } from 'degen-guard';
 *
 * // probabilities 0.090, 0.245, 0.665; seeded, so this draw is always the same
 * const rng = createRng(7);
 * sample(new Float32Array([1, 2, 3]), rng); // → 1
 * ```
 */
export function sample(logits: Float32Array, rng?: Rng, cands?: Candidates | null): number {
  if (!warm) {
    // the dense draw, once per process, on small rows first, with a generator of its own
    // (src/core/warm-up.ts says why)
    warm = true;
    const own = createRng(0);
    warmOnce('sample', [(row) => sample(row, own)]);
  }
  checkLogits(logits);
  const r = rng ?? (defaultRng ??= createRng());
  if (!cands) return draw(logits, r, null, logits.length);
  const size = checkCandidates(cands, logits.length);
  if (scratch.ids.length < size) scratch.ids = new Int32Array(Math.max(size, 2 * scratch.ids.length));
  const ids = scratch.ids;
  const given = cands.ids;
  for (let q = 0; q < size; q++) ids[q] = given[q]; // a loop, not set(subarray): no view allocated
  sortIdsAscending(ids, size);
  if (size > 0 && (ids[0] < 0 || ids[size - 1] >= logits.length)) throw foreignCandidates(ids[size - 1] >= logits.length ? ids[size - 1] : ids[0], logits.length);
  return draw(logits, r, ids, size);
}

/**
 * The draw over the cells `ids[0..size)` (ascending; null: the whole row, size its length). With
 * candidates, sorted ascending, the pass meets the row's finite cells in the same order with the same
 * running max, and the blocks without a candidate hold weight 0 in the dense pass (adding 0 changes
 * no sum), so every sum, the total and the chosen id are the dense call's.
 */
function draw(x: Float32Array, r: Rng, ids: Int32Array | null, size: number): number {
  ensure(ids === null ? (size + BLOCK - 1) >> SHIFT : size);
  const { W, S, out } = scratch;
  const nc = expBlockSumsIds(x, ids, size, W, scratch.M, S, out);
  const m = out[0];
  if (m !== m) throw badValue(out[1], x[out[1]]);
  if (m === -Infinity) throw allBanned();
  rescale(nc);
  // no double crosses a call here (each one passed to or returned from a call V8 did not inline,
  // as happens once many cases have run, was a new heap number): the max, the total and the draw
  // travel in scratch.out, the draw's check is inline
  let u: number;
  // the library's generator: its draw is in [0, 1) by construction
  if (ownNextInto(r, out, 2)) u = out[2] * out[1];
  else {
    const u0 = r.next();
    if (!(u0 >= 0 && u0 < 1)) throw badDraw(u0);
    u = u0 * out[1];
  }
  let acc = 0;
  for (let c = 0; c < nc; c++) {
    const w = W[c];
    if (!(w > 0)) continue;
    if (u < acc + w) {
      const end = S[c + 1];
      let a = acc;
      let last = -1;
      for (let j = S[c]; j < end; j++) {
        const id = ids === null ? j : ids[j];
        const e = expNegF32(x[id] - m);
        if (e > 0) {
          a += e;
          last = id;
          if (u < a) return id;
        }
      }
      if (last >= 0) return last; // u past the block's rounded partial sums
    }
    acc += w;
  }
  // u landed past the rounded total: the last token with weight (the max has weight 1)
  let j = size - 1;
  while (!(expNegF32(x[ids === null ? j : ids[j]] - m) > 0)) j--;
  return ids === null ? j : ids[j];
}

/**
 * Brings the block sums to the final max, `scratch.out[0]` (in place), and writes their total, summed
 * in block order, into `scratch.out[1]`.
 */
function rescale(nb: number): void {
  const W = scratch.W;
  const M = scratch.M;
  const m = scratch.out[0];
  let total = 0;
  for (let b = 0; b < nb; b++) {
    const w = W[b] * expNegF32(M[b] - m);
    W[b] = w;
    total += w;
  }
  scratch.out[1] = total;
}

/** The RangeError naming rng when `rng.next()` returned `u`, not a number in [0, 1). */
function badDraw(u: unknown): RangeError {
  return new RangeError(`rng.next() must return a number in [0, 1), got ${String(u)}`);
}

function badValue(i: number, v: number): RangeError {
  return new RangeError(`logits[${i}] is ${v}: cannot sample from a row holding NaN or +Infinity`);
}

function allBanned(): RangeError {
  return new RangeError('logits are all -Infinity: every token is banned, nothing to sample');
}
