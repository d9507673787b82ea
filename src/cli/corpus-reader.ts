/**
 * The line sink of `degen-guard metrics`: reads each line of the input into a CorpusMetrics, finds
 * the format (plain text or JSONL) on the first non-blank line, streams very long plain-text lines,
 * and counts blank and malformed lines.
 */
import type { CorpusMetrics } from '../metrics/corpus-metrics.js';
import type { LineSink } from './line-splitter.js';

/** Lines longer than this many characters are streamed (plain text) instead of held whole. */
const LONG_LINE = 1 << 16;

/** Python's str.split() whitespace (see PY_WHITESPACE in src/metrics/split-words.ts). */
function isPyWhitespace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Parses one JSONL record into a sequence, or throws an Error saying what is wrong. */
function fromJsonl(line: string, split: (text: string) => string[]): ArrayLike<number> | string[] {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new Error('not a JSON object');
  const r = rec as { text?: unknown; tokens?: unknown };
  if (r.tokens !== undefined) {
    if (!Array.isArray(r.tokens)) throw new Error('"tokens" is not an array');
    for (let i = 0; i < r.tokens.length; i++) {
      const v = r.tokens[i];
      if (typeof v !== 'number' || (v | 0) !== v || v < 0) throw new Error(`"tokens"[${i}] is not a token id (an integer ≥ 0): ${JSON.stringify(v)}`);
    }
    return r.tokens as number[];
  }
  if (r.text !== undefined) {
    if (typeof r.text !== 'string') throw new Error('"text" is not a string');
    return split(r.text);
  }
  throw new Error('has neither "text" nor "tokens"');
}

/** A malformed line: its number (from 1) and what is wrong with it. */
export interface LineError {
  line: number;
  message: string;
}

/** What a {@link CorpusReader} reads into, and how. */
export interface CorpusReaderOptions {
  corpus: CorpusMetrics;
  /** Splits a text into words. */
  split: (text: string) => string[];
  /** The format, or null to find it on the first non-blank line. */
  format: 'text' | 'jsonl' | null;
  /** A malformed line stops the reading (`failed`) instead of being skipped. */
  strict: boolean;
  /** `--pad-id`: the lines must hold token ids (a text line is `fatal`). */
  padId: number | undefined;
  /** Told of each malformed line skipped. */
  onSkip(error: LineError): void;
  /** Told after every 1,024th line, when given. */
  onLines?: () => void;
}

/** Reads the lines it is given (as a {@link LineSink}) into `options.corpus`. */
export class CorpusReader implements LineSink {
  /** Lines ended so far. */
  lineNo = 0;
  blankLines = 0;
  malformed = 0;
  /** The first 100 malformed lines skipped. */
  readonly errors: LineError[] = [];
  /** The malformed line that stopped a strict reading. */
  failed: LineError | null = null;
  /** What stopped the reading as a usage error (text lines with `--pad-id`). */
  fatal: string | null = null;
  /** The format, once known. */
  format: 'text' | 'jsonl' | null;

  private readonly o: CorpusReaderOptions;
  // A line's text is buffered up to LONG_LINE characters; a longer plain-text line is streamed:
  // its words are interned as they complete and only their ids are kept (4 bytes a word).
  private parts: string[] = [];
  private partsLen = 0;
  private streaming = false;
  private carry = '';
  private lineIds = new Int32Array(1024);
  private lineLen = 0;

  constructor(options: CorpusReaderOptions) {
    this.o = options;
    this.format = options.format;
  }

  /** Whether a fatal error or a strict failure stopped the reading. */
  get stopped(): boolean {
    return this.fatal !== null || this.failed !== null;
  }

