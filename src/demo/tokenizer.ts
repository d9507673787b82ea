/** A word-level tokenizer for the demo model: words and punctuation marks are tokens. */

const TOKEN = /[A-Za-z]+(?:'[A-Za-z]+)*|[0-9]+|[^\sA-Za-z0-9]/g;
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '?', '!', ')', "'"]);

/** Splits text into word and punctuation tokens (case kept: `LORD` and `Lord` differ). */
export function wordTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Maps words to ids (in order of first appearance in the training text) and back.
 *
 * @example
 * ```ts
 * import { WordTokenizer } from './tokenizer.js';
 *
 * const tok = WordTokenizer.fromText('In the beginning God created the heaven.');
 * tok.encode('the heaven'); // → [1, 5]
 * tok.decode([0, 1, 2]); // → "In the beginning"
 * ```
 */
export class WordTokenizer {
  private readonly ids = new Map<string, number>();

  private constructor(readonly vocab: readonly string[]) {
    vocab.forEach((w, i) => this.ids.set(w, i));
  }

  /** A tokenizer whose vocabulary is every token of `text`. */
  static fromText(text: string): WordTokenizer {
    const seen = new Set<string>();
    for (const w of wordTokens(text)) seen.add(w);
    return new WordTokenizer([...seen]);
  }

  /** Number of distinct tokens. */
  get size(): number {
    return this.vocab.length;
  }

  /** The id of a token, or -1. */
  idOf(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** Token ids of `text`; throws a RangeError naming a word that is not in the vocabulary. */
  encode(text: string): Int32Array {
    const words = wordTokens(text);
    const out = new Int32Array(words.length);
    words.forEach((w, i) => {
      const id = this.ids.get(w);
      if (id === undefined) throw new RangeError(`the word ${JSON.stringify(w)} is not in the demo model's vocabulary`);
      out[i] = id;
    });
    return out;
  }

  /** Text of token ids: spaces between words, none before punctuation. */
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const w = this.vocab[ids[i]];
      if (w === undefined) throw new RangeError(`token id ${ids[i]} is outside the vocabulary of size ${this.size}`);
      s += i === 0 || NO_SPACE_BEFORE.has(w) ? w : ` ${w}`;
    }
    return s;
  }
}
