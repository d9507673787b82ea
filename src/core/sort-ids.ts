/**
 * Sorting token ids in place without allocating (TypedArray#sort on a `subarray` view allocates the
 * view; the hot paths of the samplers and warpers must not). Ids are distinct or not, any int32.
 */

/** Below this many entries a range is finished by insertion sort. */
const SMALL = 24;

/**
 * Sorts `ids[0..size)` ascending in place, O(size) when it is already ascending or descending (a
 * truncation often hands its survivors over in one of those orders), else an introspective-free
 * quicksort (median of three, recursion on the smaller side only, so the depth stays ≤ log2 size)
 * finished by insertion sort. No allocation.
 *
 * @example
 * ```ts
 * import { sortIdsAscending } from './sort-ids.js';
 *
 * const ids = Int32Array.from([5, 1, 4, 2, 9]);
 * // only the first 4 are sorted
 * sortIdsAscending(ids, 4);
 * ids; // → [1, 2, 4, 5, 9]
 * ```
 */
export function sortIdsAscending(ids: Int32Array, size: number): void {
  if (size < 2) return;
  let asc = true;
  let desc = true;
  for (let i = 1; i < size && (asc || desc); i++) {
    const a = ids[i - 1];
    const b = ids[i];
    if (a > b) asc = false;
    else if (a < b) desc = false;
  }
  if (asc) return;
  if (desc) {
    for (let i = 0, j = size - 1; i < j; i++, j--) {
      const t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    return;
  }
  quicksort(ids, 0, size - 1);
}

/** Quicksort of a[lo..hi] ascending (ids or float32 values without NaN), finished by insertion sort. */
function quicksort(a: Int32Array | Float32Array, lo: number, hi: number): void {
  while (hi - lo >= SMALL) {
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid], with a[lo] ≤ a[mid] ≤ a[hi]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    // Hoare partition: stops on equal keys, so runs of one value split evenly
    for (;;) {
      do i++;
      while (a[i] < pivot);
      do j--;
      while (a[j] > pivot);
      if (i >= j) break;
      swap(a, i, j);
    }
    // [lo..j] ≤ pivot ≤ [j+1..hi]; recurse on the smaller side, loop on the larger
    if (j - lo < hi - j) {
      quicksort(a, lo, j);
      lo = j + 1;
    } else {
      quicksort(a, j + 1, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function swap(a: Int32Array | Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Sorts `a[0..size)` ascending in place (float32 values, no NaN; -0 and 0 are equal), without
 * allocating: the same quicksort as {@link sortIdsAscending}.
 *
 * @example
 * ```ts
 * import { sortF32Ascending } from './sort-ids.js';
 *
 * const v = Float32Array.from([0.5, -2, 3]);
 * sortF32Ascending(v, 3);
 * v; // → [-2, 0.5, 3]
 * ```
 */
export function sortF32Ascending(a: Float32Array, size: number): void {
  if (size < 2) return;
  quicksort(a, 0, size - 1);
}
