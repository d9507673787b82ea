/**
 * Turning metric inputs (token ids or words) into id sequences that the n-gram kernels hash.
 * @internal
 */

/** One continuation: token ids (any array-like of int32 integers) or words (strings). */
export type Sequence = ArrayLike<number> | ArrayLike<string>;

function isDenseIntArray(x: unknown): x is Int32Array {
  return (
    x instanceof Int32Array ||
    x instanceof Int16Array ||
    x instanceof Int8Array ||
    x instanceof Uint16Array ||
    x instanceof Uint8Array ||
    x instanceof Uint8ClampedArray
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null || typeof value !== 'object') return String(value);
  return Object.prototype.toString.call(value);
}

/** Throws unless `value` is a sequence of ids or words; returns whether it holds words. */
export function checkSequence(name: string, value: unknown): value is Sequence {
  if (typeof value === 'string') {
    throw new TypeError(`${name} must be an array of token ids or words, got a string (split text with splitWords first)`);
  }
  if (value == null || typeof value !== 'object' || typeof (value as ArrayLike<unknown>).length !== 'number') {
    throw new TypeError(`${name} must be an array of token ids or words, got ${describe(value)}`);
  }
  return true;
}

/**
 * Maps sequences to int32 id arrays: ids are validated and passed through; words get dense ids from
 * a dictionary that persists across calls of one interner (so that corpus-level sets see the same id
 * for the same word). The returned array may be the interner's scratch buffer: use it before the
 * next call.
 */
export class Interner {
  /** Words seen so far → id. */
  readonly words = new Map<string, number>();
  private scratch = new Int32Array(64);

  /** Kind of the sequences seen so far (`null` until a non-empty one). */
  kind: 'ids' | 'words' | null = null;

  ids(seq: unknown, name: string, lockKind = false): ArrayLike<number> {
    checkSequence(name, seq);
    const s = seq as Sequence;
    const len = s.length;
    if (len === 0) return s as ArrayLike<number>;
    const words = typeof s[0] === 'string';
    if (lockKind) {
      const kind = words ? 'words' : 'ids';
      if (this.kind === null) this.kind = kind;
      else if (this.kind !== kind) {
        throw new TypeError(`${name} holds ${kind} but earlier sequences held ${this.kind}: do not mix words and token ids`);
      }
    }
    if (!words) {
      if (isDenseIntArray(s)) return s;
      const a = s as ArrayLike<unknown>;
      for (let i = 0; i < len; i++) {
        const v = a[i];
        if (((v as number) | 0) !== v) {
          throw new TypeError(`${name}[${i}] must be a token id (an integer in the int32 range) or a word, got ${describe(v)}`);
        }
      }
      return s as ArrayLike<number>;
    }
    if (this.scratch.length < len) this.scratch = new Int32Array(Math.max(len, this.scratch.length * 2));
    const out = this.scratch;
    const dict = this.words;
    const a = s as ArrayLike<unknown>;
    for (let i = 1; i < len; i++) {
      if (typeof a[i] !== 'string') {
        throw new TypeError(`${name}[${i}] must be a word like the sequence's first element, got ${describe(a[i])}`);
      }
    }
    for (let i = 0; i < len; i++) {
      const w = a[i] as string;
      let id = dict.get(w);
      if (id === undefined) {
        id = dict.size;
        dict.set(w, id);
      }
      out[i] = id;
    }
    return out.subarray(0, len);
  }
}

/** Length of the prefix before the first `padId` (the whole length when absent or undefined). */
export function lengthBeforePad(ids: ArrayLike<number>, padId: number | undefined): number {
  if (padId === undefined) return ids.length;
  for (let i = 0; i < ids.length; i++) if (ids[i] === padId) return i;
  return ids.length;
}

/** Throws unless `value` is an array-like of sequences; returns it as an array-like. */
export function checkCorpus(name: string, value: unknown): ArrayLike<unknown> {
  if (value == null || typeof value !== 'object') {
    throw new TypeError(`${name} must be an array of sequences, got ${describe(value)}`);
  }
  if (typeof (value as ArrayLike<unknown>).length === 'number') return value as ArrayLike<unknown>;
  if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') return Array.from(value as Iterable<unknown>);
  throw new TypeError(`${name} must be an array of sequences, got ${describe(value)}`);
}

/**
 * Throws a TypeError naming padId when one is given for a sequence of words: padId is a token id
 * and means nothing for words (it would be compared with the words' internal numbering).
 */
export function checkPadForWords(padId: number | undefined, seq: unknown, name: string): void {
  if (padId === undefined) return;
  const s = seq as ArrayLike<unknown>;
  if (s != null && typeof s.length === 'number' && s.length > 0 && typeof s[0] === 'string') {
    throw new TypeError(`padId = ${padId} applies to token ids only, but ${name} holds words (strings): drop padId or pass token ids`);
  }
}
