/**
 * `degen-guard demo`: prints how each decoding strategy degenerates (or not) on the same prompts,
 * on the bundled Kneser-Ney model of KJV Genesis or, with `--model DIR`, on a real transformers.js
 * model. `--json` prints the numbers.
 */
import { loadDemoModel } from '../demo/corpus.js';
import { DEMO_PROMPTS, demoStrategyIds, formatDemoTable, runDemoTable, selectDemoStrategies, type DemoRow } from '../demo/run-demo.js';
import { loadTransformersJsModel, MissingTransformersJsError } from '../demo/transformers-js-loader.js';

const USAGE = `usage: degen-guard demo [--model DIR] [--json] [--tokens N] [--seed S] [--prompt TEXT]... [--only ID]... [--data FILE]

Runs greedy, beam search, temperature, top-k, top-p, repetition penalty, no-repeat-ngram,
contrastive search, a monitor-guarded loop, and llama.cpp's DRY, XTC and Mirostat 2 on the same
prompts and prints seq-rep-2/3/4, diversity, distinct-2 and uniq-seq of each, with a sample text.

The model: a word-level Kneser-Ney model trained on KJV Genesis (bundled, no download), or with
--model DIR a transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx), loaded
offline through transformers.js (npm install @huggingface/transformers in your project first).

Options:
  --model DIR     a transformers.js causal LM folder instead of the bundled n-gram model
  --json          the numbers as JSON
  --tokens N      tokens generated per prompt (default 64)
  --seed S        seed of the sampled strategies; prompt i uses S + i (default 1)
  --prompt TEXT   a prompt (repeatable; default: ${DEMO_PROMPTS.length} openings of Genesis verses)
  --only ID       only this strategy (repeatable), one of:
                  ${demoStrategyIds().join(', ')}
  --data FILE     the n-gram model's training text (default: the bundled data/kjv-genesis.txt)`;

/** Where the demo writes (the process's streams by default) and the project it resolves transformers.js from. */
export interface DemoIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd?: string;
}

/** The demo's arguments. */
interface DemoArgs {
  json: boolean;
  modelDir: string | undefined;
  tokens: number;
  seed: number;
  data: string | undefined;
  prompts: string[];
  only: string[];
}

/** One model's table: the rows, the first line of the text output and the `model` entry of the JSON. */
interface DemoRun {
  rows: DemoRow[];
  header: string;
  info: Record<string, unknown>;
}

type TableOptions = Parameters<typeof runDemoTable>[2];

