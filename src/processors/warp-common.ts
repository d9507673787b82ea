/**
 * Small helpers shared by the processors: {@link warper}, the one way a processor is built;
 * {@link denseCall} and {@link runWarper}, a plain call and a warper made from a run over the row or
 * the candidates; {@link survivorPaths}; and the Candidates and scratch-buffer helpers of the fast
 * paths.
 */
import { sortIdsAscending } from '../core/sort-ids.js';
import type { Candidates, HistoryLike, Processor, Stateful } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { warmOnce } from '../core/warm-up.js';
import type { AfterScale } from './scale-fusion.js';

type Plain = (logits: Float32Array, history?: HistoryLike) => Float32Array;

/**
 * The one way a processor is built: the plain call `fn`, named `label`, with the optional parts of
 * the contract ({@link Processor}: `truncate`, `sparse`; `divisor` / `afterScale` of the
 * scale-fusion protocol; the {@link Stateful} methods) attached. Returns `fn` itself.
 *
 * A processor over the row alone (`rowOnly`, the default: it reads no history) is warmed up once per
 * kind (its label without the numbers) and process, on small rows through each of its paths
 * (src/core/warm-up.ts says why); a {@link Stateful} one through a clone, so that its state is
 * untouched. Processors that read the history pass `rowOnly` false.
 */
export function warper<E extends ProcessorExtras>(label: string, fn: Plain, extras?: E, rowOnly = true): Processor & E {
  const p = Object.assign(fn, { label }, extras) as Processor & E;
  if (rowOnly) warmProcessor(label, p);
  return p;
}

/**
 * Runs `p` (a clone of it when it is {@link Stateful}) on the warm-up rows through its dense paths:
 * plain (also on a truncated row), truncate, afterScale (on the same row, one after the other). Not the candidate path: fed first, it would
 * make V8 compile the kernels that serve both for both, and the dense call slower (xtc: 440 → 570 µs
 * at V = 128,256); a pipeline that uses it teaches it on its own.
 */
function warmProcessor(label: string, p: Processor & Partial<Stateful> & Partial<AfterScale>): void {
  // the kind: the label without its numbers ('topK(50)' and 'topK(40)' are one kind, 'topK(40, exact)' another)
  warmOnce(label.replace(/-?\d[\d.]*(e[-+]?\d+)?/gi, ''), [
    (row, cands) => {
      const q = p.clone ? (p.clone() as typeof p) : p;
      q(row);
      q(row); // again, on the row it truncated: -Infinity cells
      q.truncate?.(row, cands);
      q.afterScale?.(row, cands, 0.8);
    },
  ]);
}

/**
 * A truncation warper's fast paths for its filter value: `paths` when it is -Infinity, none when it
 * is finite. A finite value is no removal a candidate list can show (the cells keep a value), so such a
 * warper offers its plain call alone, and a pipeline runs it, and the processors after it, dense.
 */
export function survivorPaths<E extends ProcessorExtras>(filter: number, paths: E): E | undefined {
  return filter === -Infinity ? paths : undefined;
}

/** What {@link warper} may attach beside the label. */
export type ProcessorExtras = Partial<Pick<Processor, 'truncate' | 'sparse'>> & object;

/**
 * The plain call of a processor whose work is `run(x, ids, n, cands)` over the cells ids[0..n) (null:
 * the whole row), leaving the survivors in `cands` when given: checks the row, runs over all of it
 * (ids and cands null), returns it.
 */
export function denseCall(run: (x: Float32Array, ids: null, n: number, cands: null) => unknown): Plain {
  return (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    run(logits, null, logits.length, null);
    return logits;
  };
}

/**
 * A truncation warper from `run(logits, ids, n, cands)`, which works over the cells `ids[0..n)` (null:
 * the whole row, n its length; every other cell -Infinity) and, given `cands`, leaves the survivors
 * there: the plain call runs over the row ({@link denseCall}), the sparse call over the candidates
 * sorted ascending (so that sums run in index order, as the dense call's). With a finite filter value
 * there is no sparse call ({@link survivorPaths}).
 */
export function runWarper(
  label: string,
  filter: number,
  run: (logits: Float32Array, ids: Int32Array | null, n: number, cands: Candidates | null) => void,
): Processor {
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    run(logits, sortCandidates(cands), cands.size, cands);
  };
  return warper(label, denseCall(run), survivorPaths(filter, { sparse }));
}

/** Drops from `cands` the ids whose cell is now -Infinity, keeping the others in their order. */
export function dropRemoved(x: Float32Array, cands: Candidates): void {
  const ids = cands.ids;
  let c = 0;
  for (let j = 0; j < cands.size; j++) if (x[ids[j]] !== -Infinity) ids[c++] = ids[j];
  cands.size = c;
}

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
 * Max of `v[0..n)`, or NaN when a cell is NaN or +Infinity (the row's softmax is then NaN and the
 * probability warpers leave it alone). -Infinity when every cell is. Over candidates, gather their
 * cells first: a per-cell choice between a row and a list of ids made V8 compile the loop slower.
 */
export function finiteMax(v: Float32Array, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) {
    const y = v[j];
    if (y > m) {
      if (y === Infinity) return NaN;
      m = y;
    } else if (y !== y) return NaN;
  }
  return m;
}
