/**
 * The (n−1)-gram → followers index of a {@link TokenHistory}: what no-repeat-n-gram bans. It attaches
 * itself to the history it indexes ({@link HistoryIndex}), so that TokenHistory does not carry it
 * into a bundle that never asks for it.
 */
import { NgramTable } from '../core/ngram-table.js';
import { type HistoryIndex, TokenHistory } from '../core/token-history.js';
import { checkInteger } from '../core/validate.js';

/**
 * For each (n−1)-gram of a history, the distinct tokens that have followed it: what
 * no-repeat-n-gram must ban when the history ends with that (n−1)-gram. Get one with
 * {@link ngramFollowers} (an example is there).
 */
export class NgramFollowers implements HistoryIndex {
  readonly n: number;
  /** `ngramFollowers(n)`: the key this index is attached under. */
  readonly key: string;
  private prefixes: NgramTable;
  private grams: NgramTable;
  private head = new Int32Array(64).fill(-1);
  private nodeToken = new Int32Array(64);
  private nodeNext = new Int32Array(64);
  private nodes = 0;

  /** An empty index of the n-grams (n ≥ 2); {@link ngramFollowers} builds and attaches one. */
  constructor(n: number) {
    checkInteger('n', n, 2);
    this.n = n;
    this.key = keyOf(n);
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

  /** Rebuilds from `tokens[0..length)` (see {@link HistoryIndex}). */
  rebuild(tokens: Int32Array, length: number): void {
    this.prefixes.clear();
    this.grams.clear();
    this.head.fill(-1);
    this.nodes = 0;
    for (let s = 0; s + this.n <= length; s++) this.addGram(tokens, s);
  }

  /** Records the n-gram that `tokens[length − 1]` completes (see {@link HistoryIndex}). */
  pushed(tokens: Int32Array, length: number): void {
    if (length >= this.n) this.addGram(tokens, length - this.n);
  }

  /** An independent copy. */
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

/** The keys `ngramFollowers(n)`, made once per n (a lookup allocates nothing). */
const keys = new Map<number, string>();

function keyOf(n: number): string {
  let k = keys.get(n);
  if (k === undefined) keys.set(n, (k = `ngramFollowers(${n})`));
  return k;
}

/**
 * The (n−1)-gram → followers index of `history` for n ≥ 2: built on first request (O(length) once),
 * attached to the history, and from then on kept up to date by its `push` (O(1) amortised), its
 * `truncate`, `reset` and `clone`. Asking again returns the same index.
 *
 * @example
 * ```ts
 * import { TokenHistory, ngramFollowers } from 'degen-guard';
 *
 * const h = new TokenHistory([1, 2, 1]);
 * const g = ngramFollowers(h, 2); // bigrams: 1→2, 2→1
 * h.push(3);                      // 1→3
 * const followers: number[] = [];
 * for (let node = g.first([1], 0); node >= 0; node = g.nextOf(node)) followers.push(g.tokenOf(node));
 * // the tokens that followed 1, the latest first
 * followers; // → [3, 2]
 * ngramFollowers(h, 2) === g; // → true
 * ```
 */
export function ngramFollowers(history: TokenHistory, n: number): NgramFollowers {
  if (!(history instanceof TokenHistory)) throw new TypeError(`history must be a TokenHistory, got ${String(history)}`);
  checkInteger('n', n, 2);
  const g = history.attached(keyOf(n));
  return g instanceof NgramFollowers ? g : history.attach(new NgramFollowers(n));
}
