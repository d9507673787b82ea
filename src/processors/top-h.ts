/** Top-H truncation (HF TopHLogitsWarper). */
import { heapPush, heapReplaceRoot } from '../core/index-heap.js';
import { kthLargest } from '../core/select.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption } from '../core/validate.js';
import { warper } from './warp-common.js';

/** HF considers only this many top logits (`top_n`, hard-coded). */
const TOP_N = 100;
const F32_LOWEST = -3.4028234663852886e38;

/**
 * Top-H (Potraghloo et al., 2025): among the 100 largest logits (HF's fixed `top_n`; every other token
 * is always removed), keeps the most likely tokens while the cumulative entropy `Σ −p log p` of the
 * top-100 distribution stays ≤ `h · H`; the most likely token always survives. No minTokensToKeep, as
 * in HF. Ties at the boundary are split with higher ids first (as topP). A row with NaN or +Infinity
 * keeps only its top cell (HF's NaN arithmetic).
 *
 * Cost: one pass with a heap of the 100 largest (value, id) pairs, then work on ≤ 100 candidates and
 * a fill; a row with NaN, or with a tie at the 100th value that the heap cannot settle, takes a
 * selection pass and a gathering pass instead. The processor owns its scratch buffers (no
 * allocation per call).
 *
 * @param h in (0, 1].
 * @example
 * ```ts
 * import { topH } from 'degen-guard';
 *
 * topH(0.5)(new Float32Array([3, 2, 1, 0])); // → [3, -Infinity, -Infinity, -Infinity]
 * ```
 */
export function topH(h: number, options: { filterValue?: number } = {}): Processor {
  checkRange('topH h', h, 0, 1, 'low');
  checkOptionKeys('topH options', options, ['filterValue']);
  const filter = filterValueOption(options);
  const fh = Math.fround(h);
  // scratch, owned by the processor: nothing is allocated per call once `select` has grown
  let select = new Float32Array(0);
  const order = new Int32Array(TOP_N);
  const hv = new Float32Array(TOP_N);
  const probs = new Float64Array(TOP_N);
  const keep = new Uint8Array(TOP_N);
  const saved = new Float32Array(TOP_N);
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    const n = logits.length;
    const k = Math.min(TOP_N, n);
    // the top k cells, NaN first, then by value, ties by higher id
    let c = k;
    if (!topByHeap(logits, k, hv, order)) {
      // a NaN, or a tie at the k-th value reaching outside the heap: select the k-th value, then gather
      if (select.length < n) select = new Float32Array(n);
      const t = kthLargest(logits, k, select, n);
      c = 0;
      for (let i = 0; i < n; i++) {
        const v = logits[i];
        if ((v > t || v !== v) && c < k) order[c++] = i;
      }
      for (let i = n - 1; i >= 0 && c < k; i--) if (logits[i] === t) order[c++] = i;
    }
    sortTop(order, c, logits);
    // float32 softmax over the candidates, entropy as torch.distributions.Categorical
    const m = logits[order[0]];
    let s = 0;
    for (let q = 0; q < c; q++) s += Math.exp(Math.fround(logits[order[q]] - m));
    for (let q = 0; q < c; q++) probs[q] = Math.fround(Math.exp(Math.fround(logits[order[q]] - m)) / s);
    const lse = Math.fround(m + Math.log(s));
    let hsum = 0;
    for (let q = 0; q < c; q++) {
      // Math.max, not an `if`: a phi of the float and the module constant was boxed per candidate
      const nl = Math.max(Math.fround(logits[order[q]] - lse), F32_LOWEST);
      hsum += Math.fround(nl * probs[q]);
    }
    const tau = Math.fround(Math.fround(-hsum) * fh);
    keep.fill(0, 0, c);
    keep[0] = 1;
    let cum = 0;
    for (let q = 0; q < c; q++) {
      const p = probs[q];
      cum += Math.fround(-p * Math.fround(Math.log(p)));
      if (Math.fround(cum) <= tau) keep[q] = 1;
    }
    // write: every non-kept cell becomes filter
    for (let q = 0; q < c; q++) saved[q] = logits[order[q]];
    logits.fill(filter);
    for (let q = 0; q < c; q++) if (keep[q]) logits[order[q]] = saved[q];
    return logits;
  };
  return warper(`topH(${h})`, plain);
}

/**
 * The ids of the k largest cells of x into `ids` (in heap order) in one pass, with a min-heap of
 * (value, id) (`vals` its values, the root `vals[0]` the k-th value t). Returns true when the heap
 * settles the top k: every cell left out of it is below t. False when x holds NaN, or when a cell left
 * out could equal t (then which of the tied ids are kept is not settled by the heap). Every cell above
 * t is in the heap (the root only rises, and it was ≤ t when such a cell came); a cell outside it
 * equal to t was either refused while the root was t or was the root when evicted, and those values
 * only rise: the last is the largest. A boolean, not that largest value: a double returned from a call
 * that V8 does not inline is a new heap number on every call.
 */
function topByHeap(x: Float32Array, k: number, vals: Float32Array, ids: Int32Array): boolean {
  let size = 0;
  let i = 0;
  for (; i < k; i++) {
    const v = x[i];
    if (v !== v) return false;
    size = heapPush(vals, ids, size, v, i);
  }
  let root = vals[0];
  let outMax = -Infinity;
  for (; i < x.length; i++) {
    const v = x[i];
    if (v > root) {
      outMax = root;
      heapReplaceRoot(vals, ids, size, v, i);
      root = vals[0];
    } else if (!(v < root)) {
      if (v !== v) return false;
      outMax = v;
    }
  }
  return outMax < root;
}

/** a before b: NaN first, then by value descending, ties (and NaN among themselves) by higher id. */
function before(a: number, b: number, x: Float32Array): boolean {
  const va = x[a];
  const vb = x[b];
  if (va !== va) return vb !== vb ? a > b : true;
  if (vb !== vb) return false;
  return va !== vb ? va > vb : a > b;
}

/** Insertion sort of the (at most 100) candidates `ids[0..c)` in HF's descending order. */
function sortTop(ids: Int32Array, c: number, x: Float32Array): void {
  for (let i = 1; i < c; i++) {
    const id = ids[i];
    let j = i - 1;
    while (j >= 0 && before(id, ids[j], x)) {
      ids[j + 1] = ids[j];
      j--;
    }
    ids[j + 1] = id;
  }
}
