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
  const nc =
    ids === null
      ? sumBlocks(x, null, (size + (1 << EXP_BLOCK_SHIFT) - 1) >> EXP_BLOCK_SHIFT, size, W, M, S, out)
      : sumBlocks(gatherCells(x, ids, size), S, blockStarts(ids, size, S as Int32Array), size, W, M, null, out);
  if (nc >= 0) return nc;
  out[0] = NaN;
  out[1] = ids === null ? badCell : ids[badCell];
  return 0;
}

/**
 * The one loop of {@link expBlockSumsIds}: over the cells `v[0..size)` in blocks, block c being
 * `v[starts[c] .. starts[c + 1])` (`starts` null: the blocks of 256 cells, their starts written into
 * `S` when it is given). The per-cell loop reads `v[j]` directly: choosing between a row and a list of
 * ids per cell (`ids === null ? j : ids[j]`) made the dense pass about 1.6× slower in V8, so candidates
 * are gathered first ({@link gatherCells}).
 */
function sumBlocks(
  v: Float32Array,
  starts: Int32Array | null,
  nc: number,
  size: number,
  W: Float64Array,
  M: Float64Array,
  S: Int32Array | null,
  out: Float64Array,
): number {
  const SH = EXP_BLOCK_SHIFT;
  let m = -Infinity;
  for (let c = 0; c < nc; c++) {
    const start = starts === null ? c << SH : starts[c];
    const end = starts === null ? Math.min(size, (c + 1) << SH) : starts[c + 1];
    if (S !== null) S[c] = start;
    let s = 0;
    for (let j = start; j < end; j++) {
      const y = v[j];
      if (!(y <= m)) {
        if (!(y < Infinity)) {
          badCell = j;
          return -1;
        }
        s *= expNegF32(m - y);
        m = y;
      }
      s += expNegF32(y - m);
    }
    W[c] = s;
    M[c] = m;
  }
  if (S !== null) S[nc] = size;
  out[0] = m;
  return nc;
}

/**
 * Where {@link sumBlocks} met a NaN or +Infinity cell. Reported through a module variable and a
 * return of -1: writing it into `out` inside the loop (or returning a value computed from `j`) made
 * V8 compile the whole loop about 1.6× slower.
 */
let badCell = 0;

let gathered = new Float32Array(0);

/**
 * `x[ids[j]]` for j < size, in a scratch array (valid until the next call), so that a kernel over
 * candidates runs the same contiguous loop as over a row.
 */
export function gatherCells(x: Float32Array, ids: Int32Array, size: number): Float32Array {
  if (gathered.length < size) gathered = new Float32Array(Math.max(size, 2 * gathered.length));
  const g = gathered;
  for (let j = 0; j < size; j++) g[j] = x[ids[j]];
  return g;
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
