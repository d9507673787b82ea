/**
 * The kernel of DRY: over the last N tokens of a sequence, which next tokens would extend a repeat,
 * and how long a repeat. O(N) per call (a Z-function on the reversed window) plus the breaker scan,
 * whose cost is bounded by the breakers' tail lengths. No allocation once the scratch is grown.
 */
import { growI32 } from '../warp-common.js';

/** Sequence breakers compiled for lookups: head token → tails (token ids after the head), longest first. */
export interface CompiledBreakers {
  /** head id → its tails, longest first (an empty tail = a single-token breaker). */
  readonly tails: ReadonlyMap<number, readonly Int32Array[]>;
  /** Head ids that are a whole breaker by themselves: never penalised. */
  readonly single: ReadonlySet<number>;
}

/** Compiles token-id breakers (each a non-empty id sequence: head, then tail). */
export function compileBreakers(breakers: readonly (readonly number[])[]): CompiledBreakers {
  const tails = new Map<number, Int32Array[]>();
  const single = new Set<number>();
  for (const b of breakers) {
    const head = b[0];
    const tail = Int32Array.from(b.slice(1));
    let list = tails.get(head);
    if (!list) tails.set(head, (list = []));
    if (!list.some((t) => t.length === tail.length && t.every((v, i) => v === tail[i]))) list.push(tail);
    if (tail.length === 0) single.add(head);
  }
  for (const list of tails.values()) list.sort((a, b) => b.length - a.length);
  return { tails, single };
}

/**
 * Reusable buffers of {@link dryRepeats}. After a call, `ids[0..size)` are the nominated next tokens
 * and `len[id]` the longest repeat each would extend (`len` is -1 for every other id).
 */
export class DryScratch {
  /** The window, most recent token first. */
  r: Int32Array = new Int32Array(0);
  /** Z-function of `r`. */
  z: Int32Array = new Int32Array(0);
  /** Longest repeat per nominated id (-1 elsewhere), sized to the largest id met. */
  len: Int32Array = new Int32Array(0);
  /** Nominated ids. */
  ids: Int32Array = new Int32Array(0);
  size = 0;

  /** Clears the previous call's nominations (O(previous size)). */
  clear(): void {
    const len = this.len;
    for (let i = 0; i < this.size; i++) len[this.ids[i]] = -1;
    this.size = 0;
  }

  /** Makes `len` cover ids < n. */
  cover(n: number): void {
    if (this.len.length >= n) return;
    const grown = new Int32Array(Math.max(n, this.len.length * 2)).fill(-1);
    grown.set(this.len);
    this.len = grown;
  }

  grow(n: number): void {
    this.r = growI32(this.r, n);
    this.z = growI32(this.z, n);
    this.ids = growI32(this.ids, n);
  }
}

/**
 * The repetition limit set by the most recent breaker in `r[0..n)` (most recent first): the number
 * of tokens after that breaker's end, or n when the window holds no breaker.
 */
export function restartLimit(r: Int32Array, n: number, breakers: CompiledBreakers): number {
  const map = breakers.tails;
  if (map.size === 0) return n;
  for (let i = 0; i < n; i++) {
    const list = map.get(r[i]);
    if (list === undefined) continue;
    for (const tail of list) {
      const t = tail.length;
      if (t > i) continue;
      let ok = true;
      for (let o = 0; o < t; o++) {
        if (tail[o] !== r[i - 1 - o]) {
          ok = false;
          break;
        }
      }
      if (ok) return i - t;
    }
  }
  return n;
}

/**
 * Z-function of `r[0..n)`: `z[k]` = the length of the longest common prefix of `r` and `r[k..n)`
 * (z[0] = 0). On the reversed window that is the longest common suffix of the window and the window
 * without its last k tokens. O(n).
 */
function zFunction(r: Int32Array, n: number, z: Int32Array): void {
  if (n > 0) z[0] = 0;
  let l = 0;
  let rt = 0; // [l, rt) is the rightmost segment matching a prefix
  for (let k = 1; k < n; k++) {
    let m = 0;
    if (k < rt) m = Math.min(rt - k, z[k - l]);
    while (k + m < n && r[m] === r[k + m]) m++;
    z[k] = m;
    if (k + m > rt) {
      l = k;
      rt = k + m;
    }
  }
}

/**
 * Fills `s` with the DRY nominations for the window `s.r[0..n)` (most recent first): for every shift
 * k with `min(z[k], limit) ≥ allowedLength`, the token `r[k−1]` that followed the earlier occurrence
 * gets `len = max(len, min(z[k], limit))`. Ids ≥ `vocab` are skipped.
 */
export function nominate(s: DryScratch, n: number, limit: number, allowedLength: number, vocab: number): void {
  s.clear();
  const r = s.r;
  const z = s.z;
  zFunction(r, n, z);
  s.cover(vocab);
  const len = s.len;
  const ids = s.ids;
  let size = 0;
  for (let k = 1; k < n; k++) {
    let m = z[k];
    if (m > limit) m = limit;
    if (m < allowedLength) continue;
    const c = r[k - 1];
    if (c >= vocab) continue;
    const prev = len[c];
    if (prev < 0) {
      ids[size++] = c;
      len[c] = m;
    } else if (m > prev) len[c] = m;
  }
  s.size = size;
}
