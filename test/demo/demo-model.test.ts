import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KneserNeyModel } from '../../src/demo/kneser-ney.js';
import { WordTokenizer, wordTokens } from '../../src/demo/tokenizer.js';
import { findCorpus, loadDemoModel } from '../../src/demo/corpus.js';
import { generate } from '../../src/decoding/generate.js';
import { seqRep } from '../../src/metrics/seq-rep.js';

describe('WordTokenizer', () => {
  it('splits words and punctuation and round-trips', () => {
    expect(wordTokens("And God said, Let there be light: and there was light.")).toEqual(
      ['And', 'God', 'said', ',', 'Let', 'there', 'be', 'light', ':', 'and', 'there', 'was', 'light', '.'],
    );
    const tok = WordTokenizer.fromText('In the beginning God created the heaven and the earth.');
    expect(tok.decode(tok.encode('the heaven and the earth.'))).toBe('the heaven and the earth.');
    expect(() => tok.encode('the moon')).toThrow(/"moon"/);
  });
});

describe('KneserNeyModel', () => {
  it('matches a hand-computed interpolated bigram (D = 0.5)', () => {
    // bigrams: (0,1)×2, (1,0)×2, (0,2)×1; continuation counts 1 each → unigram 1/3 each
    const m = KneserNeyModel.train([0, 1, 0, 1, 0, 2], 3, { order: 2, discount: 0.5 });
    const p = m.probabilities([0]);
    expect(p[1]).toBeCloseTo(1.5 / 3 + (1 / 3) * (1 / 3), 12);
    expect(p[2]).toBeCloseTo(0.5 / 3 + 1 / 9, 12);
    expect(p[0]).toBeCloseTo(1 / 9, 12);
    const unseen = m.probabilities([2]); // context never followed by anything: the unigram
    for (const v of unseen) expect(v).toBeCloseTo(1 / 3, 12);
  });

  it('gives a probability distribution for every context (property)', () => {
    const corpus = Array.from({ length: 400 }, (_, i) => (i * 7 + ((i * i) % 5)) % 11);
    const m = KneserNeyModel.train(corpus, 12, { order: 4 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 5 }), (ctx) => {
        const p = m.probabilities(ctx);
        let s = 0;
        for (const v of p) {
          expect(v).toBeGreaterThan(0);
          s += v;
        }
        expect(s).toBeCloseTo(1, 10);
      }),
      { numRuns: 1000 },
    );
  });

  it('hidden states: forward gives the last row of hiddenStates; rejects bad options', async () => {
    const m = KneserNeyModel.train([0, 1, 2, 0, 1, 2], 3, { hiddenSize: 8 });
    const seq = Int32Array.of(0, 1, 2, 2);
    const all = await m.hiddenStates(seq);
    const { hidden, logits } = await m.forward([seq], { hidden: true });
    expect(Array.from(hidden!)).toEqual(Array.from(all.subarray(3 * 8)));
    expect(logits.length).toBe(3);
    expect(() => KneserNeyModel.train([0, 5], 3)).toThrow(/tokens\[1\]/);
    expect(() => KneserNeyModel.train([0], 3, { order: 9 })).toThrow(/order/);
    expect(() => KneserNeyModel.train([0], 3, { discount: 1 })).toThrow(/discount/);
  });

  it('the bundled Genesis model loads, and greedy decoding on it loops', async () => {
    expect(findCorpus()).toMatch(/kjv-genesis\.txt$/);
    const { model, tokenizer } = loadDemoModel();
    expect(model.vocabSize).toBe(tokenizer.size);
    expect(model.vocabSize).toBeGreaterThan(2000);
    const out = await generate(model, tokenizer.encode('And God said'), { maxNewTokens: 60 });
    expect(seqRep(out.tokens, 4)).toBeGreaterThan(0.5);
  });
});
