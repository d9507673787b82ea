/**
 * Selection without sorting the vocabulary: the k-th largest value of a row, in O(V).
 *
 * For small k one pass keeps a size-k min-heap (almost every value fails the first comparison,
 * so this costs about one read of the row). For large k, quickselect on a scratch copy.
 * NaN ranks above every number (as torch.topk does).
 */

import { warmOnce } from './warm-up.js';

const HEAP_MAX_K = 512;

/**
 * Where the two paths leave their result. They are loops V8 does not inline, and a double returned
 * from such a call is a new heap number on every call; the small exported functions, which V8 does
 * inline into their callers, read it from here.
 */
export const kth = new Float64Array(1);

/**
 * The k-th largest of `x[0..n)` (1-based k, 1 ≤ k ≤ n), counting duplicates. NaN counts as larger
 * than +Infinity, so the result is NaN when fewer than k values are numbers-or-smaller.
 *
 * @param scratch a buffer of at least `k` (heap path) or `n` (select path) floats, reused across calls.
 * @example
 * ```ts
 * import { kthLargest } from 'degen-guard';
 *
 * kthLargest(Float32Array.from([5, 1, 4, 4]), 2, new Float32Array(4)); // → 4
 * ```
 */
export function kthLargest(x: ArrayLike<number>, k: number, scratch: Float32Array, n: number = x.length): number {
  if (k < 1 || k > n) throw new RangeError(`k must be in [1, ${n}], got ${k}`);
  kthLargestInto(x, k, scratch, n);
  return kth[0];
}

/**
 * The k largest of `x[0..n)` with ties at the k-th value taken by lowest position: leaves the k-th
 * largest in `kth[0]` (as {@link kthLargestInto}) and returns how many of the cells equal to it are
 * among the k (k less the count of cells above it).
 */
export function kthLargestTies(x: ArrayLike<number>, k: number, scratch: Float32Array, n: number): number {
  kthLargestInto(x, k, scratch, n);
  const t = kth[0];
  let above = 0;
  for (let j = 0; j < n; j++) if (x[j] > t) above++;
  return k - above;
}

/** {@link kthLargest} with its result left in `kth[0]` (for callers V8 may not inline it into). */
function kthLargestInto(x: ArrayLike<number>, k: number, scratch: Float32Array, n: number = x.length): void {
  if (k < 1 || k > n) throw new RangeError(`k must be in [1, ${n}], got ${k}`);
  if (k <= HEAP_MAX_K) kthByHeap(x, k, scratch, n);
  else selectInto(x, k, scratch, n);
}

/** Key that orders NaN above +Infinity. */
function key(v: number): number {
  return v !== v ? Infinity : v;
}

/** The heap path of {@link kthLargest}: its result into `kth[0]`. */
function kthByHeap(x: ArrayLike<number>, k: number, heap: Float32Array, n: number): void {
  // Min-heap of the k largest keys seen so far; NaNs are counted apart (they are above everything).
  let nan = 0;
  let size = 0;
  let i = 0;
  for (; i < n && size < k; i++) {
    const v = x[i];
    if (v !== v) {
      nan++;
      continue;
    }
    // sift up
    let c = size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (heap[p] <= v) break;
      heap[c] = heap[p];
      c = p;
    }
    heap[c] = v;
  }
  for (; i < n; i++) {
    const v = x[i];
    if (v > heap[0]) {
      siftDownReplace(heap, size, v);
    } else if (v !== v) {
      nan++;
    }
  }
  if (nan >= k) {
    kth[0] = NaN;
    return;
  }
  // The k-th largest overall is the (k - nan)-th largest of the numbers.
  const need = k - nan;
  // Fewer numbers needed than kept: pop the smallest (size - need) entries.
  let s = size;
  while (s > need) {
    const last = heap[--s];
    siftDownReplace(heap, s, last);
  }
  kth[0] = heap[0];
}

function siftDownReplace(heap: Float32Array, size: number, v: number): void {
  let c = 0;
  for (;;) {
    let l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    if (r < size && heap[r] < heap[l]) l = r;
    if (heap[l] >= v) break;
    heap[c] = heap[l];
    c = l;
  }
  heap[c] = v;
}

/**
 * {@link kthLargest}'s select path, for callers whose k is always beyond the heap's (a bundle that
 * calls only this does not carry the heap): quickselect on `a` (a scratch of at least `n` floats).
 */
export function kthBySelect(x: ArrayLike<number>, k: number, a: Float32Array, n: number): number {
  selectInto(x, k, a, n);
  return kth[0];
}

/** The select path: quickselect on `a`, the result into `kth[0]`. */
function selectInto(x: ArrayLike<number>, k: number, a: Float32Array, n: number): void {
  if (a.length < n) throw new RangeError(`scratch must hold ${n} values, has ${a.length}`);
  if (!selectWarm) warmSelect(); // a flag: warmOnce's arguments would be built on every call
  let nan = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) nan++;
    a[i] = key(v);
  }
  if (nan >= k) {
    kth[0] = NaN;
    return;
  }
  // k-th largest = (n - k)-th smallest (0-based).
  const target = n - k;
  floydRivest(a, target, 0, n - 1);
  kth[0] = a[target];
}

/**
 * The select path runs on the warm-up rows before its first real call (src/core/warm-up.ts says why):
 * the processors' warm-up rows (512 cells) never reach it, as k ≤ 512 takes the heap, and a first call
 * on a whole vocabulary compiled the copy loop on-stack with no feedback for the code after it, which
 * then deoptimised on every call (measured: mirostat, 1,440 deoptimisations in 3,000 calls).
 */
function warmSelect(): void {
  selectWarm = true;
  warmOnce('kth largest: select path', [(row) => selectInto(row, row.length >> 2, new Float32Array(row.length), row.length)]);
}

let selectWarm = false;

/** Moves the k-th smallest of a[lo..hi] to a[k], smaller ones before it, larger after (Floyd–Rivest). */
function floydRivest(a: Float32Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    if (hi - lo > 600) {
      // Recurse on a sample-sized sub-range that very likely holds the k-th value.
      const m = hi - lo + 1;
      const i = k - lo + 1;
      const z = Math.log(m);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (m - s)) / m) * (i - m / 2 < 0 ? -1 : 1);
      floydRivest(a, k, Math.max(lo, Math.floor(k - (i * s) / m + sd)), Math.min(hi, Math.floor(k + ((m - i) * s) / m + sd)));
    }
    const t = a[k];
    let i = lo;
    let j = hi;
    swap(a, lo, k);
    if (a[hi] > t) swap(a, lo, hi);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[lo] === t) swap(a, lo, j);
    else {
      j++;
      swap(a, j, hi);
    }
    if (j <= k) lo = j + 1;
    if (k <= j) hi = j - 1;
  }
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