/** Runs the demo command with the arguments after `demo`; resolves to the exit code. */
export async function runDemo(argv: string[], io: DemoIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const args = parseDemoArgs(argv, io);
  if (typeof args === 'number') return args;
  const { json, modelDir, tokens, seed, only } = args;
  const usedPrompts = args.prompts.length ? args.prompts : DEMO_PROMPTS;
  const skipped: { id: string; reason: string }[] = [];
  const tableOptions: TableOptions = {
    prompts: usedPrompts,
    maxNewTokens: tokens,
    seed,
    only: only.length ? only : undefined,
    onSkip: (s: { id: string; name: string }, reason: string) => {
      skipped.push({ id: s.id, reason });
      io.stderr.write(`degen-guard demo: ${s.name} skipped: ${reason}\n`);
    },
  };
  let run: DemoRun | number;
  try {
    run = modelDir !== undefined ? await onTransformersJs(modelDir, usedPrompts, tokens, tableOptions, io) : await onNgramModel(args.data, tableOptions);
  } catch (e) {
    io.stderr.write(`degen-guard demo: ${e instanceof MissingTransformersJsError ? '' : 'error: '}${(e as Error).message}\n`);
    return 1;
  }
  if (typeof run === 'number') return run;
  const { rows, header, info } = run;
  if (json) {
    io.stdout.write(`${JSON.stringify({ ...info, tokens, seed, prompts: usedPrompts, rows: rows.map((r) => ({ ...r, ms: round(r.ms) })), skipped }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(
    `${header}\n` +
      `${rows.length} strategies × ${usedPrompts.length} prompts × ${tokens} tokens; metrics over the continuations (lower seq-rep = less looping)\n\n`,
  );
  io.stdout.write(`${formatDemoTable(rows)}\n`);
  return 0;
}

/** The demo's arguments, or the exit code when they are wrong or `--help` was asked (its output written). */
function parseDemoArgs(argv: string[], io: DemoIo): DemoArgs | number {
  const args: DemoArgs = { json: false, modelDir: undefined, tokens: 64, seed: 1, data: undefined, prompts: [], only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--json') args.json = true;
      else if (a === '--help' || a === '-h') {
        io.stdout.write(`${USAGE}\n`);
        return 0;
      } else if (a === '--model') args.modelDir = value();
      else if (a === '--tokens') args.tokens = intArg(a, value(), 1);
      else if (a === '--seed') args.seed = intArg(a, value(), 0);
      else if (a === '--prompt') args.prompts.push(value());
      else if (a === '--only') args.only.push(value());
      else if (a === '--data') args.data = value();
      else throw new UsageError(`unknown option ${a}`);
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr.write(`degen-guard demo: ${e.message}\n${USAGE}\n`);
        return 2;
      }
      throw e;
    }
  }
  try {
    selectDemoStrategies(args.only);
  } catch (e) {
    io.stderr.write(`degen-guard demo: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.modelDir !== undefined && args.data !== undefined) {
    io.stderr.write('degen-guard demo: --data trains the bundled n-gram model; it cannot be used with --model\n');
    return 2;
  }
  return args;
}

/** The table on a transformers.js model folder (2 when a prompt does not fit its context). */
async function onTransformersJs(dir: string, prompts: readonly string[], tokens: number, tableOptions: TableOptions, io: DemoIo): Promise<DemoRun | number> {
  const real = await loadTransformersJsModel(dir, io.cwd ?? process.cwd());
  let rows: DemoRow[];
  try {
    const ctx = real.info.contextLength;
    const longest = Math.max(...prompts.map((p) => real.tokenizer.encode(p).length));
    if (ctx !== null && longest + tokens > ctx) {
      io.stderr.write(`degen-guard demo: a prompt of ${longest} tokens + --tokens ${tokens} exceeds the model's context of ${ctx} positions\n`);
      return 2;
    }
    rows = await runDemoTable(real.model, real.tokenizer, tableOptions);
  } finally {
    await real.dispose();
  }
  const i = real.info;
  return {
    rows,
    info: { model: { type: 'transformers.js', ...i, loadMs: round(real.loadMs) } },
    header: `degen-guard demo: ${i.architecture} from ${i.dir} through transformers.js (vocabulary ${i.vocabSize}${i.layers ? `, ${i.layers} layers` : ''}${i.contextLength ? `, context ${i.contextLength}` : ''}; loaded in ${Math.round(real.loadMs)} ms; KV cache)`,
  };
}

/** The table on the bundled Kneser-Ney model (trained on `data`, or the bundled text). */
async function onNgramModel(data: string | undefined, tableOptions: TableOptions): Promise<DemoRun> {
  const { model, tokenizer, trainMs } = loadDemoModel(data);
  const rows = await runDemoTable(model, tokenizer, tableOptions);
  return {
    rows,
    info: { model: { type: 'interpolated Kneser-Ney', order: model.order, discount: model.discount, vocabSize: model.vocabSize, hiddenSize: model.hiddenSize, trainMs: round(trainMs) } },
    header: `degen-guard demo: word-level ${model.order}-gram Kneser-Ney model of KJV Genesis (${model.vocabSize} words, trained in ${Math.round(trainMs)} ms)`,
  };
}

class UsageError extends Error {}

function intArg(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
