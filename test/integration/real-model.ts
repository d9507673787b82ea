// Loads the bundled real model (test/fixtures/models/kjv-genesis-gpt2) through transformers.js, offline.
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { fileURLToPath } from 'node:url';

export const MODEL_ID = 'kjv-genesis-gpt2';
export const MODELS_DIR = fileURLToPath(new URL('../fixtures/models/', import.meta.url));

env.allowRemoteModels = false;
env.localModelPath = MODELS_DIR;

let loaded: Promise<{ model: PreTrainedModel; tokenizer: PreTrainedTokenizer }> | null = null;

/** The model and tokenizer, loaded once per test file. */
export function realModel(): Promise<{ model: PreTrainedModel; tokenizer: PreTrainedTokenizer }> {
  loaded ??= (async () => ({
    model: await AutoModelForCausalLM.from_pretrained(MODEL_ID),
    tokenizer: await AutoTokenizer.from_pretrained(MODEL_ID),
  }))();
  return loaded;
}

/** Genesis-style prompts used across the tests. */
export const PROMPTS = [
  'And God said',
  'In the beginning',
  'And Abraham said',
  'And the LORD',
  'And Jacob',
  'And it came to pass',
  'And Joseph',
  'And she said',
];

/** transformers.js's own generate(): the continuation's ids (prompt removed). */
export async function tjsGenerate(
  model: PreTrainedModel,
  promptIds: readonly number[],
  config: Record<string, unknown>,
): Promise<number[]> {
  const input_ids = new Tensor('int64', BigInt64Array.from(promptIds, BigInt), [1, promptIds.length]);
  const attention_mask = new Tensor('int64', new BigInt64Array(promptIds.length).fill(1n), [1, promptIds.length]);
  const out = (await model.generate({ input_ids, attention_mask, ...config })) as Tensor;
  return Array.from(out.data as BigInt64Array, Number).slice(promptIds.length);
}

export { Tensor };
