/**
 * The sort-based form of typicalP's rule (HF TypicalLogitsWarper, float32 arithmetic cell by cell:
 * log-softmax, `nansum` entropy, the probabilities rounded to float32 before the cumulative sum): every
 * finite cell ordered by `|−log p − H|` with a typed-array sort of packed keys, O(n log n). typicalP
 * uses it only for the rows its histogram cannot hold (a max beyond ±65,536, or an interval reaching
 * more than 39 nats below the max).
 */
import { gatherCells } from '../../core/exp-blocks.js';
import { expNeg } from '../../core/fast-exp.js';
import type { Candidates } from '../../core/types.js';
import { finiteMax } from '../warp-common.js';

/** Scratch buffers of {@link typicalBySort}, grown once. */
export class SortScratch {
  keys: Float64Array = new Float64Array(0);
  shifted: Float32Array = new Float32Array(0);
  ids: Int32Array = new Int32Array(0);
  bits = new Float32Array(1);
  bitsU = new Uint32Array(this.bits.buffer);
}

/**
 * Applies typicalP's rule to the cells `ids0[0..n)` (ascending; null = the whole row, n = its length),
 * every other cell being -Infinity, and writes the finite survivors into `out` when given.
 *
 * @example
 * ```ts
 * import { SortScratch, typicalBySort } from './sorted.js';
 *
 * const x = new Float32Array([2, 1, 0, -2]);
 * typicalBySort(x, null, 4, Math.fround(0.5), 1, -Infinity, new SortScratch(), null);
 * x; // → [2, -Infinity, -Infinity, -Infinity]
 * ```
 */
export function typicalBySort(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  fm: number,
  mtk: number,
  f: number,
  st: SortScratch,
  out: Candidates | null,
): void {
  if (st.ids.length < n) {
    st.ids = new Int32Array(n);
    st.keys = new Float64Array(n);
    st.shifted = new Float32Array(n);
  }
  // the cells in position order (gathered on candidates): the loops read one array by position
  const vals = ids0 === null ? x : gatherCells(x, ids0, n);
  const m = finiteMax(vals, n);
  if (!(m > -Infinity)) return;
  const V = x.length;
  // finite cells, in index order
  const ids = st.ids;
  let nF = 0;
  for (let j = 0; j < n; j++) if (vals[j] !== -Infinity) ids[nF++] = j;
  if (ids0 !== null) for (let q = 0; q < nF; q++) ids[q] = ids0[ids[q]];
  // torch: normalized = log_softmax (sum rounded to float32), p = exp(normalized), ent = −nansum(normalized·p)
  let s = 0;
  for (let q = 0; q < nF; q++) s += expNeg(Math.fround(x[ids[q]] - m));
  const lse = Math.fround(Math.log(Math.fround(s)));
  let ent = 0;
  for (let q = 0; q < nF; q++) {
    const nl = Math.fround(Math.fround(x[ids[q]] - m) - lse);
    const p = Math.fround(Math.exp(nl));
    ent += Math.fround(nl * p);
  }
  const ent32 = Math.fround(-ent);
  // order by shifted = |−normalized − ent| (ties by id), via packed float64 keys
  const shifted = st.shifted;
  const keys = st.keys;
  const idBits = Math.max(1, Math.ceil(Math.log2(V + 1)));
  const scale = Math.pow(2, idBits);
  for (let q = 0; q < nF; q++) {
    const id = ids[q];
    const nl = Math.fround(Math.fround(x[id] - m) - lse);
    const sh = Math.fround(Math.abs(-nl - ent32));
    shifted[q] = sh;
    st.bits[0] = sh;
    keys[q] = st.bitsU[0] * scale + q;
  }
  const sorted = keys.subarray(0, nF);
  sorted.sort();
  // last = count(cum < mass), clamped to V − 1; -Infinity cells sit after the finite ones (shift = ∞)
  let acc = 0;
  let count = 0;
  for (let r = 0; r < nF; r++) {
    const q = sorted[r] % scale;
    acc += Math.fround(expNeg(Math.fround(x[ids[q]] - m)) / s);
    if (Math.fround(acc) < fm) count++;
    else break;
  }
  if (count >= nF && nF < V) {
    // the cut lands on an infinite shift: nothing is removed
    return;
  }
  const last = Math.min(count, nF - 1);
  const limit = shifted[sorted[last] % scale];
  let kept = 0;
  const oids = out ? out.ids : null;
  for (let r = 0; r < nF; r++) {
    const q = sorted[r] % scale;
    const id = ids[q];
    if (shifted[q] > limit && r >= mtk) x[id] = f;
    else if (oids) oids[kept++] = id;
    else kept++;
  }
  if (f !== -Infinity || ids0 === null) {
    // -Infinity cells have an infinite shift: removed (visible only with a finite filter value),
    // except the first ones in HF's order when minTokensToKeep exceeds the finite cells
    let exempt = mtk - nF;
    for (let i = 0; i < V; i++) {
      if (x[i] === -Infinity && (ids0 === null || f !== -Infinity)) {
        if (exempt > 0) exempt--;
        else x[i] = f;
      }
    }
  }
  if (out) out.size = kept;
}
