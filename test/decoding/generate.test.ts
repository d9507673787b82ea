import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generate, type GenerateEvent } from '../../src/decoding/generate.js';
import { ModelOutputError } from '../../src/decoding/model-call.js';
import { RepetitionMonitor } from '../../src/metrics/repetition-monitor.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';
import type { Processor } from '../../src/core/types.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { bigramModel, trigramModel } from './models.js';

// a model that loops 1 2 3 1 2 3 … greedily, with 0 and 4 as weaker alternatives
const cycle = [
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.1, 0.1, 0.6, 0.1, 0.1],
  [0.1, 0.1, 0.1, 0.6, 0.1],
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.2, 0.2, 0.2, 0.2, 0.2],
];

describe('generate', () => {
  it('greedy follows the argmax and stops at maxNewTokens', async () => {
    const r = await generate(bigramModel(cycle), [0], { maxNewTokens: 7 });
    expect(Array.from(r.tokens)).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(r.stopReason).toBe('maxNewTokens');
    expect(r.steps).toBe(7);
  });

  it('stops at EOS (kept) and at a stop sequence (kept)', async () => {
    const e = await generate(bigramModel(cycle), [0], { maxNewTokens: 20, eosTokenIds: [3] });
    expect(Array.from(e.tokens)).toEqual([1, 2, 3]);
    expect(e.stopReason).toBe('eos');
    const s = await generate(bigramModel(cycle), [0], { maxNewTokens: 20, stopSequences: [[3, 1, 2]] });
    expect(Array.from(s.tokens)).toEqual([1, 2, 3, 1, 2]);
    expect(s.stopReason).toBe('stopSequence');
  });

  it('sampling is reproducible from a seed and differs across seeds', async () => {
    const m = bigramModel(cycle.map(() => [0.2, 0.2, 0.2, 0.2, 0.2]));
    const a = await generate(m, [0], { doSample: true, seed: 5, maxNewTokens: 30 });
    const b = await generate(m, [0], { doSample: true, seed: 5, maxNewTokens: 30 });
    const c = await generate(m, [0], { doSample: true, seed: 6, maxNewTokens: 30 });
    expect(a.tokens).toEqual(b.tokens);
    expect(Array.from(a.tokens)).not.toEqual(Array.from(c.tokens));
  });

  it('processors edit each row with the history; a pipeline hands its candidates to the sampler', async () => {
    const banLast: Processor = (logits, h) => {
      const hist = h as { at(i: number): number | undefined };
      logits[hist.at(-1)!] = -Infinity;
      return logits;
    };
    const r = await generate(bigramModel(cycle), [3], { maxNewTokens: 5, processors: pipeline(banLast) });
    expect(r.tokens[0]).not.toBe(3);
  });

  it('the hook can veto, replace and stop', async () => {
    const veto = await generate(bigramModel(cycle), [0], {
      maxNewTokens: 3,
      onStep: ({ token }) => (token === 2 ? false : undefined),
    });
    expect(Array.from(veto.tokens)).not.toContain(2);
    const replace = await generate(bigramModel(cycle), [0], { maxNewTokens: 3, onStep: ({ step }) => (step === 0 ? 4 : undefined) });
    expect(replace.tokens[0]).toBe(4);
    const stop = await generate(bigramModel(cycle), [0], { maxNewTokens: 9, onStep: async ({ step }) => (step === 2 ? 'stop' : true) });
    expect(stop.tokens.length).toBe(2);
    expect(stop.stopReason).toBe('hook');
  });

  it('streams token events, then resolves with the result', async () => {
    const g = generate(bigramModel(cycle), [0], { maxNewTokens: 4 });
    const seen: GenerateEvent[] = [];
    for await (const ev of g) seen.push(ev);
    expect(seen.map((e) => (e.type === 'token' ? e.token : -1))).toEqual([1, 2, 3, 1]);
    expect((await g).tokens.length).toBe(4);
  });

  it('the monitor stops a loop, or backs off and regenerates it with stronger settings', async () => {
    const stop = await generate(bigramModel(cycle), [0], { maxNewTokens: 60, monitor: new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }) });
    expect(stop.stopReason).toBe('repetition');
    expect(stop.tokens.length).toBeLessThan(15);

    const noRepeatLast3: Processor = (logits, h) => {
      const t = (h as { tokens: Int32Array }).tokens;
      for (let i = Math.max(0, t.length - 3); i < t.length; i++) logits[t[i]] = -Infinity;
      return logits;
    };
    const events: GenerateEvent[] = [];
    const g = generate(bigramModel(cycle), [0], {
      maxNewTokens: 40,
      seed: 3,
      monitor: new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }),
      onRepetition: { processors: [noRepeatLast3], maxRetries: 5 },
    });
    for await (const e of g) events.push(e);
    const r = await g;
    expect(r.backoffs).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'rewind')).toBe(true);
    // replaying the events gives the result
    const replay: number[] = [];
    for (const e of events) {
      if (e.type === 'token') replay.push(e.token);
      else if (e.type === 'rewind') replay.length = e.length;
    }
    expect(Int32Array.from(replay)).toEqual(r.tokens);
  });

  it('greedy generate is a pure function of the model (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 27, maxLength: 27 }), fc.integer({ min: 0, max: 2 }), async (vals, start) => {
        const model = trigramModel(3, Float32Array.from(vals));
        const r = await generate(model, [start], { maxNewTokens: 6 });
        const seq = [start];
        for (let i = 0; i < 6; i++) {
          const { logits } = await model.forward([Int32Array.from(seq)]);
          let best = 0;
          for (let t = 1; t < 3; t++) if (logits[t] > logits[best]) best = t;
          seq.push(best);
        }
        expect(Array.from(r.tokens)).toEqual(seq.slice(1));
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects bad options and bad model output naming the step; honours an AbortSignal', async () => {
    const m = bigramModel(cycle);
    expect(() => generate(m, [0], { maxNewTokens: 0 })).toThrow(/maxNewTokens/);
    expect(() => generate(m, [7])).toThrow(/prompt/);
    expect(() => generate(m, [0], { stopSequences: [[]] })).toThrow(/stopSequences\[0\]/);
    expect(() => generate(m, [0], { onRepetition: { processors: [], maxRetries: -1 } })).toThrow(/maxRetries/);
    let n = 0;
    const bad: LanguageModel = { vocabSize: 3, async forward() { n++; return { logits: n === 3 ? new Float32Array([0, NaN, 0]) : new Float32Array(3) }; } };
    const err = await generate(bad, [0], { maxNewTokens: 5 }).then(() => null, (e: any) => e);
    expect(err).toBeInstanceOf(ModelOutputError);
    expect(err.step).toBe(2);
    expect(err.message).toMatch(/generate, step 2: model returned NaN/);
    const ac = new AbortController();
    const g = generate(m, [0], { maxNewTokens: 50, signal: ac.signal, onStep: ({ step }) => { if (step === 3) ac.abort(new Error('user cancelled')); } });
    await expect(g).rejects.toThrow('user cancelled');
  });
});
