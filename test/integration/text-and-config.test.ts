// generate() on transformersJsModel with transformers.js's tokenizer (text in, text out, stop strings)
// and with the model's own generation_config.json through fromGenerationConfig.
import { readFileSync } from 'node:fs';
import { beamSearch, contrastiveSearch, fromGenerationConfig, generate } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { MODELS_DIR, realModel, tjsGenerate } from './real-model.js';

const json = JSON.parse(readFileSync(`${MODELS_DIR}kjv-genesis-gpt2/generation_config.json`, 'utf8')) as Record<string, unknown>;

describe('text in, text out and the model\'s generation_config.json (real model)', () => {
  it('a string prompt and transformers.js\'s tokenizer: .text is the decoded tokens, streamed piece by piece', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    const run = generate(lm, 'And God said', { tokenizer, maxNewTokens: 30 });
    let streamed = '';
    for await (const ev of run) if (ev.type === 'token') streamed += ev.text;
    const r = await run;
    expect(r.text).toBe(tokenizer.decode(Array.from(r.tokens), { skip_special_tokens: true }));
    expect(streamed).toBe(r.text);
    const ids = await generate(lm, tokenizer.encode('And God said'), { maxNewTokens: 30 });
    expect(Array.from(r.tokens)).toEqual(Array.from(ids.tokens));
  });

  it('stop strings end generation inside a token\'s text', async () => {
    const { model, tokenizer } = await realModel();
    const r = await generate(transformersJsModel(model), 'And God said', { tokenizer, maxNewTokens: 40, stopStrings: [' and thee'] });
    expect(r.stopReason).toBe('stopString');
    expect(r.text).toBe(', I am I will make thee,');
  });

  it('fromGenerationConfig(generation_config.json + overrides) drives the loop as transformers.js does with the same config', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    const over = { max_new_tokens: 32, repetition_penalty: 1.3, no_repeat_ngram_size: 3 };
    const r = await generate(lm, 'And Abraham said', { tokenizer, config: fromGenerationConfig({ ...json, ...over }) });
    const theirs = await tjsGenerate(model, tokenizer.encode('And Abraham said'), { ...over, do_sample: false });
    expect(Array.from(r.tokens)).toEqual(theirs);
    expect(r.stopReason).toBe('maxNewTokens');
  });

  it('num_beams and penalty_alpha in the config pick beam and contrastive search on the cached model', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    const prompt = tokenizer.encode('And the LORD');
    const beams = await generate(lm, 'And the LORD', { tokenizer, config: fromGenerationConfig({ ...json, max_new_tokens: 20, num_beams: 4 }) });
    const direct = await beamSearch(lm, prompt, { numBeams: 4, maxNewTokens: 20, eosTokenIds: 0 });
    expect(Array.from(beams.tokens)).toEqual(Array.from(direct.sequences[0].tokens));
    const cs = await generate(lm, 'And the LORD', { tokenizer, config: fromGenerationConfig({ ...json, max_new_tokens: 20, penalty_alpha: 0.6, top_k: 4 }) });
    const csDirect = await contrastiveSearch(lm, prompt, { topK: 4, penaltyAlpha: 0.6, maxNewTokens: 20, eosTokenIds: 0 });
    expect(Array.from(cs.tokens)).toEqual(Array.from(csDirect.tokens));
    expect(cs.text).toBe(tokenizer.decode(Array.from(csDirect.tokens), { skip_special_tokens: true }));
  });
});
