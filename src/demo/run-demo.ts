/**
 * The demo: every strategy of {@link demoStrategies} on the same prompts over the bundled Kneser-Ney
 * model, scored with the repetition metrics (seq-rep-n, diversity, distinct-n, uniq-seq).
 */
import { distinct } from '../metrics/distinct.js';
import { meanSeqRep, uniqSeq } from '../metrics/seq-rep.js';
import { diversity } from '../metrics/simctg.js';
import type { KneserNeyModel } from './kneser-ney.js';
import { demoStrategies } from './strategies.js';
import type { WordTokenizer } from './tokenizer.js';

/** Prompts of the demo: openings of Genesis verses. */
export const DEMO_PROMPTS: readonly string[] = [
  'And God said',
  'In the beginning',
  'And the LORD said unto',
  'And Abraham',
  'And Jacob said',
  'And Joseph',
  'And it came to pass',
  'Now the serpent',
  'And Noah',
  'And Isaac',
];

/** One row of the table (metrics over all prompts' continuations, in [0, 1] except uniqSeq). */
export interface DemoRow {
  strategy: string;
  settings: string;
  seqRep2: number;
  seqRep3: number;
  seqRep4: number;
  diversity: number;
  distinct2: number;
  uniqSeq: number;
  /** The continuation of the first prompt. */
  sample: string;
  ms: number;
}

/** Options of {@link runDemoTable}. */
export interface DemoTableOptions {
  prompts?: readonly string[];
  /** Tokens generated per prompt, default 64. */
  maxNewTokens?: number;
  /** Seed of the sampled strategies (prompt i uses seed + i), default 1. */
  seed?: number;
  /** Only the strategies whose name starts with one of these. */
  only?: readonly string[];
}

/** Runs the demo strategies and scores them. */
export async function runDemoTable(model: KneserNeyModel, tokenizer: WordTokenizer, options: DemoTableOptions = {}): Promise<DemoRow[]> {
  const prompts = (options.prompts ?? DEMO_PROMPTS).map((p) => ({ text: p, ids: tokenizer.encode(p) }));
  const maxNew = options.maxNewTokens ?? 64;
  const seed = options.seed ?? 1;
  const rows: DemoRow[] = [];
  for (const s of demoStrategies()) {
    if (options.only && !options.only.some((o) => s.name.startsWith(o))) continue;
    const t0 = performance.now();
    const outs: Int32Array[] = [];
    for (let i = 0; i < prompts.length; i++) outs.push(await s.decode(model, prompts[i].ids, maxNew, seed + i));
    const ms = performance.now() - t0;
    rows.push({
      strategy: s.name,
      settings: s.settings,
      seqRep2: meanSeqRep(outs, 2),
      seqRep3: meanSeqRep(outs, 3),
      seqRep4: meanSeqRep(outs, 4),
      diversity: diversity(outs),
      distinct2: distinct(outs, 2, { distinctMode: 'ratio' }),
      uniqSeq: uniqSeq(outs),
      sample: tokenizer.decode(Int32Array.from([...prompts[0].ids, ...outs[0]])),
      ms,
    });
  }
  return rows;
}

/** The rows as a fixed-width text table followed by one sample text per strategy. */
export function formatDemoTable(rows: readonly DemoRow[], width = 100): string {
  const head = ['strategy', 'seq-rep-2', 'seq-rep-3', 'seq-rep-4', 'diversity', 'distinct-2', 'uniq-seq'];
  const cells = rows.map((r) => [
    r.strategy,
    r.seqRep2.toFixed(3),
    r.seqRep3.toFixed(3),
    r.seqRep4.toFixed(3),
    r.diversity.toFixed(3),
    r.distinct2.toFixed(3),
    String(r.uniqSeq),
  ]);
  const w = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  ');
  const out = [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(line), ''];
  for (const r of rows) {
    out.push(`${r.strategy} (${r.settings}):`);
    const text = r.sample.length > width * 2 ? `${r.sample.slice(0, width * 2 - 1)}…` : r.sample;
    out.push(...wrap(text, width).map((l) => `  ${l}`), '');
  }
  return out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}
