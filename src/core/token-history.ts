/**
 * One sequence's tokens plus the indexes that penalties and n-gram bans need, kept up to date as
 * tokens are pushed: an n-gram ban then costs the same at any context length, and a penalty costs
 * O(distinct ids counted), never O(length).
 *
 * Indexes are built on first use (O(length) once) and then updated in O(1) amortised per `push`.
 */
import { NgramTable } from './ngram-table.js';
import { checkInteger } from './validate.js';

/**
 * Counts of the tokens at positions `[max(skip, length − window), length)` of a history, with the
 * distinct ids present listed densely so that a processor can visit them without scanning the
 * vocabulary.
 *
 * @example
 * ```ts
 * import { TokenHistory } from 'degen-guard';
 *
 * const counts = new TokenHistory([3, 3, 9]).counts(); // all positions
 * counts.get(3); // → 2
 * Array.from(counts.ids.subarray(0, counts.size)); // → [3, 9]
 * ```
 */
export class TokenCounts {
  /** Last-N tokens counted (Infinity = all). */
  readonly window: number;
  /** Positions before `skip` are never counted (HF `prompt_ignore_length`). */
  readonly skip: number;
  /** `ids[0..size)`: the distinct ids with a count > 0, in no particular order. */
  ids = new Int32Array(64);
  size = 0;
  private counts = new Int32Array(64);
  private where = new Int32Array(64).fill(-1);

  constructor(window: number, skip: number) {
    this.window = window;
    this.skip = skip;
  }

  /** How often `id` occurs in the counted range. */
  get(id: number): number {
    return id < this.counts.length ? this.counts[id] : 0;
  }

  /** @internal */
  inc(id: number): void {
    if (id >= this.counts.length) this.grow(id);
    if (this.counts[id]++ === 0) {
      if (this.size === this.ids.length) {
        const ids = new Int32Array(this.ids.length * 2);
        ids.set(this.ids);
        this.ids = ids;
      }
      this.where[id] = this.size;
      this.ids[this.size++] = id;
    }
  }

  /** @internal */
  dec(id: number): void {
    if (--this.counts[id] === 0) {
      const at = this.where[id];
      const last = this.ids[--this.size];
      this.ids[at] = last;
      this.where[last] = at;
      this.where[id] = -1;
    }
  }

  /** @internal */
  clear(): void {
    for (let i = 0; i < this.size; i++) {
      const id = this.ids[i];
      this.counts[id] = 0;
      this.where[id] = -1;
    }
    this.size = 0;
  }

  /** @internal Rebuilds from `tokens[0..length)`. */
  rebuild(tokens: Int32Array, length: number): void {
    this.clear();
    const from = Math.max(this.skip, this.window === Infinity ? 0 : length - this.window);
    for (let i = Math.max(0, from); i < length; i++) this.inc(tokens[i]);
  }

  /** @internal Called after `tokens[length-1]` was appended. */
  pushed(tokens: Int32Array, length: number): void {
    const pos = length - 1;
    if (pos >= this.skip) this.inc(tokens[pos]);
    if (this.window !== Infinity) {
      const out = pos - this.window;
      if (out >= 0 && out >= this.skip) this.dec(tokens[out]);
    }
  }

  /** @internal */
  copy(): TokenCounts {
    const c = new TokenCounts(this.window, this.skip);
    c.ids = this.ids.slice();
    c.size = this.size;
    c.counts = this.counts.slice();
    c.where = this.where.slice();
    return c;
  }

  private grow(id: number): void {
    let cap = this.counts.length;
    while (cap <= id) cap *= 2;
    const counts = new Int32Array(cap);
    counts.set(this.counts);
    this.counts = counts;
    const where = new Int32Array(cap).fill(-1);
    where.set(this.where);
    this.where = where;
  }
}

/**
 * For each (n−1)-gram of a history, the distinct tokens that have followed it: what
 * no-repeat-n-gram must ban when the history ends with that (n−1)-gram.
 *
 * @example
 * ```ts
 * import { TokenHistory } from 'degen-guard';
 *
 * const h = new TokenHistory([1, 2, 1, 3]);
 * const g = h.ngrams(2);                       // bigrams: 1→2, 2→1, 1→3
 * const followers: number[] = [];
 * for (let node = g.first([1], 0); node >= 0; node = g.nextOf(node)) followers.push(g.tokenOf(node));
 * // the tokens that followed 1, the latest first
 * followers; // → [3, 2]
 * ```
 */
export class NgramFollowers {
  readonly n: number;
  private prefixes: NgramTable;
  private grams: NgramTable;
  private head = new Int32Array(64).fill(-1);
  private nodeToken = new Int32Array(64);
  private nodeNext = new Int32Array(64);
  private nodes = 0;

  constructor(n: number) {
    this.n = n;
    this.prefixes = new NgramTable(n - 1);
    this.grams = new NgramTable(n);
  }

  /**
   * First follower node of the (n−1)-gram `tokens[start .. start+n−1)`, or -1. Walk the list with
   * {@link tokenOf} and {@link nextOf}.
   */
  first(tokens: ArrayLike<number>, start: number): number {
    const slot = this.prefixes.find(tokens, start);
    return slot < 0 ? -1 : this.head[slot];
  }

  /** The token id of a follower node. */
  tokenOf(node: number): number {
    return this.nodeToken[node];
  }

  /** The next follower node, or -1. */
  nextOf(node: number): number {
    return this.nodeNext[node];
  }

