// Where transformers.js's own processors differ from Hugging Face transformers (Python), shown on the
// real model against HF's output on the same weights (test/integration/make-hf-vectors.py).
import { readFileSync } from 'node:fs';
import { badWords, generate } from 'degen-guard';
import { asLogitsProcessor, transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { realModel, tjsGenerate } from './real-model.js';

interface BadWordsCase {
  prompt: string;
  prompt_ids: number[];
  kwargs: { max_new_tokens: number; eos_token_id: number; bad_words_ids: number[][] };
  tokens: number[];
}
const { bad_words_eos: cases } = JSON.parse(readFileSync(new URL('./fixtures/hf-real-model.json', import.meta.url), 'utf8')) as {
  bad_words_eos: BadWordsCase[];
};

describe('transformers.js 4.3.2 NoBadWordsLogitsProcessor ignores eos_token_id (HF drops a bad word that is an EOS id alone)', () => {
  it('HF and degen-guard stop at the EOS id; transformers.js bans it and runs on, unless given our badWords through asLogitsProcessor', async () => {
    const { model } = await realModel();
    const lm = transformersJsModel(model);
    for (const c of cases) {
      const { max_new_tokens, eos_token_id, bad_words_ids } = c.kwargs;
      const ours = await generate(lm, c.prompt_ids, {
        maxNewTokens: max_new_tokens,
        eosTokenIds: eos_token_id,
        processors: [badWords(bad_words_ids, { eosTokenId: eos_token_id })],
      });
      expect(Array.from(ours.tokens), c.prompt).toEqual(c.tokens);
      const theirs = await tjsGenerate(model, c.prompt_ids, { max_new_tokens, eos_token_id, bad_words_ids, do_sample: false });
      expect(theirs.includes(eos_token_id), c.prompt).toBe(false);
      expect(theirs.length, c.prompt).toBe(max_new_tokens);
      // our processor inside transformers.js's loop gives HF's result
      const inLoop = await tjsGenerate(model, c.prompt_ids, {
        max_new_tokens,
        eos_token_id,
        do_sample: false,
        logits_processor: asLogitsProcessor(badWords(bad_words_ids, { eosTokenId: eos_token_id })),
      });
      expect(inLoop, c.prompt).toEqual(c.tokens);
    }
  });
});
