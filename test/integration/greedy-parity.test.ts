// Our generate() on transformersJsModel(model) against transformers.js's own generate(), and our
// processors inside transformers.js's loop (asLogitsProcessor) against our generate().
import { frequencyPenalty, generate, noRepeatNgram, presencePenalty, repetitionPenalty, type Processor } from 'degen-guard';
import { asLogitsProcessor, transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { PROMPTS, realModel, tjsGenerate } from './real-model.js';

const N = 48;

describe('generate on transformersJsModel == transformers.js generate (real model, greedy)', () => {
  const cases: [string, Record<string, unknown>, () => Processor[]][] = [
    ['greedy', {}, () => []],
    ['repetition_penalty 1.3', { repetition_penalty: 1.3 }, () => [repetitionPenalty(1.3)]],
    ['no_repeat_ngram_size 3', { no_repeat_ngram_size: 3 }, () => [noRepeatNgram(3)]],
    ['no_repeat_ngram_size 2', { no_repeat_ngram_size: 2 }, () => [noRepeatNgram(2)]],
    ['repetition_penalty 1.2 + no_repeat_ngram_size 3', { repetition_penalty: 1.2, no_repeat_ngram_size: 3 }, () => [repetitionPenalty(1.2), noRepeatNgram(3)]],
  ];
  for (const [name, theirConfig, ourProcessors] of cases) {
    it(`${name}: the same token ids on every prompt`, async () => {
      const { model, tokenizer } = await realModel();
      const lm = transformersJsModel(model);
      for (const p of PROMPTS) {
        const ids = tokenizer.encode(p);
        const theirs = await tjsGenerate(model, ids, { max_new_tokens: N, do_sample: false, ...theirConfig });
        const ours = await generate(lm, ids, { maxNewTokens: N, eosTokenIds: 0, processors: ourProcessors() });
        expect(Array.from(ours.tokens), p).toEqual(theirs);
      }
    });
  }
});

describe('asLogitsProcessor: our processors inside transformers.js generate() == our generate() (real model)', () => {
  const sets: [string, () => Processor[]][] = [
    ['repetitionPenalty(1.3) + noRepeatNgram(3)', () => [repetitionPenalty(1.3), noRepeatNgram(3)]],
    ['frequencyPenalty(0.8) + presencePenalty(0.4)', () => [frequencyPenalty(0.8), presencePenalty(0.4)]],
    ['repetitionPenalty(1.3, { window: 8 })', () => [repetitionPenalty(1.3, { window: 8 })]],
  ];
  for (const [name, make] of sets) {
    it(`${name}: the same token ids on every prompt`, async () => {
      const { model, tokenizer } = await realModel();
      const lm = transformersJsModel(model);
      const inLoop = asLogitsProcessor(make()); // one instance reused across generations: histories restart
      for (const p of PROMPTS) {
        const ids = tokenizer.encode(p);
        const theirs = await tjsGenerate(model, ids, { max_new_tokens: N, do_sample: false, logits_processor: [inLoop] });
        const ours = await generate(lm, ids, { maxNewTokens: N, eosTokenIds: 0, processors: make() });
        expect(Array.from(ours.tokens), p).toEqual(theirs);
        const greedy = await generate(lm, ids, { maxNewTokens: N, eosTokenIds: 0 });
        expect(Array.from(ours.tokens), `${p}: the processors change the output`).not.toEqual(Array.from(greedy.tokens));
      }
    });
  }

  it('a batch of two prompts: each row keeps its own history', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    // two prompts of the same token length (no padding)
    const a = tokenizer.encode('And God said');
    const b = tokenizer.encode('And the LORD');
    expect(a.length).toBe(b.length);
    const { Tensor } = await import('@huggingface/transformers');
    const input_ids = new Tensor('int64', BigInt64Array.from([...a, ...b], BigInt), [2, a.length]);
    const attention_mask = new Tensor('int64', new BigInt64Array(2 * a.length).fill(1n), [2, a.length]);
    const make = () => [repetitionPenalty(1.3), noRepeatNgram(3)];
    const out = (await model.generate({ input_ids, attention_mask, max_new_tokens: N, do_sample: false, logits_processor: asLogitsProcessor(make()) })) as InstanceType<typeof Tensor>;
    const rows = out.tolist() as bigint[][];
    for (const [r, ids] of [a, b].entries()) {
      const ours = await generate(lm, ids, { maxNewTokens: N, eosTokenIds: 0, processors: make() });
      expect(rows[r].slice(ids.length).map(Number)).toEqual(Array.from(ours.tokens));
    }
  });
});
