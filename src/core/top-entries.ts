/**
 * Keeping the m best (value, index) pairs of a stream: a bounded min-heap, O(log m) per accepted
 * entry and one comparison per rejected one. Order: larger value first, then smaller index (so the
 * result is what a stable descending sort of the whole stream would start with). NaN never enters.
 */
export class TopEntries {
  /** Values of the kept entries (heap order until {@link sorted} is called). */
  values: Float64Array;
  /** Indexes of the kept entries, parallel to `values`. */
  indexes: Float64Array;
  /** Number of kept entries. */
  size = 0;
  private cap = 0;

  constructor(capacity = 0) {
    this.values = new Float64Array(capacity);
    this.indexes = new Float64Array(capacity);
    this.cap = capacity;
  }

  /** Empties the set and sets how many entries to keep (grows the buffers once). */
  reset(capacity: number): void {
    if (this.values.length < capacity) {
      this.values = new Float64Array(capacity);
      this.indexes = new Float64Array(capacity);
    }
    this.cap = capacity;
    this.size = 0;
  }

  /** The value an entry must beat to enter when full (-Infinity while not full). */
  get threshold(): number {
    return this.size < this.cap ? -Infinity : this.values[0];
  }

  /** Offers one entry; indexes must be offered in increasing order for the tie rule to hold. */
  offer(value: number, index: number): void {
    if (this.size < this.cap) {
      if (value !== value) return;
      let i = this.size++;
      const v = this.values, x = this.indexes;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(value, index, v[p], x[p])) break;
        v[i] = v[p];
        x[i] = x[p];
        i = p;
      }
      v[i] = value;
      x[i] = index;
      return;
    }
    if (this.cap === 0 || !(value > this.values[0])) return; // ties with the worst lose (larger index)
    this.replaceRoot(value, index);
  }

  /** Sorts the kept entries best first (larger value, then smaller index) in place. */
  sorted(): this {
    const n = this.size;
    const v = this.values, x = this.indexes;
    // insertion sort: m is small (2 × beams, top-k)
    for (let i = 1; i < n; i++) {
      const a = v[i], b = x[i];
      let j = i - 1;
      while (j >= 0 && (v[j] < a || (v[j] === a && x[j] > b))) {
        v[j + 1] = v[j];
        x[j + 1] = x[j];
        j--;
      }
      v[j + 1] = a;
      x[j + 1] = b;
    }
    return this;
  }

  private replaceRoot(value: number, index: number): void {
    const v = this.values, x = this.indexes, n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && worse(v[r], x[r], v[l], x[l])) c = r;
      if (!worse(v[c], x[c], value, index)) break;
      v[i] = v[c];
      x[i] = x[c];
      i = c;
    }
    v[i] = value;
    x[i] = index;
  }
}

/** True when (a, ia) ranks below (b, ib). */
function worse(a: number, ia: number, b: number, ib: number): boolean {
  return a < b || (a === b && ia > ib);
}
