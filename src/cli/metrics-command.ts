/**
 * `degen-guard metrics FILE`: repetition metrics of a file of continuations, streamed line by line.
 */
import { createReadStream, statSync } from 'node:fs';
import { nearestKey } from '../core/option-keys.js';
import { CorpusMetrics, type CorpusMetricsSummary } from '../metrics/corpus-metrics.js';
import type { DistinctMode } from '../metrics/distinct.js';
import { splitWords, splitWordsAndPunct } from '../metrics/split-words.js';
import { LineSplitter } from './line-splitter.js';
import { NotTextError, textChunks } from './text-chunks.js';

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

/** Where the command reads and writes (injectable for tests). */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

export const METRICS_HELP = `Usage: degen-guard metrics [options] FILE

Repetition metrics of a file of continuations. FILE is plain text (one continuation per line,
split into words as Python's str.split() does) or JSONL ({"text": "..."} or {"tokens": [ids]}
per line) in UTF-8; "-" reads stdin. The file is streamed: memory does not grow with the number of
lines, and a very long plain-text line is read in pieces (its words kept as 4-byte ids).

Options:
  --json                   print the results as JSON
  --format auto|text|jsonl input format (auto: JSONL when the file ends in .jsonl/.ndjson or its
                           first non-blank line is a JSON object; default auto)
  --split python|punct     how text is split into words: python = str.split() (default),
                           punct = words and single punctuation marks (Welleck et al.'s GPT-2 runs)
  --strict                 a malformed line fails the run (exit 1) instead of being reported and skipped
  --distinct-mode M        distinct-n variant: sentence (default, Distinct-N package), pooled
                           (Li et al.: corpus n-grams / tokens) or ratio (corpus n-grams / n-grams);
                           pooled and ratio keep the corpus n-gram sets in memory
  --simctg-compat          rep-n and diversity exactly as SimCTG's script (last n-gram dropped, rounded)
  --pad-id ID              cut each token sequence at the first ID
  --progress, --no-progress  progress on stderr (default: only when stderr is a terminal)
  -h, --help               this help

Prints seq-rep-1..4, uniq-seq, distinct-1..4, rep-2..4 and diversity. Exit status: 0 on success
(malformed lines are reported on stderr with their line numbers and counted); 1 when there is
nothing to score (an empty file, only blank lines, every line malformed), when the file is not
UTF-8 text (binary data, UTF-16, invalid UTF-8), or when --strict meets a malformed line; 2 on a
usage or I/O error (--pad-id with text lines is a usage error).
`;

interface MetricsArgs {
  file: string;
  json: boolean;
  format: 'auto' | 'text' | 'jsonl';
  split: 'python' | 'punct';
  strict: boolean;
  distinctMode: DistinctMode;
  simctgCompat: boolean;
  padId: number | undefined;
  progress: boolean | undefined;
}

class UsageError extends Error {}

/** Every flag of the command, for the nearest-name hint of an unknown one. */
const METRICS_FLAGS = ['--json', '--format', '--split', '--strict', '--distinct-mode', '--simctg-compat', '--pad-id', '--progress', '--no-progress', '--help'];

function parseArgs(argv: string[]): MetricsArgs | 'help' {
  const a: MetricsArgs = {
    file: '',
    json: false,
    format: 'auto',
    split: 'python',
    strict: false,
    distinctMode: 'sentence',
    simctgCompat: false,
    padId: undefined,
    progress: undefined,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
      return argv[++i];
    };
    const choice = <T extends string>(allowed: readonly T[]): T => {
      const v = value();
      if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
      return v as T;
    };
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--json':
        a.json = true;
        break;
      case '--strict':
        a.strict = true;
        break;
      case '--simctg-compat':
        a.simctgCompat = true;
        break;
      case '--progress':
        a.progress = true;
        break;
      case '--no-progress':
        a.progress = false;
        break;
      case '--format':
        a.format = choice(['auto', 'text', 'jsonl'] as const);
        break;
      case '--split':
        a.split = choice(['python', 'punct'] as const);
        break;
      case '--distinct-mode':
        a.distinctMode = choice(['sentence', 'pooled', 'ratio'] as const);
        break;
      case '--pad-id': {
        const v = value();
        const n = Number(v);
        if (!/^-?\d+$/.test(v) || (n | 0) !== n) throw new UsageError(`--pad-id must be an integer token id, got ${JSON.stringify(v)}`);
        a.padId = n;
        break;
      }
      default:
        if (arg !== '-' && arg.startsWith('-')) {
          const near = nearestKey(name.replace(/_/g, '-'), METRICS_FLAGS);
          throw new UsageError(`unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}`);
        }
        files.push(arg);
    }
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE (use - for stdin)' : `expected one FILE, got ${files.length}`);
  a.file = files[0];
  return a;
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

