/**
 * Small helpers shared by the processors: {@link warper}, the one way a processor is built, and the
 * Candidates and scratch-buffer helpers of the fast paths.
 */
import { sortIdsAscending } from '../core/sort-ids.js';
import type { Candidates, HistoryLike, Processor, Stateful } from '../core/types.js';

type Plain = (logits: Float32Array, history?: HistoryLike) => Float32Array;

/**
 * The one way a processor is built: the plain call `fn`, named `label`, with the optional parts of
 * the contract ({@link Processor}: `truncate`, `sparse`; `divisor` / `afterScale` of the
 * scale-fusion protocol; the {@link Stateful} methods) attached. Returns `fn` itself.
 */
export function warper<E extends ProcessorExtras>(label: string, fn: Plain, extras?: E): Processor & E {
  return Object.assign(fn, { label }, extras) as Processor & E;
}

/** What {@link warper} may attach beside the label. */
export type ProcessorExtras = Partial<Pick<Processor, 'truncate' | 'sparse'>> & object;

/** Sets `cands` to every id of a row of length n (a valid superset of any survivors). */
export function allCandidates(cands: Candidates, n: number): void {
  const ids = cands.ids;
  for (let i = 0; i < n; i++) ids[i] = i;
  cands.size = n;
}

/**
 * Sorts `cands.ids[0..size)` ascending in place (so that sparse sums run in index order) and returns
 * `cands.ids`. No allocation; O(size) when the ids come in ascending or descending order, as a
 * truncation's survivors do.
 */
export function sortCandidates(cands: Candidates): Int32Array {
  sortIdsAscending(cands.ids, cands.size);
  return cands.ids;
}

/** A Float32Array of at least n cells: `buf` itself when large enough, else a new one. */
export function growF32(buf: Float32Array, n: number): Float32Array {
  return buf.length >= n ? buf : new Float32Array(Math.max(n, buf.length * 2));
}

/** An Int32Array of at least n cells: `buf` itself when large enough, else a new one. */
export function growI32(buf: Int32Array, n: number): Int32Array {
  return buf.length >= n ? buf : new Int32Array(Math.max(n, buf.length * 2));
}

/**
 * Max of the cells `ids[0..n)` (null: `x[0..n)`), or NaN when a cell is NaN or +Infinity (the row's
 * softmax is then NaN and the probability warpers leave it alone). -Infinity when every cell is.
 */
export function finiteMax(x: Float32Array, ids: Int32Array | null, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = x[ids === null ? j : ids[j]];
    if (v > m) {
      if (v === Infinity) return NaN;
      m = v;
    } else if (v !== v) return NaN;
  }
  return m;
}
