/**
 * `degen-guard metrics FILE`: repetition metrics of a file of continuations, streamed line by line.
 */
import { createReadStream, statSync } from 'node:fs';
import { nearestKey } from '../core/option-keys.js';
import { CorpusMetrics, type CorpusMetricsSummary } from '../metrics/corpus-metrics.js';
import type { DistinctMode } from '../metrics/distinct.js';
import { splitWords, splitWordsAndPunct } from '../metrics/split-words.js';
import { CorpusReader } from './corpus-reader.js';
import { LineSplitter } from './line-splitter.js';
import { NotTextError, textChunks } from './text-chunks.js';

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

/** The arguments after `metrics`, or 'help'; a UsageError says what is wrong. */
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
    if (name === '-h' || name === '--help') return 'help';
    if (setOption(a, name, value)) continue;
    if (arg !== '-' && arg.startsWith('-')) {
      const near = nearestKey(name.replace(/_/g, '-'), METRICS_FLAGS);
      throw new UsageError(`unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE (use - for stdin)' : `expected one FILE, got ${files.length}`);
  a.file = files[0];
  return a;
}

/** Sets the option `name` in `a`, reading its value (if it takes one) with `value()`; false when `name` is no option. */
function setOption(a: MetricsArgs, name: string, value: () => string): boolean {
  const choice = <T extends string>(allowed: readonly T[]): T => {
    const v = value();
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  };
  switch (name) {
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
      return false;
  }
  return true;
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
  const a = argsOrStatus(argv, io);
  if (typeof a === 'number') return a;
  const opened = openInput(a, io);
  if (opened === null) return 2;
  const showProgress = a.progress ?? !!io.stderr.isTTY;
  const corpus = new CorpusMetrics({ distinctMode: a.distinctMode, simctgCompat: a.simctgCompat, padId: a.padId });
  let bytes = 0;
  const progress = progressWriter(io, opened.size);
  const reader: CorpusReader = new CorpusReader({
    corpus,
    split: a.split === 'punct' ? splitWordsAndPunct : splitWords,
    format: a.format === 'auto' ? (/\.(jsonl|ndjson)$/i.test(a.file) ? 'jsonl' : null) : a.format,
    strict: a.strict,
    padId: a.padId,
    onSkip: ({ line, message }) => {
      io.stderr.write(`${showProgress ? '\r\x1b[K' : ''}degen-guard metrics: ${a.file}:${line}: malformed line skipped: ${message}\n`);
    },
    onLines: showProgress ? () => progress(reader.lineNo, bytes, false) : undefined,
  });
  const status = await readLines(a, opened.input, reader, io, showProgress, (n) => (bytes += n));
  if (status !== 0) return status;
  if (showProgress) progress(reader.lineNo, bytes, true);
  return writeResults(a, reader, corpus, io);
}

/** The parsed arguments, or the exit status after a usage error (2) or the help (0). */
function argsOrStatus(argv: string[], io: CliIo): MetricsArgs | number {
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
  return args;
}

/** The input stream and its size in bytes (0 for stdin), or null after reporting a file that cannot be read. */
function openInput(a: MetricsArgs, io: CliIo): { input: NodeJS.ReadableStream; size: number } | null {
  if (a.file === '-') return { input: io.stdin, size: 0 };
  let size: number;
  try {
    const st = statSync(a.file);
    if (st.isDirectory()) throw new Error('is a directory');
    size = st.size;
  } catch (e) {
    io.stderr.write(`degen-guard metrics: cannot read ${a.file}: ${(e as Error).message}\n`);
    return null;
  }
  return { input: createReadStream(a.file), size };
}

/** Writes the progress line: lines and MB read, and the share of a file of `size` bytes; at most every 250 ms unless final. */
function progressWriter(io: CliIo, size: number): (lines: number, bytes: number, final: boolean) => void {
  let last = 0;
  return (lines, bytes, final) => {
    const now = Date.now();
    if (!final && now - last < 250) return;
    last = now;
    const pct = size > 0 ? ` (${Math.min(100, (100 * bytes) / size).toFixed(0)}%)` : '';
    io.stderr.write(`\rdegen-guard metrics: ${lines.toLocaleString('en')} lines, ${(bytes / 1e6).toFixed(1)} MB${pct}${final ? '\n' : ''}`);
  };
}

/** Feeds the input's lines to `reader` until the end or until it stops; 0, or the exit status of a read error. */
async function readLines(
  a: MetricsArgs,
  input: NodeJS.ReadableStream,
  reader: CorpusReader,
  io: CliIo,
  showProgress: boolean,
  onBytes: (n: number) => void,
): Promise<number> {
  const lines = new LineSplitter(reader);
  try {
    for await (const text of textChunks(input as AsyncIterable<Buffer | string>, onBytes)) {
      lines.push(text);
      if (reader.stopped) break;
    }
    if (!reader.stopped) lines.finish();
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
  return 0;
}

/** Writes the metrics (or why there are none) once the input is read; resolves to the exit status. */
function writeResults(a: MetricsArgs, reader: CorpusReader, corpus: CorpusMetrics, io: CliIo): number {
  if (reader.fatal !== null) {
    io.stderr.write(`degen-guard metrics: ${reader.fatal}\n`);
    return 2;
  }
  if (reader.failed) {
    const f = reader.failed;
    io.stderr.write(`degen-guard metrics: ${a.file}:${f.line}: malformed line: ${f.message} (--strict)\n`);
    return 1;
  }
  const { lineNo, blankLines, malformed } = reader;
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
  const extra = { file: a.file, format: reader.format ?? 'text', blankLines, malformedLines: malformed, errors: reader.errors };
  io.stdout.write(a.json ? JSON.stringify(report(s, extra), null, 2) + '\n' : table(s, extra));
  if (malformed > 0 && !a.json) io.stderr.write(`degen-guard metrics: ${malformed} malformed line(s) skipped\n`);
  return 0;
}
