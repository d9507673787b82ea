// docs/llama-cpp.md: `seed` seeds generate's draw; with -1 (or none) generate draws with its own
// `seed` option (default 0), so runs repeat.
import { describe, expect, it } from 'vitest';
import { fromLlamaCppParams, fromOpenAIParams, generate } from '../../src/index.js';

const V = 16;
const flat = {
  vocabSize: V,
  async forward(seqs: readonly Int32Array[]) {
    return { logits: new Float32Array(seqs.length * V) };
  },
};
const open = { n_predict: 24, top_k: 0, top_p: 1, min_p: 0 };
const run = async (config: ReturnType<typeof fromLlamaCppParams>, seed?: number) =>
  Array.from((await generate(flat, [0], seed === undefined ? { config } : { config, seed })).tokens);

describe('the seed of a llama.cpp / OpenAI setup in generate', () => {
  it('seed -1 or none: generate seed 0, the same tokens each run', async () => {
    const a = await run(fromLlamaCppParams({ ...open, seed: -1 }));
    expect(await run(fromLlamaCppParams(open))).toEqual(a);
    expect(await run(fromLlamaCppParams(open), 0)).toEqual(a);
    expect(await run(fromLlamaCppParams(open), 1)).not.toEqual(a);
  });
  it('a seed in the params is generate\'s seed (an explicit seed option wins)', async () => {
    expect(await run(fromLlamaCppParams({ ...open, seed: 7 }))).toEqual(await run(fromLlamaCppParams(open), 7));
    expect(await run(fromLlamaCppParams({ ...open, seed: 7 }), 3)).toEqual(await run(fromLlamaCppParams(open), 3));
    const oa = (p: object) => fromOpenAIParams({ max_tokens: 24, ...p });
    expect(await run(oa({ seed: 5 }))).toEqual(await run(oa({}), 5));
  });
});
