/**
 * The demo: every strategy of {@link demoStrategies} on the same prompts over the bundled Kneser-Ney
 * model, scored with the repetition metrics (seq-rep-n, diversity, distinct-n, uniq-seq).
 */
import { distinct } from '../metrics/distinct.js';
import { meanSeqRep, uniqSeq } from '../metrics/seq-rep.js';
import { diversity } from '../metrics/simctg.js';
import type { LanguageModel } from '../decoding/language-model.js';
import { demoStrategies } from './strategies.js';

/** What the demo needs from a tokenizer: text to ids and back (the demo's word tokenizer, or a model's). */
export interface DemoTokenizer {
  encode(text: string): ArrayLike<number>;
  decode(ids: Int32Array): string;
}

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
  /** The id `--only` takes. */
  id: string;
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
  /** Only these strategies (ids such as `top-p`, or names such as `top-p`, `beam search`). */
  only?: readonly string[];
  /** Told about each strategy left out because the model cannot run it (no hidden states). */
  onSkip?: (strategy: { id: string; name: string }, reason: string) => void;
}

/** Whether the model gives hidden states (a model may throw from `hiddenSize` to say it does not). */
function hiddenReason(model: LanguageModel): string | null {
  try {
    return typeof model.hiddenSize === 'number' && model.hiddenSize > 0 ? null : 'the model gives no hidden states (hiddenSize)';
  } catch (e) {
    return (e as Error).message;
  }
}

/** The ids `--only` takes, in table order. */
export function demoStrategyIds(): string[] {
  return demoStrategies().map((s) => s.id);
}

/**
 * The strategy ids that `only` names (an id, or a row's name as printed), in table order; throws a
 * RangeError listing the valid ids when one matches nothing.
 */
export function selectDemoStrategies(only: readonly string[]): string[] {
  const all = demoStrategies();
  const picked = new Set<string>();
  for (const o of only) {
    const key = o.trim().toLowerCase();
    const s = all.find((x) => x.id === key || x.name === key);
    if (!s) throw new RangeError(`unknown strategy ${JSON.stringify(o)}; valid ids: ${all.map((x) => x.id).join(', ')}`);
    picked.add(s.id);
  }
  return all.filter((s) => picked.has(s.id)).map((s) => s.id);
}

/** Runs the demo strategies and scores them. */
export async function runDemoTable(model: LanguageModel, tokenizer: DemoTokenizer, options: DemoTableOptions = {}): Promise<DemoRow[]> {
  const prompts = (options.prompts ?? DEMO_PROMPTS).map((p) => ({ text: p, ids: Int32Array.from(tokenizer.encode(p)) }));
  const chosen = options.only ? new Set(selectDemoStrategies(options.only)) : null;
  const maxNew = options.maxNewTokens ?? 64;
  const seed = options.seed ?? 1;
  const rows: DemoRow[] = [];
  for (const s of demoStrategies()) {
    if (chosen && !chosen.has(s.id)) continue;
    const missing = s.needsHidden ? hiddenReason(model) : null;
    if (missing !== null) {
      options.onSkip?.({ id: s.id, name: s.name }, missing);
      continue;
    }
    const t0 = performance.now();
    const outs: Int32Array[] = [];
    for (let i = 0; i < prompts.length; i++) outs.push(await s.decode(model, prompts[i].ids, maxNew, seed + i));
    const ms = performance.now() - t0;
    rows.push({
      id: s.id,
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
    const flat = r.sample.replace(/\s*\n\s*/g, ' ¶ '); // line breaks shown as ¶
    const text = flat.length > width * 2 ? `${flat.slice(0, width * 2 - 1)}…` : flat;
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
