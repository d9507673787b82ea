/**
 * Decoded text of a growing token sequence, streamed as deltas: only its stable part is emitted
 * (an incomplete multi-byte character, decoded as U+FFFD, and a possible start of a stop string
 * wait), with stop strings matched on the text across token boundaries.
 */

/**
 * A tokenizer as `generate` uses it: transformers.js's tokenizers fit, and so does any object with
 * these two methods. `decode` gets a plain array of ids and `{ skip_special_tokens: true }`.
 */
export interface TokenizerLike {
  /** Text → token ids (as the model expects them, special tokens included); an `{ ids }` object is read too. */
  encode(text: string): ArrayLike<number> | { ids: ArrayLike<number> };
  /** Token ids → text. */
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

/** What changed in the streamed text: drop everything from `rewindTo` on (when not null), then append `delta`. */
export interface TextChange {
  rewindTo: number | null;
  delta: string;
}

const REPLACEMENT = '\uFFFD';

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Decoded-text state of one generation. Each new token is decoded with a few tokens before it (as
 * vLLM and TGI detokenize incrementally: the text of `tokens[prefix..]` past that of
 * `tokens[prefix..read)`), so a step costs O(1) decoded tokens, not O(length); any other change of
 * the sequence (a back-off's truncation) decodes it whole once. The final text is the whole
 * sequence decoded.
 */
export class TextStream {
  /** The text streamed so far. */
  private emitted = '';
  /** Whether `emitted` is still a prefix of `stable` (true until a truncation rebuilds `stable`). */
  private extends = true;
  /** The decoded text of `tokens[0..read)`: complete characters only. */
  private stable = '';
  /** Tokens seen at the last update. */
  private count = 0;
  /** Window start, and the end of the tokens already in `stable`. */
  private prefix = 0;
  private read = 0;
  /** decode(tokens[prefix..read)), cached. */
  private prefixText = '';
  /** The tokens at the last update (a copy), for the final decode. */
  private tokens: number[] = [];
  /** Characters of `stable` already searched for stop strings. */
  private searched = 0;
  /** Where the first stop string starts in `stable`, once one was found. */
  private stopAt: number | null = null;

  constructor(
    private readonly tokenizer: TokenizerLike,
    private readonly stopStrings: readonly string[],
    private readonly includeStop: boolean,
  ) {}

  private decode(ids: number[]): string {
    if (ids.length === 0) return '';
    const text: unknown = this.tokenizer.decode(ids, { skip_special_tokens: true });
    if (typeof text !== 'string') {
      throw new TypeError(`tokenizer.decode must return a string, got ${text === null || typeof text !== 'object' ? String(text) : Object.prototype.toString.call(text)}`);
    }
    return text;
  }

  /** Decodes the generated tokens (after a push or a truncation); returns whether a stop string just completed. */
  update(tokens: Int32Array): boolean {
    const n = tokens.length;
    const appended = n === this.count + 1 && n > 1;
    if (appended) {
      this.tokens.push(tokens[n - 1]);
      const text = this.decode(this.tokens.slice(this.prefix));
      if (text.length > this.prefixText.length && !text.endsWith(REPLACEMENT)) {
        this.stable += text.slice(this.prefixText.length);
        this.prefix = this.read;
        this.read = n;
        this.prefixText = this.decode(this.tokens.slice(this.prefix, this.read));
      }
    } else {
      // first token, or a truncation: decode everything once, then window from near the end
      const before = this.stable;
      this.tokens = Array.from(tokens);
      let read = n;
      let text = this.decode(this.tokens);
      for (let back = 0; back < 4 && read > 0 && text.endsWith(REPLACEMENT); back++) text = this.decode(this.tokens.slice(0, --read));
      if (text.endsWith(REPLACEMENT)) {
        let end = text.length;
        while (end > 0 && text[end - 1] === REPLACEMENT) end--;
        text = text.slice(0, end);
      }
      this.stable = text;
      this.extends = false;
      this.read = read;
      this.prefix = Math.max(0, read - 6);
      this.prefixText = this.decode(this.tokens.slice(this.prefix, this.read));
      this.searched = Math.min(this.searched, commonPrefix(before, text));
    }
    this.count = n;
    const stable = this.stable;
    this.stopAt = null;
    for (const s of this.stopStrings) {
      const i = stable.indexOf(s, Math.max(0, this.searched - s.length + 1));
      if (i >= 0 && (this.stopAt === null || i < this.stopAt)) this.stopAt = i;
    }
    this.searched = stable.length;
    return this.stopAt !== null;
  }

  /** The change to stream now: the stable text, less a suffix that could start a stop string. */
  next(): TextChange {
    if (this.stopAt !== null) return this.moveTo(this.finalText());
    let keep = this.stable.length;
    if (!this.includeStop) {
      // hold back the longest suffix that is a proper prefix of a stop string
      for (const s of this.stopStrings) {
        for (let n = Math.min(s.length - 1, this.stable.length); n > 0; n--) {
          if (this.stable.endsWith(s.slice(0, n))) {
            keep = Math.min(keep, this.stable.length - n);
            break;
          }
        }
      }
    }
    // `stable` only grew since the last change, and the held-back part cannot start before what was
    // streamed (it would have been held back then): append without comparing the whole text
    if (this.extends && keep >= this.emitted.length) {
      const delta = this.stable.slice(this.emitted.length, keep);
      this.emitted += delta;
      return { rewindTo: null, delta };
    }
    const change = this.moveTo(this.stable.slice(0, keep));
    this.extends = true;
    return change;
  }

  /** The change that completes the stream when generation ends. */
  flush(): TextChange {
    return this.moveTo(this.finalText());
  }

  /** The output text: the whole sequence decoded, or cut before the stop string when it is excluded. */
  finalText(): string {
    if (this.stopAt !== null && !this.includeStop) return this.stable.slice(0, this.stopAt);
    return this.decode(this.tokens);
  }

  /** Length of the text streamed so far. */
  get length(): number {
    return this.emitted.length;
  }

  private moveTo(target: string): TextChange {
    const c = commonPrefix(this.emitted, target);
    const change: TextChange = { rewindTo: c < this.emitted.length ? c : null, delta: target.slice(c) };
    this.emitted = target;
    return change;
  }
}

/** The ids `tokenizer.encode(text)` gives, as a plain array (an `{ ids }` result is unwrapped). */
export function encodeText(tokenizer: TokenizerLike, text: string): number[] {
  const out = tokenizer.encode(text) as ArrayLike<number> | { ids: ArrayLike<number> } | null;
  const ids = out != null && typeof out === 'object' && 'ids' in out ? out.ids : out;
  if (ids == null || typeof (ids as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`tokenizer.encode must return an array of token ids, got ${Object.prototype.toString.call(out)}`);
  }
  return Array.from(ids as ArrayLike<number>, Number);
}
