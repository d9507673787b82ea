// On the real model greedy decoding loops; each cure lowers seq-rep-4 of the continuations.
import {
  beamSearch,
  contrastiveSearch,
  generate,
  meanSeqRep,
  noRepeatNgram,
  repetitionPenalty,
  RepetitionMonitor,
  topP,
} from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { PROMPTS, realModel } from './real-model.js';

const N = 64;

describe('cures against greedy on the real model (8 Genesis prompts × 64 new tokens, mean seq-rep-4)', () => {
  it('greedy loops; repetition penalty, no-repeat-ngram, top-p, contrastive search and the monitor-guarded loop all repeat less', async () => {
    const { model, tokenizer } = await realModel();
    const lm = transformersJsModel(model);
    const prompts = PROMPTS.map((p) => tokenizer.encode(p));
    const strategies: Record<string, (ids: number[], i: number) => Promise<Int32Array>> = {
      greedy: async (ids) => (await generate(lm, ids, { maxNewTokens: N })).tokens,
      'beam search (4)': async (ids) => (await beamSearch(lm, ids, { numBeams: 4, maxNewTokens: N })).sequences[0].tokens,
      'repetitionPenalty(1.3)': async (ids) => (await generate(lm, ids, { maxNewTokens: N, processors: [repetitionPenalty(1.3)] })).tokens,
      'noRepeatNgram(3)': async (ids) => (await generate(lm, ids, { maxNewTokens: N, processors: [noRepeatNgram(3)] })).tokens,
      'topP(0.9) sampling': async (ids, i) => (await generate(lm, ids, { maxNewTokens: N, processors: [topP(0.9)], doSample: true, seed: i })).tokens,
      'contrastive (k 4, α 0.6)': async (ids) => (await contrastiveSearch(lm, ids, { topK: 4, penaltyAlpha: 0.6, maxNewTokens: N })).tokens,
      'monitor-guarded': async (ids, i) =>
        (
          await generate(lm, ids, {
            maxNewTokens: N,
            seed: i,
            monitor: new RepetitionMonitor({ minRepeats: 3 }),
            onRepetition: { processors: [noRepeatNgram(3), topP(0.9)], doSample: true },
          })
        ).tokens,
    };
    const rep: Record<string, number> = {};
    for (const [name, run] of Object.entries(strategies)) {
      const outs: Int32Array[] = [];
      for (const [i, ids] of prompts.entries()) outs.push(await run(ids, i));
      rep[name] = meanSeqRep(outs, 4);
    }
    console.log(Object.entries(rep).map(([k, v]) => `${k.padEnd(26)} ${v.toFixed(2)}`).join('\n'));
    expect(rep.greedy).toBeGreaterThan(0.5);
    expect(rep['beam search (4)']).toBeGreaterThan(0.5);
    for (const cure of ['repetitionPenalty(1.3)', 'noRepeatNgram(3)', 'topP(0.9) sampling', 'contrastive (k 4, α 0.6)', 'monitor-guarded']) {
      expect(rep[cure], cure).toBeLessThan(rep.greedy / 2);
    }
  });
});