const fmt = (x: number, digits: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const num = (x: number) => (Number.isNaN(x) ? null : x);

function report(s: CorpusMetricsSummary, extra: { file: string; format: string; blankLines: number; malformedLines: number; errors: { line: number; message: string }[] }) {
  const out: Record<string, unknown> = {
    file: extra.file,
    format: extra.format,
    sequences: s.sequences,
    tokens: s.tokens,
    blankLines: extra.blankLines,
    malformedLines: extra.malformedLines,
  };
  for (let n = 1; n <= 4; n++) out[`seq-rep-${n}`] = num(s.seqRep[n - 1]);
  out['seq-rep-counted'] = s.seqRepCounted;
  out['uniq-seq'] = s.uniqSeq;
  for (let n = 1; n <= 4; n++) out[`distinct-${n}`] = num(s.distinct[n - 1]);
  out['distinct-mode'] = s.distinctMode;
  out['rep-2'] = num(s.rep2);
  out['rep-3'] = num(s.rep3);
  out['rep-4'] = num(s.rep4);
  out.diversity = num(s.diversity);
  out['simctg-compat'] = s.simctgCompat;
  out.errors = extra.errors;
  return out;
}

function table(s: CorpusMetricsSummary, extra: { file: string; format: string; blankLines: number; malformedLines: number }): string {
  const rows: [string, string, string][] = [];
  rows.push(['sequences', String(s.sequences), `${extra.format}; blank lines skipped: ${extra.blankLines}; malformed: ${extra.malformedLines}`]);
  rows.push(['tokens', String(s.tokens), '']);
  for (let n = 1; n <= 4; n++) {
    const skipped = s.sequences - s.seqRepCounted[n - 1];
    rows.push([`seq-rep-${n}`, fmt(s.seqRep[n - 1], 4), `Welleck et al.; mean of ${s.seqRepCounted[n - 1]} sequences${skipped ? `, ${skipped} shorter than ${n} left out` : ''}`]);
  }
  rows.push(['uniq-seq', String(s.uniqSeq), 'distinct tokens over all sequences']);
  for (let n = 1; n <= 4; n++) rows.push([`distinct-${n}`, fmt(s.distinct[n - 1], 4), n === 1 ? `mode: ${s.distinctMode}` : '']);
  const how = s.simctgCompat ? 'SimCTG script (compat), %' : 'SimCTG, all n-grams, %';
  rows.push(['rep-2', fmt(s.rep2, 2), how]);
  rows.push(['rep-3', fmt(s.rep3, 2), '']);
  rows.push(['rep-4', fmt(s.rep4, 2), '']);
  rows.push(['diversity', fmt(s.diversity, 4), '(1 - rep-2)(1 - rep-3)(1 - rep-4)']);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return (
    `${extra.file}\n` +
    rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}${c ? `  ${c}` : ''}`.trimEnd()).join('\n') +
    '\n'
  );
}

/** Runs `degen-guard metrics` with the arguments after the subcommand; resolves to the exit status. */
export async function runMetrics(argv: string[], io: CliIo): Promise<number> {
  let args: MetricsArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`degen-guard metrics: ${e.message}\nTry 'degen-guard metrics --help'.\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(METRICS_HELP);
    return 0;
  }
  const a = args;
  let input: NodeJS.ReadableStream;
  let size = 0;
  if (a.file === '-') input = io.stdin;
  else {
    try {
      const st = statSync(a.file);
      if (st.isDirectory()) throw new Error('is a directory');
      size = st.size;
    } catch (e) {
      io.stderr.write(`degen-guard metrics: cannot read ${a.file}: ${(e as Error).message}\n`);
      return 2;
    }
    input = createReadStream(a.file);
  }
  const showProgress = a.progress ?? !!io.stderr.isTTY;
  const split = a.split === 'punct' ? splitWordsAndPunct : splitWords;
  let format: 'text' | 'jsonl' | null = a.format === 'auto' ? (/\.(jsonl|ndjson)$/i.test(a.file) ? 'jsonl' : null) : a.format;
  const corpus = new CorpusMetrics({ distinctMode: a.distinctMode, simctgCompat: a.simctgCompat, padId: a.padId });
  let lineNo = 0;
  let blankLines = 0;
  let malformed = 0;
  const errors: { line: number; message: string }[] = [];
  let bytes = 0;
  let lastProgress = 0;
  let failed: { line: number; message: string } | null = null;
  const progress = (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastProgress < 250) return;
    lastProgress = now;
    const pct = size > 0 ? ` (${Math.min(100, (100 * bytes) / size).toFixed(0)}%)` : '';
    io.stderr.write(`\rdegen-guard metrics: ${lineNo.toLocaleString('en')} lines, ${(bytes / 1e6).toFixed(1)} MB${pct}${final ? '\n' : ''}`);
  };
  // A line's text is buffered up to LONG_LINE characters; a longer plain-text line is streamed:
  // its words are interned as they complete and only their ids are kept (4 bytes a word).
  let parts: string[] = [];
  let partsLen = 0;
  let streaming = false;
  let carry = '';
  let lineIds = new Int32Array(1024);
  let lineLen = 0;
  let fatal: string | null = null;
  const malformedLine = (message: string): boolean => {
    malformed++;
    if (a.strict) {
      failed = { line: lineNo, message };
      return false;
    }
    if (errors.length < 100) errors.push({ line: lineNo, message });
    io.stderr.write(`${showProgress ? '\r\x1b[K' : ''}degen-guard metrics: ${a.file}:${lineNo}: malformed line skipped: ${message}\n`);
    return true;
  };
  const wordsWithPad = () =>
    `--pad-id applies to token ids ({"tokens": [...]} JSONL lines), but line ${lineNo} holds text: drop --pad-id`;
  const internWords = (text: string) => {
    const words = split(text);
    if (lineLen + words.length > lineIds.length) {
      const grown = new Int32Array(Math.max(lineLen + words.length, lineIds.length * 2));
      grown.set(lineIds.subarray(0, lineLen));
      lineIds = grown;
    }
    for (const w of words) lineIds[lineLen++] = corpus.wordId(w);
  };
  const feedStream = (text: string) => {
    const t = carry + text;
    let k = t.length - 1;
    while (k >= 0 && !isPyWhitespace(t.charCodeAt(k))) k--;
    if (k < 0) {
      carry = t; // no word ended yet
      return;
    }
    carry = t.slice(k + 1);
    internWords(t.slice(0, k + 1));
  };
  /** Whether the line being read may be streamed (plain text, not a JSONL record). */
  const streamable = (head: string): boolean => {
    if (format === 'text') return true;
    if (format === 'jsonl') return false;
    if (head.trimStart().startsWith('{')) return false; // perhaps JSONL: parse the line whole
    format = 'text';
    return true;
  };
  const sink = {
    piece(text: string) {
      if (fatal !== null || failed !== null) return;
      if (streaming) {
        feedStream(text);
        return;
      }
      parts.push(text);
      partsLen += text.length;
      if (partsLen > LONG_LINE) {
        const head = parts.join('');
        if (streamable(head)) {
          if (a.padId !== undefined) {
            fatal = wordsWithPad();
            return;
          }
          parts = [];
          partsLen = 0;
          streaming = true;
          feedStream(lineNo === 0 && head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
        } else parts = [head];
      }
    },
    end() {
      if (fatal !== null || failed !== null) return;
      lineNo++;
      if (showProgress && (lineNo & 1023) === 0) progress(false);
      if (streaming) {
        internWords(carry);
        carry = '';
        streaming = false;
        const len = lineLen;
        lineLen = 0;
        if (len === 0) {
          blankLines++;
          return;
        }
        try {
          corpus.addWordIds(lineIds, len);
        } catch (e) {
          malformedLine((e as Error).message);
        }
        if (lineIds.length > 1 << 16) lineIds = new Int32Array(1024);
        return;
      }
      const raw = parts.length === 1 ? parts[0] : parts.join('');
      parts = [];
      partsLen = 0;
      const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (line.trim() === '') {
        blankLines++;
        return;
      }
      if (format === null) {
        format = 'text';
        if (line.trimStart().startsWith('{')) {
          try {
            const v = JSON.parse(line);
            if (v && typeof v === 'object' && !Array.isArray(v)) format = 'jsonl';
          } catch {
            /* plain text that starts with a brace */
          }
        }
      }
      let seq: ArrayLike<number> | string[];
      try {
        seq = format === 'jsonl' ? fromJsonl(line, split) : split(line);
      } catch (e) {
        malformedLine((e as Error).message);
        return;
      }
      if (a.padId !== undefined && seq.length > 0 && typeof seq[0] === 'string') {
        fatal = wordsWithPad();
        return;
      }
      try {
        corpus.add(seq);
      } catch (e) {
        malformedLine((e as Error).message);
      }
    },
  };
  const lines = new LineSplitter(sink);
  try {
    for await (const text of textChunks(input as AsyncIterable<Buffer | string>, (n) => (bytes += n))) {
      lines.push(text);
      if (fatal !== null || failed !== null) break;
    }
    if (fatal === null && failed === null) lines.finish();
  } catch (e) {
    if (showProgress) io.stderr.write('\n');
    if (e instanceof NotTextError) {
      io.stderr.write(`degen-guard metrics: ${a.file}: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`degen-guard metrics: error reading ${a.file}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    if (a.file !== '-') (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  if (showProgress) progress(true);
  if (fatal !== null) {
    io.stderr.write(`degen-guard metrics: ${fatal}\n`);
    return 2;
  }
  if (failed) {
    const f = failed as { line: number; message: string };
    io.stderr.write(`degen-guard metrics: ${a.file}:${f.line}: malformed line: ${f.message} (--strict)\n`);
    return 1;
  }
  if (corpus.summary().sequences === 0) {
    const why =
      lineNo === 0
        ? 'the file is empty'
        : malformed > 0
          ? `every non-blank line (${malformed}) is malformed`
          : `it holds only blank lines (${blankLines})`;
    io.stderr.write(`degen-guard metrics: ${a.file}: nothing to score: ${why}\n`);
    return 1;
  }
  const s = corpus.summary();
  const extra = { file: a.file, format: format ?? 'text', blankLines, malformedLines: malformed, errors };
  io.stdout.write(a.json ? JSON.stringify(report(s, extra), null, 2) + '\n' : table(s, extra));
  if (malformed > 0 && !a.json) io.stderr.write(`degen-guard metrics: ${malformed} malformed line(s) skipped\n`);
  return 0;
}
