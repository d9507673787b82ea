/**
 * A bounded store of values keyed by token sequences, searched by longest common prefix: a trie
 * over token ids whose nodes may hold a value, with least-recently-used eviction. The
 * transformers.js adapter keeps one KV-cache entry per sequence it has run; a new sequence finds
 * the entry it extends (or branches from) by walking the trie.
 */

interface TrieNode<T> {
  parent: TrieNode<T> | null;
  token: number;
  depth: number;
  children: Map<number, TrieNode<T>> | null;
  value: T | null;
}

/** What {@link PrefixCache.lookup} finds. */
export interface PrefixMatch<T> {
  /** A stored value whose key shares `depth` leading tokens with the query, or null (depth 0, empty cache). */
  value: T | null;
  /** Its key's length. */
  length: number;
  /** Leading tokens the key and the query share (the longest over all keys). */
  depth: number;
}

/** A trie-indexed LRU map from token sequences to values. */
export class PrefixCache<T> {
  private readonly root: TrieNode<T> = { parent: null, token: -1, depth: 0, children: null, value: null };
  /** Nodes holding a value, least recently used first. */
  private readonly order = new Set<TrieNode<T>>();

  /**
   * @param capacity values kept at most (older ones are evicted); 0 keeps none.
   * @param onEvict called with each value that leaves the cache (evicted, deleted or replaced).
   */
  constructor(
    readonly capacity: number,
    private readonly onEvict: (value: T) => void = () => {},
  ) {}

  /** Values held. */
  get size(): number {
    return this.order.size;
  }

  /**
   * The stored value sharing the longest prefix with `tokens`: the one at exactly that prefix when
   * there is one, else any value below it (a longer key). Marks it recently used.
   */
  lookup(tokens: ArrayLike<number>): PrefixMatch<T> {
    let node = this.root;
    let best: TrieNode<T> | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const next = node.children?.get(tokens[i]);
      if (next === undefined) break;
      node = next;
      if (node.value !== null) best = node;
    }
    const depth = node.depth;
    let hit: TrieNode<T> | null = node.value !== null ? node : null;
    if (hit === null) {
      // every leaf holds a value (empty branches are pruned): walk down to the nearest one
      let down = node;
      while (down.value === null && down.children !== null && down.children.size > 0) {
        down = down.children.values().next().value as TrieNode<T>;
      }
      hit = down.value !== null ? down : best;
    }
    if (hit === null) return { value: null, length: 0, depth: 0 };
    this.touch(hit);
    return { value: hit.value, length: hit.depth, depth: Math.min(hit.depth, depth) };
  }

  /** Stores `value` under `tokens` (replacing and evicting a value already there), then evicts beyond capacity. */
  set(tokens: ArrayLike<number>, value: T): void {
    if (this.capacity === 0) {
      this.onEvict(value);
      return;
    }
    let node = this.root;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      node.children ??= new Map();
      let next = node.children.get(t);
      if (next === undefined) {
        next = { parent: node, token: t, depth: node.depth + 1, children: null, value: null };
        node.children.set(t, next);
      }
      node = next;
    }
    if (node.value !== null) {
      const old = node.value;
      node.value = value;
      this.order.delete(node);
      if (old !== value) this.onEvict(old);
    } else {
      node.value = value;
    }
    this.order.add(node);
    while (this.order.size > this.capacity) {
      const oldest = this.order.values().next().value as TrieNode<T>;
      this.remove(oldest);
    }
  }

  /** Removes the value stored under exactly `tokens` (only if it is `value`, when given). */
  delete(tokens: ArrayLike<number>, value?: T): void {
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < tokens.length && node !== undefined; i++) node = node.children?.get(tokens[i]);
    if (node !== undefined && node.value !== null && (value === undefined || node.value === value)) this.remove(node);
  }

  /** Removes every value. */
  clear(): void {
    for (const node of [...this.order]) this.remove(node);
  }

  private touch(node: TrieNode<T>): void {
    this.order.delete(node);
    this.order.add(node);
  }

  private remove(node: TrieNode<T>): void {
    const value = node.value as T;
    node.value = null;
    this.order.delete(node);
    // prune the branch up to the nearest node that still holds a value or has other children
    let n: TrieNode<T> = node;
    while (n.parent !== null && n.value === null && (n.children === null || n.children.size === 0)) {
      n.parent.children!.delete(n.token);
      n = n.parent;
    }
    this.onEvict(value);
  }
}
