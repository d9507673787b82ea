// Speed of a real-model decoding step through degen-guard/transformers-js, with and without the KV
// cache:  npm run bench:real-step -- [--tokens=N] [--rounds=N]
//
// The bundled model (test/fixtures/models/kjv-genesis-gpt2, 2 layers, n_embd 128, context 256) runs
// through transformers.js (onnxruntime-node, CPU). For each strategy, the cases are run in
// interleaved rounds and the median time per generated token is reported; transformers.js's own
// greedy generate() (its own KV cache) is the reference. Not a test: no assertion on times.
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

import { AutoModelForCausalLM, env } from '@huggingface/transformers';

import { beamSearch, contrastiveSearch, generate } from '../../dist/index.js';
import { transformersJsModel } from '../../dist/transformers-js.js';

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const TOKENS = arg('tokens', 200); // prompt 3 + 200 new tokens stays inside the 256-position context
const ROUNDS = arg('rounds', 5);

env.allowRemoteModels = false;
env.localModelPath = fileURLToPath(new URL('../../test/fixtures/models/', import.meta.url));
const model = await AutoModelForCausalLM.from_pretrained('kjv-genesis-gpt2');
const prompt = [275, 372, 318]; // "And God said"
const { Tensor } = await import('@huggingface/transformers');

const cases = {
  'transformers.js generate(), greedy': async (n) => {
    const ids = new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]);
    const mask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
    await model.generate({ input_ids: ids, attention_mask: mask, max_new_tokens: n, do_sample: false });
    return n;
  },
  'generate, greedy, KV cache': async (n) => (await generate(transformersJsModel(model), prompt, { maxNewTokens: n })).tokens.length,
  'generate, greedy, no cache': async (n) =>
    (await generate(transformersJsModel(model, { maxCacheEntries: 0 }), prompt, { maxNewTokens: n })).tokens.length,
  'beamSearch 4 beams, KV cache': async (n) => (await beamSearch(transformersJsModel(model), prompt, { numBeams: 4, maxNewTokens: n })).steps,
  'beamSearch 4 beams, no cache': async (n) =>
    (await beamSearch(transformersJsModel(model, { maxCacheEntries: 0 }), prompt, { numBeams: 4, maxNewTokens: n })).steps,
  'contrastiveSearch k 4, KV cache': async (n) => (await contrastiveSearch(transformersJsModel(model), prompt, { topK: 4, maxNewTokens: n })).tokens.length,
  'contrastiveSearch k 4, no cache': async (n) =>
    (await contrastiveSearch(transformersJsModel(model, { maxCacheEntries: 0 }), prompt, { topK: 4, maxNewTokens: n })).tokens.length,
};

for (const run of Object.values(cases)) await run(8); // warm-up
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(cases)) {
    const t0 = performance.now();
    const steps = await run(TOKENS);
    times[name].push((performance.now() - t0) / steps);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${TOKENS} new tokens after a 3-token prompt, median of ${ROUNDS} interleaved rounds; ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.versions.node}`);
console.log('| case | ms per generated token |');
console.log('| --- | ---: |');
for (const [name, xs] of Object.entries(times)) console.log(`| ${name} | ${median(xs).toFixed(2)} |`);
