import { describe, expect, it } from 'vitest';
import { fromGenerationConfig, fromLlamaCppParams, fromOpenAIParams, generate, type LanguageModel } from '../../src/index.js';

// A model whose argmax walks 1, 2, 3, … with a runner-up one further on.
const model: LanguageModel = {
  vocabSize: 6,
  async forward(seqs) {
    const logits = new Float32Array(seqs.length * 6);
    seqs.forEach((s, b) => {
      const last = s[s.length - 1];
      logits[b * 6 + ((last + 1) % 6)] = 3;
      logits[b * 6 + ((last + 2) % 6)] = 1;
    });
    return { logits };
  },
};

describe('generate(model, prompt, setup)', () => {
  it('takes a translator setup in place of the options, as { config: setup }', async () => {
    const setups = [
      fromGenerationConfig({ eos_token_id: 4, max_new_tokens: 8 }),
      fromGenerationConfig({ num_beams: 2, max_new_tokens: 3 }),
      fromLlamaCppParams({ temperature: 0, n_predict: 5 }),
      fromOpenAIParams({ temperature: 0, max_tokens: 4 }),
    ];
    for (const setup of setups) {
      const direct = await generate(model, [0], setup);
      const wrapped = await generate(model, [0], { config: setup });
      expect(Array.from(direct.tokens)).toEqual(Array.from(wrapped.tokens));
      expect(direct.strategy).toBe(wrapped.strategy);
    }
    expect(Array.from((await generate(model, [0], setups[0])).tokens)).toEqual([1, 2, 3, 4]);
    expect((await generate(model, [0], setups[1])).strategy).toBe('beamSearch');
  });

  it('still rejects a raw generation_config object, naming the way to pass it', () => {
    expect(() => generate(model, [0], { max_new_tokens: 3 } as never)).toThrow(/max_new_tokens/);
  });
});
