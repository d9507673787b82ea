/**
 * A bounded min-heap of (value, index) pairs kept in two parallel typed arrays, for one-pass
 * selection of the largest values of a row (top-k, the top-p candidates). The root `vals[0]` is the
 * smallest kept value; ties are in no particular order. NaN must not be pushed.
 */

/** Adds (v, id) to a heap of `size` entries (the arrays must have room); returns the new size. */
export function heapPush(vals: Float32Array, ids: Int32Array, size: number, v: number, id: number): number {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (vals[p] <= v) break;
    vals[c] = vals[p];
    ids[c] = ids[p];
    c = p;
  }
  vals[c] = v;
  ids[c] = id;
  return size + 1;
}

/** Replaces the root (the smallest entry) by (v, id) and restores the heap order. */
export function heapReplaceRoot(vals: Float32Array, ids: Int32Array, size: number, v: number, id: number): void {
  let c = 0;
  for (;;) {
    let l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    if (r < size && vals[r] < vals[l]) l = r;
    if (vals[l] >= v) break;
    vals[c] = vals[l];
    ids[c] = ids[l];
    c = l;
  }
  vals[c] = v;
  ids[c] = id;
}

/** Removes the root; returns the new size. */
export function heapPopRoot(vals: Float32Array, ids: Int32Array, size: number): number {
  const last = size - 1;
  if (last > 0) heapReplaceRoot(vals, ids, last, vals[last], ids[last]);
  return last;
}
