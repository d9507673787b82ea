/**
 * The softmax denominator of a row (or of its cells `ids`) in one pass: the max and
 * Σ exp(x − max), with {@link expBlockSums}' arithmetic (relative error below 1e-8). Shared by the
 * samplers that threshold probabilities (xtc, mirostat, dynamic temperature).
 */
import { EXP_BLOCK_SHIFT, expBlockSums, expBlockSumsIds } from './exp-blocks.js';
import { expNegF32 } from './fast-exp.js';

let W = new Float64Array(0);
let M = new Float64Array(0);
let S = new Int32Array(0);
const idOut = new Float64Array(2);

/** Result of {@link expTotal}: `max` (NaN when a cell is NaN or +Infinity) and `sum` = Σ exp(x − max). */
export interface ExpTotal {
  max: number;
  sum: number;
}

/**
 * Over `x[0..n)` (ids null) or the cells `ids[0..size)` sorted ascending (every other cell being
 * -Infinity): writes the max and Σ exp(x − max) into `out`. `sum` is 0 when every cell is -Infinity.
 *
 * @example
 * ```ts
 * const out = { max: 0, sum: 0 };
 * expTotal(new Float32Array([0, 0, -Infinity]), null, 3, out); // out = { max: 0, sum: 2 }
 * ```
 */
export function expTotal(x: Float32Array, ids: Int32Array | null, size: number, out: ExpTotal): void {
  const blocks = ids === null ? (size >> EXP_BLOCK_SHIFT) + 1 : size + 1;
  if (W.length < blocks + 1) {
    W = new Float64Array(blocks + 1);
    M = new Float64Array(blocks + 1);
    S = new Int32Array(blocks + 1);
  }
  let m: number;
  let nb: number;
  if (ids === null) {
    m = expBlockSums(x, size, W, M);
    nb = (size + (1 << EXP_BLOCK_SHIFT) - 1) >> EXP_BLOCK_SHIFT;
  } else {
    nb = expBlockSumsIds(x, ids, size, W, M, S, idOut);
    m = idOut[0];
  }
  out.max = m;
  if (m !== m || m === -Infinity) {
    out.sum = 0;
    return;
  }
  let total = 0;
  for (let b = 0; b < nb; b++) total += W[b] * expNegF32(M[b] - m);
  out.sum = total;
}
