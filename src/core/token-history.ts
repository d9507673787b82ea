/**
 * One sequence's tokens plus the indexes that penalties and n-gram bans need, kept up to date as
 * tokens are pushed: a penalty costs O(distinct ids counted), never O(length), and an n-gram ban
 * the same at any context length.
 *
 * Indexes are built on first use (O(length) once) and then updated in O(1) amortised per `push`.
 * The token counts are built in; other indexes (the n-gram followers of `ngramFollowers`) attach
 * themselves as a {@link HistoryIndex}, so that a bundle that does not use them does not carry them.
 */
import { checkInteger } from './validate.js';

/**
 * Ids below this are counted in dense tables (grown by doubling up to 2^18 cells, 2 MB at most);
 * larger ids go to a hash map, so memory stays O(distinct ids) whatever their values.
 */
const DENSE_LIMIT = 1 << 18;

/**
 * A history keeps at most this many count indexes (distinct `(window, skip)` pairs) up to date;
 * requesting another drops the least recently requested one.
 */
export const MAX_COUNT_INDEXES = 8;

/**
 * Counts of the tokens at positions `[max(skip, length − window), length)` of a history, with the
 * distinct ids present listed densely so that a processor can visit them without scanning the
 * vocabulary. Memory is O(distinct ids) whatever their magnitude: ids below 2^18 are counted in
 * dense tables, larger ones in a hash map.
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
  /** @internal Set when the history dropped this index (see {@link TokenHistory.counts}). */
  detached = false;
  /** @internal Last request (the history's clock), for dropping the least recently used index. */
  used = 0;
  private counts = new Int32Array(64);
  private where = new Int32Array(64).fill(-1);
  /** ids ≥ DENSE_LIMIT → [count, position in ids] */
  private big: Map<number, Int32Array> | null = null;

  constructor(window: number, skip: number) {
    this.window = window;
    this.skip = skip;
  }

  /** How often `id` occurs in the counted range. */
  get(id: number): number {
    if (id < this.counts.length) return this.counts[id];
    if (this.detached) this.throwDetached();
    if (id < DENSE_LIMIT || this.big === null) return 0;
    const e = this.big.get(id);
    return e === undefined ? 0 : e[0];
  }

  private throwDetached(): never {
    throw new Error(
      `this TokenCounts (window ${this.window}, skip ${this.skip}) was dropped by its history (more than ${MAX_COUNT_INDEXES} windows in use): call history.counts() again`,
    );
  }

  /** @internal */
  inc(id: number): void {
    if (id >= this.counts.length) {
      if (id >= DENSE_LIMIT) {
        this.incBig(id);
        return;
      }
      this.grow(id);
    }
    if (this.counts[id]++ === 0) this.where[id] = this.append(id);
  }

  /** Adds `id` to the list of distinct ids; returns its position. */
  private append(id: number): number {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.ids[this.size] = id;
    return this.size++;
  }

  private incBig(id: number): void {
    const big = (this.big ??= new Map());
    const e = big.get(id);
    if (e !== undefined) e[0]++;
    else big.set(id, Int32Array.of(1, this.append(id)));
  }

  /** Moves the last listed id into position `at` (the id there left the counted range). */
  private unlist(at: number): void {
    const last = this.ids[--this.size];
    this.ids[at] = last;
    if (last < this.where.length) this.where[last] = at;
    else (this.big!.get(last) as Int32Array)[1] = at;
  }

  /** @internal */
  dec(id: number): void {
    if (id >= this.counts.length) {
      const big = this.big!;
      const e = big.get(id) as Int32Array;
      if (--e[0] === 0) {
        this.unlist(e[1]);
        big.delete(id);
      }
      return;
    }
    if (--this.counts[id] === 0) {
      this.unlist(this.where[id]);
      this.where[id] = -1;
    }
  }

  /** @internal */
  clear(): void {
    const dense = this.counts.length;
    for (let i = 0; i < this.size; i++) {
      const id = this.ids[i];
      if (id < dense) {
        this.counts[id] = 0;
        this.where[id] = -1;
      }
    }
    this.big = null;
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
    if (this.big !== null) {
      c.big = new Map();
      for (const [id, e] of this.big) c.big.set(id, e.slice());
    }
    return c;
  }

  /** @internal Drops the tables: later reads throw (the history no longer updates this index). */
  detach(): void {
    this.detached = true;
    this.counts = new Int32Array(0);
    this.where = new Int32Array(0);
    this.big = null;
    this.ids = new Int32Array(0);
    this.size = 0;
  }

  private grow(id: number): void {
    let cap = this.counts.length;
    while (cap <= id) cap *= 2;
    cap = Math.min(cap, DENSE_LIMIT);
    const counts = new Int32Array(cap);
    counts.set(this.counts);
    this.counts = counts;
    const where = new Int32Array(cap).fill(-1);
    where.set(this.where);
    this.where = where;
  }
}

/**
 * An index that a {@link TokenHistory} keeps up to date once attached ({@link TokenHistory.attach}):
 * the history rebuilds it when its tokens are truncated or reset, tells it of every push, and copies
 * it when cloned. `NgramFollowers` is one (`ngramFollowers(history, n)` attaches it).
 */
