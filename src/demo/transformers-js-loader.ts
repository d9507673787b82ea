/**
 * Loads a transformers.js model folder for `degen-guard demo --model DIR`. transformers.js is not a
 * dependency of degen-guard: it is resolved from the current project (the working directory) when
 * installed there, else next to degen-guard; when it is found nowhere the error says how to install it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LanguageModel } from '../decoding/language-model.js';
import { transformersJsModel } from '../integrations/transformers-js/model.js';
import type { TransformersJsCausalLM } from '../integrations/transformers-js/types.js';
import type { DemoTokenizer } from './run-demo.js';

/** The package the demo loads, and the version it was tested with. */
export const TRANSFORMERS_JS = '@huggingface/transformers';
export const TRANSFORMERS_JS_VERSION = '4.3.2';

/** How to install transformers.js, said when it cannot be found. */
export const INSTALL_HINT =
  `demo --model needs transformers.js (${TRANSFORMERS_JS}), which is not a dependency of degen-guard and was not found ` +
  `from this directory. Install it in your project, then run the demo from there:\n` +
  `  npm install ${TRANSFORMERS_JS}@${TRANSFORMERS_JS_VERSION}\n` +
  `(offline or behind a firewall add --ignore-scripts: onnxruntime-node ships its linux-x64, darwin and win32 binaries in the package).\n` +
  `In a clone of degen-guard, 'npm run demo:real' installs it and runs the table on the bundled model.`;

/** The error thrown when transformers.js is not installed (the CLI prints its message and exits 1). */
export class MissingTransformersJsError extends Error {
  constructor() {
    super(INSTALL_HINT);
    this.name = 'MissingTransformersJsError';
  }
}

interface TransformersJsModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  AutoModelForCausalLM: { from_pretrained(id: string, options?: Record<string, unknown>): Promise<TransformersJsCausalLM & { dispose?(): Promise<unknown> }> };
  AutoTokenizer: { from_pretrained(id: string): Promise<{ encode(text: string): number[]; decode(ids: number[], options?: Record<string, unknown>): string }> };
}

/** Imports transformers.js from `cwd`'s project, else from where degen-guard is installed. */
export async function importTransformersJs(cwd: string = process.cwd()): Promise<TransformersJsModule> {
  let file: string | null = null;
  for (const base of [join(resolve(cwd), 'package.json'), import.meta.url]) {
    try {
      file = createRequire(base).resolve(TRANSFORMERS_JS);
      break;
    } catch {
      /* not installed there */
    }
  }
  if (file === null) throw new MissingTransformersJsError();
  // The require condition names the CommonJS build; load the ES module beside it when there is one.
  const esm = file.replace(/\.cjs$/, '.mjs');
  const mod = (await import(pathToFileURL(existsSync(esm) ? esm : file).href)) as Partial<TransformersJsModule> & { default?: TransformersJsModule };
  const lib = (mod.AutoModelForCausalLM ? mod : mod.default) as TransformersJsModule | undefined;
  if (!lib || typeof lib.AutoModelForCausalLM?.from_pretrained !== 'function') {
    throw new Error(`${file} does not look like transformers.js (no AutoModelForCausalLM)`);
  }
  return lib;
}

/** What {@link loadTransformersJsModel} gives the demo. */
export interface LoadedRealModel {
  model: LanguageModel;
  tokenizer: DemoTokenizer;
  /** Architecture and sizes from config.json, for the table's header. */
  info: { dir: string; architecture: string; vocabSize: number; layers: number | null; contextLength: number | null };
  loadMs: number;
  dispose(): Promise<void>;
}

/**
 * Loads the model folder `dir` (config.json, tokenizer.json, onnx/model.onnx …) offline through
 * transformers.js, as a degen-guard LanguageModel with a KV cache and a text tokenizer.
 */
export async function loadTransformersJsModel(dir: string, cwd: string = process.cwd()): Promise<LoadedRealModel> {
  const folder = resolve(cwd, dir);
  const configFile = join(folder, 'config.json');
  if (!existsSync(configFile)) throw new Error(`${dir} is not a transformers.js model folder (no config.json in ${folder})`);
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const tjs = await importTransformersJs(cwd);
  const t0 = performance.now();
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${dirname(folder)}/`;
  const id = basename(folder);
  const lm = await tjs.AutoModelForCausalLM.from_pretrained(id);
  const tok = await tjs.AutoTokenizer.from_pretrained(id);
  const loadMs = performance.now() - t0;
  const num = (k: string): number | null => (typeof config[k] === 'number' ? (config[k] as number) : null);
  return {
    model: transformersJsModel(lm),
    tokenizer: {
      encode: (text) => tok.encode(text),
      decode: (ids) => tok.decode(Array.from(ids), { skip_special_tokens: true }),
    },
    info: {
      dir,
      architecture: Array.isArray(config.architectures) ? String(config.architectures[0]) : String(config.model_type ?? 'unknown'),
      vocabSize: num('vocab_size') ?? 0,
      layers: num('n_layer') ?? num('num_hidden_layers'),
      contextLength: num('n_positions') ?? num('max_position_embeddings'),
    },
    loadMs,
    dispose: async () => {
      await lm.dispose?.();
    },
  };
}
