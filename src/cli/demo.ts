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

/** Runs the demo command with the arguments after `demo`; resolves to the exit code. */
export async function runDemo(argv: string[], io: DemoIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let json = false;
  let modelDir: string | undefined;
  let tokens = 64;
  let seed = 1;
  let data: string | undefined;
  const prompts: string[] = [];
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--json') json = true;
      else if (a === '--help' || a === '-h') {
        io.stdout.write(`${USAGE}\n`);
        return 0;
      } else if (a === '--model') modelDir = value();
      else if (a === '--tokens') tokens = intArg(a, value(), 1);
      else if (a === '--seed') seed = intArg(a, value(), 0);
      else if (a === '--prompt') prompts.push(value());
      else if (a === '--only') only.push(value());
      else if (a === '--data') data = value();
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
    selectDemoStrategies(only);
  } catch (e) {
    io.stderr.write(`degen-guard demo: ${(e as Error).message}\n`);
    return 2;
  }
  if (modelDir !== undefined && data !== undefined) {
    io.stderr.write('degen-guard demo: --data trains the bundled n-gram model; it cannot be used with --model\n');
    return 2;
  }
  const usedPrompts = prompts.length ? prompts : DEMO_PROMPTS;
  const skipped: { id: string; reason: string }[] = [];
  const tableOptions = {
    prompts: usedPrompts,
    maxNewTokens: tokens,
    seed,
    only: only.length ? only : undefined,
    onSkip: (s: { id: string; name: string }, reason: string) => {
      skipped.push({ id: s.id, reason });
      io.stderr.write(`degen-guard demo: ${s.name} skipped: ${reason}\n`);
    },
  };
  const fail = (e: unknown): number => {
    io.stderr.write(`degen-guard demo: ${e instanceof MissingTransformersJsError ? '' : 'error: '}${(e as Error).message}\n`);
    return 1;
  };
  let rows: DemoRow[];
  let header: string;
  let info: Record<string, unknown>;
  if (modelDir !== undefined) {
    let real;
    try {
      real = await loadTransformersJsModel(modelDir, io.cwd ?? process.cwd());
    } catch (e) {
      return fail(e);
    }
    try {
      const ctx = real.info.contextLength;
      const longest = Math.max(...usedPrompts.map((p) => real.tokenizer.encode(p).length));
      if (ctx !== null && longest + tokens > ctx) {
        io.stderr.write(`degen-guard demo: a prompt of ${longest} tokens + --tokens ${tokens} exceeds the model's context of ${ctx} positions\n`);
        return 2;
      }
      rows = await runDemoTable(real.model, real.tokenizer, tableOptions);
    } catch (e) {
      return fail(e);
    } finally {
      await real.dispose();
    }
    const i = real.info;
    info = { model: { type: 'transformers.js', ...i, loadMs: round(real.loadMs) } };
    header = `degen-guard demo: ${i.architecture} from ${i.dir} through transformers.js (vocabulary ${i.vocabSize}${i.layers ? `, ${i.layers} layers` : ''}${i.contextLength ? `, context ${i.contextLength}` : ''}; loaded in ${Math.round(real.loadMs)} ms; KV cache)`;
  } else {
    let loaded;
    try {
      loaded = loadDemoModel(data);
    } catch (e) {
      return fail(e);
    }
    const { model, tokenizer, trainMs } = loaded;
    try {
      rows = await runDemoTable(model, tokenizer, tableOptions);
    } catch (e) {
      return fail(e);
    }
    info = { model: { type: 'interpolated Kneser-Ney', order: model.order, discount: model.discount, vocabSize: model.vocabSize, hiddenSize: model.hiddenSize, trainMs: round(trainMs) } };
    header = `degen-guard demo: word-level ${model.order}-gram Kneser-Ney model of KJV Genesis (${model.vocabSize} words, trained in ${Math.round(trainMs)} ms)`;
  }
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

class UsageError extends Error {}

function intArg(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
