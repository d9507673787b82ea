/** Top-k truncation (HF TopKLogitsWarper). */
import { heapPopRoot, heapPush, heapReplaceRoot } from '../core/index-heap.js';
import { kthLargest } from '../core/select.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkInteger, checkLogits, filterValueOption, minTokensOption } from '../core/validate.js';
import { allCandidates, growF32, warper } from './warp-common.js';

/** Options of {@link topK}. */
export interface TopKOptions {
  /** At least this many tokens survive (default 1); the effective k is `max(k, minTokensToKeep)`. */
  minTokensToKeep?: number;
  /** Value written into removed cells (default `-Infinity`). */
  filterValue?: number;
}

/** Above this k the one-pass heap gives way to a selection then a masking pass. */
const HEAP_MAX_K = 1024;

/**
 * Keeps the k largest logits and every logit tied with the k-th largest; the others become
 * `filterValue`. As HF: the effective k is `min(max(k, minTokensToKeep), vocab)`; NaN ranks above
 * every number (torch.topk) and is never removed, so a row with at least k NaN is left unchanged.
 *
 * One pass over the row: a size-k min-heap; a value below the heap minimum can never survive (the
 * minimum only rises), so it is masked on the spot; evicted values are settled after the pass.
 *
 * @param k an integer ≥ 1.
 * @example
 * ```ts
 * const warp = topK(2);
 * warp(new Float32Array([1, 3, 3, 2])); // [-Infinity, 3, 3, -Infinity] (ties with the 2nd value kept)
 * ```
 */
export function topK(k: number, options: TopKOptions = {}): Processor {
  checkInteger('topK k', k, 1);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const kEff = Math.max(k, mtk);
  const st = new TopKScratch();

  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    topKDense(logits, kEff, filter, st, null);
    return logits;
  };
  const truncate = (logits: Float32Array, cands: Candidates): boolean => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      topKDense(logits, kEff, filter, st, null);
      return false;
    }
    topKDense(logits, kEff, filter, st, cands);
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      topKDense(logits, kEff, filter, st, null);
      allCandidates(cands, logits.length);
      return;
    }
    topKSparse(logits, kEff, st, cands);
  };
  return warper(`topK(${k})`, plain, { truncate, sparse });
}

/** Scratch buffers of one topK processor, grown once to the vocabulary size. */
class TopKScratch {
  heapV: Float32Array = new Float32Array(0);
  heapI: Int32Array = new Int32Array(0);
  maybe: Int32Array = new Int32Array(0);
  nan: Int32Array = new Int32Array(0);
  backup: Float32Array = new Float32Array(0);
  select: Float32Array = new Float32Array(0);

  grow(n: number, k: number): void {
    if (this.maybe.length < n) {
      this.maybe = new Int32Array(n);
      this.nan = new Int32Array(n);
      this.backup = new Float32Array(n);
    }
    if (this.heapV.length < k) {
      this.heapV = new Float32Array(k);
      this.heapI = new Int32Array(k);
    }
  }
}

/** Dense top-k; with `out`, also writes the survivors into it. */
function topKDense(x: Float32Array, kEff: number, f: number, st: TopKScratch, out: Candidates | null): void {
  const n = x.length;
  const k = Math.min(kEff, n);
  if (k >= n) {
    if (out) allCandidates(out, n);
    return;
  }
  if (k > HEAP_MAX_K) {
    st.select = growF32(st.select, n);
    const t = kthLargest(x, k, st.select, n);
    if (t !== t) {
      if (out) allCandidates(out, n);
      return;
    }
    let c = 0;
    const ids = out ? out.ids : null;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (v < t) x[i] = f;
      else if (ids) ids[c++] = i;
    }
    if (out) out.size = c;
    return;
  }
  st.grow(n, k);
  const hv = st.heapV;
  const hi = st.heapI;
  const maybe = st.maybe;
  const nanIds = st.nan;
  let size = 0;
  let cap = k;
  let nm = 0;
  let nn = 0;
  let i = 0;
  for (; i < n && size < cap; i++) {
    const v = x[i];
    if (v !== v) {
      nanIds[nn++] = i;
      cap--;
    } else size = heapPush(hv, hi, size, v, i);
  }
  if (size === 0) {
    // k NaN: the k-th largest is NaN and nothing is removed.
    if (out) allCandidates(out, n);
    return;
  }
  let backedUp = false;
  if (i < n) {
    // A later NaN can make the k-th largest NaN (nothing removed): keep the row to undo the masking.
    st.backup.set(x);
    backedUp = true;
  }
  let hm = hv[0];
  for (; i < n; i++) {
    const v = x[i];
    if (v < hm) x[i] = f;
    else if (v > hm) {
      maybe[nm++] = hi[0];
      heapReplaceRoot(hv, hi, size, v, i);
      hm = hv[0];
    } else if (v === hm) maybe[nm++] = i;
    else {
      nanIds[nn++] = i;
      maybe[nm++] = hi[0];
      size = heapPopRoot(hv, hi, size);
      if (size === 0) {
        if (backedUp) x.set(st.backup.subarray(0, n));
        if (out) allCandidates(out, n);
        return;
      }
      hm = hv[0];
    }
  }
  if (out) {
    const ids = out.ids;
    let c = 0;
    for (let j = 0; j < size; j++) ids[c++] = hi[j];
    for (let j = 0; j < nn; j++) ids[c++] = nanIds[j];
    for (let j = 0; j < nm; j++) {
      const id = maybe[j];
      if (x[id] < hm) x[id] = f;
      else ids[c++] = id;
    }
    out.size = c;
  } else {
    for (let j = 0; j < nm; j++) {
      const id = maybe[j];
      if (x[id] < hm) x[id] = f;
    }
  }
}

/** Top-k over the candidates only (every other cell is -Infinity); filter is -Infinity. */
function topKSparse(x: Float32Array, kEff: number, st: TopKScratch, cands: Candidates): void {
  const k = Math.min(kEff, x.length);
  const size0 = cands.size;
  if (size0 <= k) return; // the k-th largest of the row is ≤ every candidate: nothing removed
  const ids = cands.ids;
  st.grow(0, k);
  const hv = st.heapV;
  const hi = st.heapI;
  let size = 0;
  let cap = k;
  // First find the threshold (nothing written yet, so k NaN can simply leave the row alone).
  for (let j = 0; j < size0; j++) {
    const id = ids[j];
    const v = x[id];
    if (v !== v) {
      if (size === cap) size = heapPopRoot(hv, hi, size);
      if (--cap === 0) return;
    } else if (size < cap) size = heapPush(hv, hi, size, v, id);
    else if (v > hv[0]) heapReplaceRoot(hv, hi, size, v, id);
  }
  const hm = hv[0];
  let c = 0;
  for (let j = 0; j < size0; j++) {
    const id = ids[j];
    if (x[id] < hm) x[id] = -Infinity;
    else ids[c++] = id;
  }
  cands.size = c;
}
