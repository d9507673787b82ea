/** Top-k truncation (HF TopKLogitsWarper). */
import { heapPopRoot, heapPush, heapReplaceRoot } from '../../core/index-heap.js';
import { kthBySelect } from '../../core/select.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import type { AfterScale } from '../scale-fusion.js';
import type { Candidates, Processor } from '../../core/types.js';
import { checkInteger, checkLogits, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../../core/validate.js';
import { allCandidates, growF32, survivorPaths, warper } from '../warp-common.js';

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
 * import { topK } from 'degen-guard';
 *
 * const warp = topK(2);
 * // (ties with the 2nd value kept)
 * warp(new Float32Array([1, 3, 3, 2])); // → [-Infinity, 3, 3, -Infinity]
 * ```
 */
export function topK(k: number, options: TopKOptions = {}): Processor & AfterScale {
  checkInteger('topK k', k, 1);
  checkOptionKeys('topK options', options, WARPER_OPTION_KEYS);
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
    topKDense(logits, kEff, filter, st, cands);
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    topKSparse(logits, kEff, st, cands);
  };
  // temperature(d) then top-k in one pass (a pipeline calls it for `temperature → topK`)
  const afterScale = (logits: Float32Array, cands: Candidates, d: number): boolean => {
    checkLogits(logits);
    const ok = filter === -Infinity;
    topKDense(logits, kEff, filter, st, ok ? cands : null, d);
    return ok;
  };
  return warper(`topK(${k})`, plain, { ...survivorPaths(filter, { truncate, sparse }), afterScale });
}

/** Scratch buffers of one topK processor, grown once to the vocabulary size. */
class TopKScratch {
  heapV: Float32Array = new Float32Array(0);
  heapI: Int32Array = new Int32Array(0);
  /** cells that may survive (≥ the running bound when met), with their original values */
  listI: Int32Array = new Int32Array(0);
  listV: Float32Array = new Float32Array(0);
  select: Float32Array = new Float32Array(0);

  grow(n: number, k: number): void {
    if (this.listI.length < n) {
      this.listI = new Int32Array(n);
      this.listV = new Float32Array(n);
    }
    if (this.heapV.length < k) {
      this.heapV = new Float32Array(k);
      this.heapI = new Int32Array(k);
    }
  }
}

/** float32 max, for the overflow bound of a scaled threshold. */
const F32_MAX = 3.4028234663852886e38;

/**
 * The least value a cell may have and still tie, once divided by `d` and rounded to float32, with
 * `h` divided likewise (a lower bound; `d` = 1: exactly `h`). If fround(v/d) = fround(h/d) = q then
 * |v − h| ≤ d·ulp(q) ≤ max(2^-23·|h|·(1 + 2^-24), d·2^-149); the bound takes twice that.
 */
function scaledBound(h: number, d: number): number {
  if (d === 1 || h === -Infinity) return h;
  const q = Math.fround(h / d);
  if (q === -Infinity) return -Infinity;
  if (q === Infinity) return d * F32_MAX * (1 - 2 ** -20);
  return h - (Math.abs(h) * 2 ** -22 + d * 2 ** -148);
}

/**
 * Dense top-k of the row divided by `d` (fround(x / d), temperature's rounding; `d` = 1: the row as
 * it is); with `out`, also writes the survivors into it.
 *
 * One read-only pass keeps the k largest values in a min-heap and lists every cell that could still
 * survive when met (≥ the heap minimum's scaledBound, or NaN) with its value; NaN cells shrink the
 * heap (NaN ranks above every number). Nothing is written until the threshold is known, so a row
 * whose k-th largest is NaN is left as it is without a backup. Then the row is filled with `f` and
 * the listed survivors written back (scaled) — a memset and a few hundred stores instead of a
 * compare-and-store over every cell.
 */
function topKDense(x: Float32Array, kEff: number, f: number, st: TopKScratch, out: Candidates | null, d = 1): void {
  const n = x.length;
  const k = Math.min(kEff, n);
  if (k >= n) {
    scaleAll(x, d);
    if (out) allCandidates(out, n);
    return;
  }
  if (k > HEAP_MAX_K) {
    scaleAll(x, d);
    st.select = growF32(st.select, n);
    const t = kthBySelect(x, k, st.select, n); // k > HEAP_MAX_K: kthLargest's select path
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
  const li = st.listI;
  const lv = st.listV;
  let size = 0;
  let cap = k;
  let nl = 0;
  let i = 0;
  for (; i < n && size < cap; i++) {
    const v = x[i];
    li[nl] = i;
    lv[nl++] = v;
    if (v !== v) cap--;
    else size = heapPush(hv, hi, size, v, i);
  }
  if (size === 0) {
    // k NaN: the k-th largest is NaN and nothing is removed
    scaleAll(x, d);
    if (out) allCandidates(out, n);
    return;
  }
  let hm = hv[0];
  let lb = scaledBound(hm, d);
  for (; ; i++) {
    i = skipBelow(x, i, n, lb);
    if (i >= n) break;
    const v = x[i];
    li[nl] = i;
    lv[nl++] = v;
    if (v > hm) {
      heapReplaceRoot(hv, hi, size, v, i);
      hm = hv[0];
      lb = scaledBound(hm, d);
    } else if (v !== v) {
      size = heapPopRoot(hv, hi, size);
      if (size === 0) {
        scaleAll(x, d);
        if (out) allCandidates(out, n);
        return;
      }
      hm = hv[0];
      lb = scaledBound(hm, d);
    }
  }
  const t = d === 1 ? hm : Math.fround(hm / d);
  if (t === -Infinity) {
    // every cell is ≥ the k-th largest: nothing removed
    scaleAll(x, d);
    if (out) allCandidates(out, n);
    return;
  }
  x.fill(f);
  let c = 0;
  const ids = out ? out.ids : li; // without out, the survivors are not needed after the write
  for (let j = 0; j < nl; j++) {
    const id = li[j];
    const v = d === 1 ? lv[j] : Math.fround(lv[j] / d);
    if (v >= t || v !== v) {
      x[id] = v;
      ids[c++] = id;
    }
  }
  if (out) out.size = c;
}

/**
 * The first index ≥ i whose cell is not below `lb` (NaN stops it), or n. Kept out of topKDense so
 * that the scan compiles to the same tight loop whatever paths topKDense has run first: written
 * inline, the plain path alone in a fresh process ran 2.3× slower than after one call of the fused
 * `temperature → topK` path (V8 compiled topKDense differently from the two call-count profiles).
 */
function skipBelow(x: Float32Array, i: number, n: number, lb: number): number {
  while (i < n && x[i] < lb) i++;
  return i;
}

function scaleAll(x: Float32Array, d: number): void {
  if (d === 1) return;
  const n = x.length;
  for (let i = 0; i < n; i++) x[i] = x[i] / d;
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
