/**
 * A hash set of fixed-length integer tuples (n-grams of token ids), without building strings.
 *
 * Keys are copied into the table's own storage and compared in full, so a hash collision never
 * merges two n-grams. Each distinct key gets a dense slot number (0, 1, 2 … in insertion order)
 * that callers use to index their own per-key arrays (counts, follower lists).
 *
 * @example
 * ```ts
 * import { NgramTable } from 'degen-guard';
 *
 * const bigrams = new NgramTable(2);
 * const ids = [1, 2, 1, 2];
 * // (new)
 * bigrams.add(ids, 0); // → 0
 * // (new)
 * bigrams.add(ids, 1); // → 1
 * // (seen: bigrams.added is false)
 * bigrams.add(ids, 2); // → 0
 * bigrams.find([2, 1], 0); // → 1
 * ```
 */

/**
 * Mixes the ids `tokens[start .. start+n)` into a 32-bit hash.
 *
 * @example
 * ```ts
 * import { hashTuple } from 'degen-guard';
 *
 * hashTuple([7, 8, 9], 1, 2) === hashTuple([8, 9], 0, 2); // → true
 * ```
 */
export function hashTuple(tokens: ArrayLike<number>, start: number, n: number): number {
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ tokens[start + i], 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0x85ebca6b);
  return (h ^ (h >>> 16)) | 0;
}

export class NgramTable {
  /** Tuple length. */
  readonly n: number;
  /** Number of distinct keys stored; slots are 0 … size-1. */
  size = 0;
  /** True when the last `add` stored a new key. */
  added = false;
  private keys: Int32Array;
  private hashes: Int32Array;
  private buckets: Int32Array;
  private mask: number;

  constructor(n: number, initialCapacity = 256) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
    this.n = n;
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.buckets = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const slots = cap >> 1;
    this.keys = new Int32Array(Math.max(1, slots * n));
    this.hashes = new Int32Array(slots);
  }

  /** Slot of the key `tokens[start .. start+n)`, or -1 when absent. */
  find(tokens: ArrayLike<number>, start: number): number {
    const h = hashTuple(tokens, start, this.n);
    let b = h & this.mask;
    for (;;) {
      const slot = this.buckets[b];
      if (slot < 0) return -1;
      if (this.hashes[slot] === h && this.equals(slot, tokens, start)) return slot;
      b = (b + 1) & this.mask;
    }
  }

  /** Slot of the key `tokens[start .. start+n)`, inserting it when new (then `added` is true). */
  add(tokens: ArrayLike<number>, start: number): number {
    const h = hashTuple(tokens, start, this.n);
    let b = h & this.mask;
    for (;;) {
      const slot = this.buckets[b];
      if (slot < 0) break;
      if (this.hashes[slot] === h && this.equals(slot, tokens, start)) {
        this.added = false;
        return slot;
      }
      b = (b + 1) & this.mask;
    }
    const slot = this.size++;
    if (slot >= this.hashes.length) this.growSlots();
    this.hashes[slot] = h;
    const n = this.n;
    const base = slot * n;
    for (let i = 0; i < n; i++) this.keys[base + i] = tokens[start + i];
    this.buckets[b] = slot;
    this.added = true;
    if (this.size * 2 > this.buckets.length) this.rehash();
    return slot;
  }

  /** The i-th id of the key in `slot`. */
  keyAt(slot: number, i: number): number {
    return this.keys[slot * this.n + i];
  }

  /** Removes every key (keeps the memory). */
  clear(): void {
    this.buckets.fill(-1);
    this.size = 0;
    this.added = false;
  }

  /** A deep copy. */
  clone(): NgramTable {
    const t = Object.create(NgramTable.prototype) as NgramTable;
    Object.assign(t, {
      n: this.n,
      size: this.size,
      added: this.added,
      keys: this.keys.slice(),
      hashes: this.hashes.slice(),
      buckets: this.buckets.slice(),
      mask: this.mask,
    });
    return t;
  }

  private equals(slot: number, tokens: ArrayLike<number>, start: number): boolean {
    const n = this.n;
    const base = slot * n;
    for (let i = 0; i < n; i++) if (this.keys[base + i] !== tokens[start + i]) return false;
    return true;
  }

  private growSlots(): void {
    const cap = this.hashes.length * 2;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const keys = new Int32Array(Math.max(1, cap * this.n));
    keys.set(this.keys);
    this.keys = keys;
  }

  private rehash(): void {
    const cap = this.buckets.length * 2;
    const buckets = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let slot = 0; slot < this.size; slot++) {
      let b = this.hashes[slot] & mask;
      while (buckets[b] >= 0) b = (b + 1) & mask;
      buckets[b] = slot;
    }
    this.buckets = buckets;
    this.mask = mask;
    if (this.hashes.length < cap >> 1) this.growSlots();
  }
}