  piece(text: string): void {
    if (this.stopped) return;
    if (this.streaming) {
      this.feedStream(text);
      return;
    }
    this.parts.push(text);
    this.partsLen += text.length;
    if (this.partsLen <= LONG_LINE) return;
    const head = this.parts.join('');
    if (!this.streamable(head)) {
      this.parts = [head];
      return;
    }
    if (this.o.padId !== undefined) {
      this.fatal = this.wordsWithPad();
      return;
    }
    this.parts = [];
    this.partsLen = 0;
    this.streaming = true;
    this.feedStream(this.lineNo === 0 && head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
  }

  end(): void {
    if (this.stopped) return;
    this.lineNo++;
    if (this.o.onLines && (this.lineNo & 1023) === 0) this.o.onLines();
    if (this.streaming) this.endStreamedLine();
    else this.endLine();
  }

  /** Ends a streamed line: its last word, then the whole line's word ids into the corpus. */
  private endStreamedLine(): void {
    this.internWords(this.carry);
    this.carry = '';
    this.streaming = false;
    const len = this.lineLen;
    this.lineLen = 0;
    if (len === 0) {
      this.blankLines++;
      return;
    }
    try {
      this.o.corpus.addWordIds(this.lineIds, len);
    } catch (e) {
      this.malformedLine((e as Error).message);
    }
    if (this.lineIds.length > 1 << 16) this.lineIds = new Int32Array(1024);
  }

  /** Ends a buffered line: parses it (text or JSONL) and adds it to the corpus. */
  private endLine(): void {
    const raw = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.partsLen = 0;
    const line = this.lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === '') {
      this.blankLines++;
      return;
    }
    if (this.format === null) this.format = formatOf(line);
    let seq: ArrayLike<number> | string[];
    try {
      seq = this.format === 'jsonl' ? fromJsonl(line, this.o.split) : this.o.split(line);
    } catch (e) {
      this.malformedLine((e as Error).message);
      return;
    }
    if (this.o.padId !== undefined && seq.length > 0 && typeof seq[0] === 'string') {
      this.fatal = this.wordsWithPad();
      return;
    }
    try {
      this.o.corpus.add(seq);
    } catch (e) {
      this.malformedLine((e as Error).message);
    }
  }

  /** Counts a malformed line: stops a strict reading, else records and reports it. */
  private malformedLine(message: string): void {
    this.malformed++;
    if (this.o.strict) {
      this.failed = { line: this.lineNo, message };
      return;
    }
    if (this.errors.length < 100) this.errors.push({ line: this.lineNo, message });
    this.o.onSkip({ line: this.lineNo, message });
  }

  private wordsWithPad(): string {
    return `--pad-id applies to token ids ({"tokens": [...]} JSONL lines), but line ${this.lineNo} holds text: drop --pad-id`;
  }

  /** Appends the ids of the words of `text` to the streamed line. */
  private internWords(text: string): void {
    const words = this.o.split(text);
    if (this.lineLen + words.length > this.lineIds.length) {
      const grown = new Int32Array(Math.max(this.lineLen + words.length, this.lineIds.length * 2));
      grown.set(this.lineIds.subarray(0, this.lineLen));
      this.lineIds = grown;
    }
    for (const w of words) this.lineIds[this.lineLen++] = this.o.corpus.wordId(w);
  }

  /** Interns the words of a streamed line that `text` completes; keeps the unfinished last one. */
  private feedStream(text: string): void {
    const t = this.carry + text;
    let k = t.length - 1;
    while (k >= 0 && !isPyWhitespace(t.charCodeAt(k))) k--;
    if (k < 0) {
      this.carry = t; // no word ended yet
      return;
    }
    this.carry = t.slice(k + 1);
    this.internWords(t.slice(0, k + 1));
  }

  /** Whether the line being read may be streamed (plain text, not a JSONL record). */
  private streamable(head: string): boolean {
    if (this.format === 'text') return true;
    if (this.format === 'jsonl') return false;
    if (head.trimStart().startsWith('{')) return false; // perhaps JSONL: parse the line whole
    this.format = 'text';
    return true;
  }
}

/** The format a first non-blank line tells: JSONL when it is a JSON object, else text. */
function formatOf(line: string): 'text' | 'jsonl' {
  if (!line.trimStart().startsWith('{')) return 'text';
  try {
    const v = JSON.parse(line);
    if (v && typeof v === 'object' && !Array.isArray(v)) return 'jsonl';
  } catch {
    /* plain text that starts with a brace */
  }
  return 'text';
}
