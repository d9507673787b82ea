/**
 * A multiset of fixed-length integer tuples (n-grams of token ids) that supports removal, for
 * sliding windows: `increment` when an n-gram enters the window, `decrement` when it leaves.
 *
 * Open addressing with linear probing and backward-shift deletion (no tombstones), keys copied and
 * compared in full (a hash collision never merges two n-grams). Memory is proportional to the
 * largest number of distinct n-grams held at once, so a sliding window uses bounded memory however
 * long the stream is.
 *
 * @example
 * ```ts
 * import { NgramCounter, distinct } from 'degen-guard';
 *
 * const c = new NgramCounter(2);
 * c.increment([4, 5, 4, 5], 0); // → 1
 * // the same bigram again
 * c.increment([4, 5, 4, 5], 2); // → 2
 * c.decrement([4, 5], 0); // → 1
 * c.distinct; // → 1
 * ```
 */
import { hashTuple } from '../core/ngram-table.js';

export class NgramCounter {
  /** Tuple length. */
  readonly n: number;
  /** Number of distinct keys with a count > 0. */
  distinct = 0;
  private keys: Int32Array;
  private hashes: Int32Array;
  private counts: Int32Array;
  private mask: number;

  constructor(n: number, initialCapacity = 64) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
    this.n = n;
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * n);
    this.hashes = new Int32Array(cap);
    this.counts = new Int32Array(cap);
  }

  /** Count of the key `tokens[start .. start+n)` (0 when absent). */
  count(tokens: ArrayLike<number>, start: number): number {
    const b = this.bucketOf(tokens, start, hashTuple(tokens, start, this.n));
    return this.counts[b];
  }

  /** Adds one occurrence of `tokens[start .. start+n)`; returns its new count. */
  increment(tokens: ArrayLike<number>, start: number): number {
    const h = hashTuple(tokens, start, this.n);
    const b = this.bucketOf(tokens, start, h);
    if (this.counts[b] > 0) return ++this.counts[b];
    const n = this.n;
    this.hashes[b] = h;
    this.counts[b] = 1;
    const base = b * n;
    for (let i = 0; i < n; i++) this.keys[base + i] = tokens[start + i];
    if (++this.distinct * 2 > this.counts.length) this.grow();
    return 1;
  }

  /** Removes one occurrence of `tokens[start .. start+n)`; returns its new count (-1 if it was absent). */
  decrement(tokens: ArrayLike<number>, start: number): number {
    const b = this.bucketOf(tokens, start, hashTuple(tokens, start, this.n));
    if (this.counts[b] === 0) return -1;
    const c = --this.counts[b];
    if (c === 0) {
      this.distinct--;
      this.removeAt(b);
    }
    return c;
  }

  /** Removes every key (keeps the memory). */
  clear(): void {
    this.counts.fill(0);
    this.distinct = 0;
  }

  /** Bucket holding the key, or the empty bucket where it would go. */
  private bucketOf(tokens: ArrayLike<number>, start: number, h: number): number {
    const n = this.n;
    let b = h & this.mask;
    for (;;) {
      if (this.counts[b] === 0) return b;
      if (this.hashes[b] === h) {
        const base = b * n;
        let i = 0;
        while (i < n && this.keys[base + i] === tokens[start + i]) i++;
        if (i === n) return b;
      }
      b = (b + 1) & this.mask;
    }
  }

  /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
  private removeAt(hole: number): void {
    const mask = this.mask;
    const n = this.n;
    let i = hole;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      if (this.counts[j] === 0) break;
      const k = this.hashes[j] & mask;
      // The entry at j may stay when its home k lies cyclically in (i, j].
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (stays) continue;
      this.hashes[i] = this.hashes[j];
      this.counts[i] = this.counts[j];
      this.keys.copyWithin(i * n, j * n, j * n + n);
      i = j;
    }
    this.counts[i] = 0;
  }

  private grow(): void {
    const n = this.n;
    const oldKeys = this.keys;
    const oldHashes = this.hashes;
    const oldCounts = this.counts;
    const cap = oldCounts.length * 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * n);
    this.hashes = new Int32Array(cap);
    this.counts = new Int32Array(cap);
    for (let s = 0; s < oldCounts.length; s++) {
      if (oldCounts[s] === 0) continue;
      let b = oldHashes[s] & this.mask;
      while (this.counts[b] !== 0) b = (b + 1) & this.mask;
      this.hashes[b] = oldHashes[s];
      this.counts[b] = oldCounts[s];
      this.keys.set(oldKeys.subarray(s * n, s * n + n), b * n);
    }
  }
}