export interface HistoryIndex {
  /** Names the index: {@link TokenHistory.attached} finds it by this key. */
  readonly key: string;
  /** Rebuilds the index from `tokens[0..length)` (`length` 0: empties it). */
  rebuild(tokens: Int32Array, length: number): void;
  /** Called after `tokens[length − 1]` was appended. */
  pushed(tokens: Int32Array, length: number): void;
  /** An independent copy, for {@link TokenHistory.clone}. */
  copy(): HistoryIndex;
}

/** Throws a RangeError naming `name` unless `id` is an integer in [0, 2^31). */
function checkId(name: string, id: unknown): void {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
    throw new RangeError(`${name} must be a token id (an integer in [0, 2^31)), got ${typeof id === 'number' ? id : typeof id === 'string' ? JSON.stringify(id) : String(id)}`);
  }
}

/** Throws unless `ids` is an array-like of token ids, naming the first bad one (`ids[3]`). */
function checkIds(ids: ArrayLike<number>): void {
  if (ids == null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new TypeError(`ids must be an array of token ids, got ${ids === null ? 'null' : typeof ids}`);
  }
  if (ids instanceof Int32Array) {
    for (let i = 0; i < ids.length; i++) if (ids[i] < 0) checkId(`ids[${i}]`, ids[i]);
    return;
  }
  for (let i = 0; i < ids.length; i++) checkId(`ids[${i}]`, ids[i]);
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
  private indexes: HistoryIndex[] = [];
  private stale = false;
  private clock = 0;

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
    if (!(id >= 0 && id <= 0x7fffffff && Number.isInteger(id))) checkId('id', id);
    if (this.len === this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.len++] = id;
    if (this.stale) return;
    for (const c of this.countIndexes) c.pushed(this.buf, this.len);
    for (const x of this.indexes) x.pushed(this.buf, this.len);
  }

  /**
   * Appends every id of `ids`. Atomic: every id is checked first, so a bad id appends nothing.
   */
  pushAll(ids: ArrayLike<number>): void {
    checkIds(ids);
    for (let i = 0; i < ids.length; i++) this.push(ids[i]);
  }

  /** Keeps the first `length` tokens (indexes are rebuilt on next use). */
  truncate(length: number): void {
    checkInteger('length', length, 0);
    if (length >= this.len) return;
    this.len = length;
    this.stale = true;
  }

  /** Empties the history, then pushes `tokens` if given (checked first: a bad id changes nothing). */
  reset(tokens?: ArrayLike<number>): void {
    if (tokens) checkIds(tokens);
    this.len = 0;
    for (const c of this.countIndexes) c.clear();
    for (const x of this.indexes) x.rebuild(this.buf, 0);
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
    h.indexes = this.indexes.map((x) => x.copy());
    return h;
  }

  /**
   * Token counts over the last `window` tokens (default all; an integer ≥ 1 or Infinity), ignoring
   * positions before `skip` (an integer ≥ 0). Built on first request, then kept up to date by `push`.
   * At most {@link MAX_COUNT_INDEXES} (8) `(window, skip)` pairs are kept: requesting a ninth drops
   * the least recently requested one, whose TokenCounts then throws on `get` (request it again).
   */
  counts(window = Infinity, skip = 0): TokenCounts {
    const clock = ++this.clock;
    for (const c of this.countIndexes) {
      if (c.window === window && c.skip === skip) {
        c.used = clock;
        this.refresh();
        return c;
      }
    }
    if (window !== Infinity) checkInteger('window', window, 1);
    checkInteger('skip', skip, 0);
    this.refresh();
    const c = new TokenCounts(window, skip);
    c.rebuild(this.buf, this.len);
    c.used = clock;
    if (this.countIndexes.length >= MAX_COUNT_INDEXES) {
      let lru = 0;
      for (let i = 1; i < this.countIndexes.length; i++) if (this.countIndexes[i].used < this.countIndexes[lru].used) lru = i;
      this.countIndexes[lru].detach();
      this.countIndexes[lru] = c;
    } else this.countIndexes.push(c);
    return c;
  }

  /**
   * Attaches `index`: builds it from the tokens so far, then keeps it up to date (push, truncate,
   * reset, clone) until the history is dropped. An index attached under the same key is replaced.
   * Returns `index`.
   */
  attach<T extends HistoryIndex>(index: T): T {
    this.refresh();
    index.rebuild(this.buf, this.len);
    const i = this.indexes.findIndex((x) => x.key === index.key);
    this.indexes[i < 0 ? this.indexes.length : i] = index;
    return index;
  }

  /** The index attached under `key` (up to date), or undefined. */
  attached(key: string): HistoryIndex | undefined {
    this.refresh();
    for (const x of this.indexes) if (x.key === key) return x;
    return undefined;
  }

  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    for (const c of this.countIndexes) c.rebuild(this.buf, this.len);
    for (const x of this.indexes) x.rebuild(this.buf, this.len);
  }
}
