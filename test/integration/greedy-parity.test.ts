// Our generate() on transformersJsModel(model) against transformers.js's own generate().
import { generate, noRepeatNgram, repetitionPenalty } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { PROMPTS, realModel, tjsGenerate } from './real-model.js';

const N = 48;

describe('generate on transformersJsModel == transformers.js generate (real model)', () => {
  it('greedy: the same token ids on every prompt', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    for (const p of PROMPTS) {
      const ids = tokenizer.encode(p);
      const theirs = await tjsGenerate(model, ids, { max_new_tokens: N, do_sample: false });
      const ours = await generate(lm, ids, { maxNewTokens: N, eosTokenIds: 0 });
      expect(Array.from(ours.tokens), p).toEqual(theirs);
    }
  });
});