  /** @internal Records the n-gram `tokens[start .. start+n)`. */
  addGram(tokens: ArrayLike<number>, start: number): void {
    this.grams.add(tokens, start);
    if (!this.grams.added) return;
    const slot = this.prefixes.add(tokens, start);
    if (slot >= this.head.length) {
      const head = new Int32Array(this.head.length * 2).fill(-1);
      head.set(this.head);
      this.head = head;
    }
    if (this.nodes === this.nodeToken.length) {
      const t = new Int32Array(this.nodes * 2);
      t.set(this.nodeToken);
      this.nodeToken = t;
      const nx = new Int32Array(this.nodes * 2);
      nx.set(this.nodeNext);
      this.nodeNext = nx;
    }
    const node = this.nodes++;
    this.nodeToken[node] = tokens[start + this.n - 1];
    this.nodeNext[node] = this.head[slot];
    this.head[slot] = node;
  }

  /** @internal */
  clear(): void {
    this.prefixes.clear();
    this.grams.clear();
    this.head.fill(-1);
    this.nodes = 0;
  }

  /** @internal */
  rebuild(tokens: Int32Array, length: number): void {
    this.clear();
    for (let s = 0; s + this.n <= length; s++) this.addGram(tokens, s);
  }

  /** @internal */
  pushed(tokens: Int32Array, length: number): void {
    if (length >= this.n) this.addGram(tokens, length - this.n);
  }

  /** @internal */
  copy(): NgramFollowers {
    const f = new NgramFollowers(this.n);
    f.prefixes = this.prefixes.clone();
    f.grams = this.grams.clone();
    f.head = this.head.slice();
    f.nodeToken = this.nodeToken.slice();
    f.nodeNext = this.nodeNext.slice();
    f.nodes = this.nodes;
    return f;
  }
}

/**
 * A sequence of token ids (prompt included, as HF's `input_ids`) with incremental indexes.
 *
 * @example
 * ```ts
 * import { TokenHistory } from 'degen-guard';
 *
 * const history = new TokenHistory([5, 8, 5]);
 * history.push(9);
 * history.length; // → 4
 * history.counts().get(5); // → 2
 * ```
 */
export class TokenHistory {
  private buf: Int32Array;
  private len = 0;
  private countIndexes: TokenCounts[] = [];
  private ngramIndexes: NgramFollowers[] = [];
  private stale = false;

  constructor(tokens?: ArrayLike<number>) {
    this.buf = new Int32Array(Math.max(16, tokens?.length ?? 0));
    if (tokens) this.pushAll(tokens);
  }

  /** Number of tokens. */
  get length(): number {
    return this.len;
  }

  /** The tokens as a view (valid until the next push). */
  get tokens(): Int32Array {
    return this.buf.subarray(0, this.len);
  }

  /** The token at position `i` (negative counts from the end); undefined outside. */
  at(i: number): number | undefined {
    if (i < 0) i += this.len;
    return i >= 0 && i < this.len ? this.buf[i] : undefined;
  }

  /** Appends a token id; O(1) amortised per index in use. */
  push(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
      throw new RangeError(`token id must be an integer in [0, 2^31), got ${id}`);
    }
    if (this.len === this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.len++] = id;
    if (this.stale) return;
    for (const c of this.countIndexes) c.pushed(this.buf, this.len);
    for (const g of this.ngramIndexes) g.pushed(this.buf, this.len);
  }

  /** Appends every id of `ids`. */
  pushAll(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) this.push(ids[i]);
  }

  /** Keeps the first `length` tokens (indexes are rebuilt on next use). */
  truncate(length: number): void {
    checkInteger('length', length, 0);
    if (length >= this.len) return;
    this.len = length;
    this.stale = true;
  }

  /** Empties the history, then pushes `tokens` if given. */
  reset(tokens?: ArrayLike<number>): void {
    this.len = 0;
    for (const c of this.countIndexes) c.clear();
    for (const g of this.ngramIndexes) g.clear();
    this.stale = false;
    if (tokens) this.pushAll(tokens);
  }

  /** An independent copy, indexes included. */
  clone(): TokenHistory {
    this.refresh();
    const h = new TokenHistory();
    h.buf = this.buf.slice();
    h.len = this.len;
    h.countIndexes = this.countIndexes.map((c) => c.copy());
    h.ngramIndexes = this.ngramIndexes.map((g) => g.copy());
    return h;
  }

  /**
   * Token counts over the last `window` tokens (default all), ignoring positions before `skip`.
   * Built on first request, then kept up to date by `push`.
   */
  counts(window = Infinity, skip = 0): TokenCounts {
    this.refresh();
    for (const c of this.countIndexes) if (c.window === window && c.skip === skip) return c;
    const c = new TokenCounts(window, skip);
    c.rebuild(this.buf, this.len);
    this.countIndexes.push(c);
    return c;
  }

  /** The (n−1)-gram → followers index for n ≥ 2. Built on first request, then kept up to date. */
  ngrams(n: number): NgramFollowers {
    checkInteger('n', n, 2);
    this.refresh();
    for (const g of this.ngramIndexes) if (g.n === n) return g;
    const g = new NgramFollowers(n);
    g.rebuild(this.buf, this.len);
    this.ngramIndexes.push(g);
    return g;
  }

  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    for (const c of this.countIndexes) c.rebuild(this.buf, this.len);
    for (const g of this.ngramIndexes) g.rebuild(this.buf, this.len);
  }
}
