// The monitor-guarded loop with its defaults on the real model: near the other cures.
import { generate, meanSeqRep, noRepeatNgram, RepetitionMonitor, topP } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { PROMPTS, realModel } from './real-model.js';

const N = 64;

describe('the monitor-guarded loop on the real model (8 Genesis prompts × 64 new tokens)', () => {
  it('with the defaults (new RepetitionMonitor(), back-off no-repeat-ngram 3 + top-p 0.9) mean seq-rep-4 ≤ 0.03, where greedy loops', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    const prompts = PROMPTS.map((p) => tokenizer.encode(p));
    const run = async (monitor: () => RepetitionMonitor | undefined) => {
      const outs: Int32Array[] = [];
      let stops = 0;
      for (const [i, ids] of prompts.entries()) {
        const m = monitor();
        const r = await generate(lm, ids, {
          maxNewTokens: N,
          seed: 1 + i,
          ...(m ? { monitor: m, onRepetition: { processors: [noRepeatNgram(3), topP(0.9)], doSample: true } } : {}),
        });
        outs.push(r.tokens);
        if (r.stopReason !== 'maxNewTokens') stops++;
      }
      return { rep: meanSeqRep(outs, 4), stops };
    };
    const greedy = await run(() => undefined);
    const guarded = await run(() => new RepetitionMonitor());
    const strict = await run(() => new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }));
    console.log(`greedy ${greedy.rep.toFixed(3)} · monitor defaults ${guarded.rep.toFixed(3)} · minRepeats 3, minSpan 8: ${strict.rep.toFixed(3)}`);
    expect(greedy.rep).toBeGreaterThan(0.5);
    expect(guarded.stops).toBe(0); // every prompt gets its 64 tokens
    expect(guarded.rep).toBeLessThanOrEqual(0.03);
    // A block must repeat 3 times and cover 8 tokens: the short loops of this model get through.
    expect(strict.rep).toBeGreaterThan(guarded.rep);
  });
});
