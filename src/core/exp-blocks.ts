/**
 * One pass over a row computing its max and, per block of 256 ids, Σ exp(x − running max) with
 * {@link expNegF32}'s arithmetic (relative error below 1e-8): the softmax weights `sample` draws
 * from. The running max makes it one pass: when it rises, the block's sum so far is rescaled.
 *
 * Each term is a call of `expNegF32` (V8 inlines it: the loop costs the same as with the exp written
 * out, and allocates nothing).
 */
import { expNegF32 } from './fast-exp.js';

/** log2 of the cells per block. */
export const EXP_BLOCK_SHIFT = 8;

/**
 * Over `x[0..n)`: for each block b of 256 cells, `W[b]` = Σ expNegF32(x[i] − M[b]) (each term
 * computed against the running max at cell i, the partial sum rescaled by expNegF32(old − new) when
 * the max rises) and `M[b]` = the running max at the block's end. Returns the row's max, or NaN as
 * soon as a cell is NaN or +Infinity (W and M are then incomplete). `-Infinity` cells weigh 0.
 *
 * @example
 * ```ts
 * import { expBlockSums } from './exp-blocks.js';
 *
 * const W = new Float64Array(1), M = new Float64Array(1);
 * // the max; one block of 256 ids, its weight sum e^-1 + 1 relative to its max M[0]
 * expBlockSums(new Float32Array([0, 1]), 2, W, M); // → 1
 * W; // → [1.36787944]
 * M; // → [1]
 * ```
 */
export function expBlockSums(x: Float32Array, n: number, W: Float64Array, M: Float64Array): number {
  expBlockSumsIds(x, null, n, W, M, null, denseOut);
  return denseOut[0];
}

/** {@link expBlockSums}'s max (and the id of a bad cell). */
const denseOut = /* @__PURE__ */ new Float64Array(2);

/**
 * {@link expBlockSums} over the cells `ids[0..size)` (ascending), every other cell being -Infinity
 * (`ids` null: every cell of `x[0..size)`, the dense pass itself): only the blocks holding an id get
 * an entry, in order — `W[c]`, `M[c]`, and `S[c]` the position in `ids` where block c starts
 * (`S[count]` = size; `S` may be null when `ids` is). Every sum equals the dense one of the same block
 * (the same finite cells in the same order; -Infinity cells add 0). Writes the max into `out[0]`
 * (NaN when a cell is NaN or +Infinity, with `out[1]` its id) and returns the number of blocks.
 *
 * @example
 * ```ts
 * import { expBlockSumsIds } from './exp-blocks.js';
 *
 * const W = new Float64Array(3), M = new Float64Array(3), S = new Int32Array(3), out = new Float64Array(2);
 * // ids 1 and 300 fall in two blocks of 256 ids
 * expBlockSumsIds(new Float32Array(600).fill(-Infinity), Int32Array.from([1, 300]), 2, W, M, S, out); // → 2
 * ```
 */
export function expBlockSumsIds(
  x: Float32Array,
  ids: Int32Array | null,
  size: number,
  W: Float64Array,
  M: Float64Array,
  S: Int32Array | null,
  out: Float64Array,
): number {
  const SH = EXP_BLOCK_SHIFT;
  const nc = ids === null ? (size + (1 << SH) - 1) >> SH : blockStarts(ids, size, S as Int32Array);
  let m = -Infinity;
  for (let c = 0; c < nc; c++) {
    const start = ids === null ? c << SH : (S as Int32Array)[c];
    const end = ids === null ? Math.min(size, (c + 1) << SH) : (S as Int32Array)[c + 1];
    if (ids === null && S !== null) S[c] = start;
    let s = 0;
    for (let j = start; j < end; j++) {
      const id = ids === null ? j : ids[j];
      const v = x[id];
      if (!(v <= m)) {
        if (!(v < Infinity)) {
          out[0] = NaN;
          out[1] = id;
          return 0;
        }
        s *= expNegF32(m - v);
        m = v;
      }
      s += expNegF32(v - m);
    }
    W[c] = s;
    M[c] = m;
  }
  if (S !== null) S[nc] = size;
  out[0] = m;
  return nc;
}

/** Where each block of ids starts: `S[c]` for the c-th block holding an id, `S[count]` = size; returns the count. */
export function blockStarts(ids: Int32Array, size: number, S: Int32Array): number {
  let nc = 0;
  let cur = -1;
  for (let j = 0; j < size; j++) {
    const blk = ids[j] >> EXP_BLOCK_SHIFT;
    if (blk !== cur) {
      cur = blk;
      S[nc++] = j;
    }
  }
  S[nc] = size;
  return nc;
}
