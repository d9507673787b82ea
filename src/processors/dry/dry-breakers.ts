/**
 * DRY sequence breakers from strings, as llama.cpp builds them from `dry_sequence_breakers`: a
 * breaker may start inside a token and continue into the next ones.
 */
import { checkOptionKeys } from '../../core/option-keys.js';
import { checkInteger, checkTokenIds } from '../../core/validate.js';

/** Options of {@link drySequenceBreakers}: the caller's tokenizer, as two callbacks. */
export interface DryBreakerOptions {
  /** Vocabulary size: every id in [0, vocabSize) is decoded once. */
  vocabSize: number;
  /** The text of one token alone (special tokens rendered), as UTF-8 bytes or a string. */
  decode: (id: number) => Uint8Array | string;
  /** Token ids of a piece of text, without BOS and without parsing special tokens. */
  encode: (text: string) => ArrayLike<number>;
}

/** llama.cpp's limits: breakers are cut to 40 bytes, tails to 20 tokens. */
const MAX_BYTES = 40;
const MAX_TAIL = 20;
const KEYS = ['vocabSize', 'decode', 'encode'];

/**
 * Token-id sequence breakers for {@link dry} from breaker strings (llama.cpp's default is
 * `['\n', ':', '"', '*']`), exactly as llama.cpp's `get_overlapping_token_sequences` does, on bytes:
 * each non-empty breaker is cut to its first 40 UTF-8 bytes; then for every id, with `w` the bytes of
 * `decode(id)`: if `w` contains the breaker, `[id]` is a one-token breaker; otherwise for every
 * position where a suffix of `w` equals a prefix of the breaker, `[id, ...encode(rest)]` (the rest of
 * the breaker tokenized on its own, cut to 20 ids) is a multi-token breaker. Duplicates are dropped.
 * Costs `vocabSize` decodes: build once per tokenizer and breaker list, and keep the result.
 *
 * The tail is the tokenization of the rest *in isolation*; running text may tokenize it otherwise,
 * so multi-token breakers are the same heuristic as in llama.cpp.
 *
 * @example
 * ```ts
 * import { drySequenceBreakers } from 'degen-guard';
 * const vocab = ['a', 'b', '\n', 'x:', '*', '*a'];
 * drySequenceBreakers(['\n', '*a'], { vocabSize: 6, decode: (id) => vocab[id], encode: (s) => [vocab.indexOf(s)] });  // → [[2], [4, 0], [5]]
 * ```
 */
export function drySequenceBreakers(breakers: readonly string[], options: DryBreakerOptions): number[][] {
  if (!Array.isArray(breakers)) throw new TypeError(`breakers must be an array of strings, got ${String(breakers)}`);
  checkOptionKeys('drySequenceBreakers options', options, KEYS);
  if (options == null) throw new TypeError('drySequenceBreakers needs { vocabSize, decode, encode }');
  const vocab = checkInteger('vocabSize', options.vocabSize, 1);
  if (typeof options.decode !== 'function') throw new TypeError(`decode must be a function (id) => bytes or string, got ${String(options.decode)}`);
  if (typeof options.encode !== 'function') throw new TypeError(`encode must be a function (text) => ids, got ${String(options.encode)}`);
  const utf8 = new TextEncoder();
  const text = new TextDecoder();
  const words: Uint8Array[] = [];
  for (let id = 0; id < vocab; id++) {
    const w = options.decode(id);
    if (typeof w === 'string') words.push(utf8.encode(w));
    else if (w instanceof Uint8Array) words.push(w);
    else throw new TypeError(`decode(${id}) must return a Uint8Array or a string, got ${String(w)}`);
  }
  const out: number[][] = [];
  const seen = new Set<string>();
  const add = (seq: number[]): void => {
    const key = seq.join(',');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(seq);
  };
  breakers.forEach((b, bi) => {
    if (typeof b !== 'string') throw new TypeError(`breakers[${bi}] must be a string, got ${String(b)}`);
    let str = utf8.encode(b);
    if (str.length === 0) return;
    if (str.length > MAX_BYTES) str = str.subarray(0, MAX_BYTES);
    for (let id = 0; id < vocab; id++) {
      const w = words[id];
      if (contains(w, str)) {
        add([id]);
        continue;
      }
      for (let pos = 0; pos < w.length; pos++) {
        if (w[pos] !== str[0]) continue;
        let i = 1;
        while (i < str.length && pos + i < w.length && w[pos + i] === str[i]) i++;
        if (pos + i < w.length) continue; // mismatch inside the token
        const tail = checkTokenIds(`encode(${JSON.stringify(text.decode(str.subarray(i)))})`, options.encode(text.decode(str.subarray(i))), vocab);
        add([id, ...tail.slice(0, MAX_TAIL)]);
      }
    }
  });
  return out;
}

function contains(w: Uint8Array, s: Uint8Array): boolean {
  outer: for (let p = 0; p + s.length <= w.length; p++) {
    for (let j = 0; j < s.length; j++) if (w[p + j] !== s[j]) continue outer;
    return true;
  }
  return false;
}
