import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generate, type GenerateEvent } from '../../src/decoding/generate.js';
import { ModelCallError, ModelOutputError } from '../../src/decoding/model-call.js';
import { RepetitionMonitor } from '../../src/metrics/repetition-monitor.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';
import type { Candidates, Processor } from '../../src/core/types.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { createRng, minP, repetitionPenalty, sample, temperature, topK, topP, TokenHistory } from '../../src/index.js';
import { bigramModel, loopingBigram, trigramModel } from './models.js';

// a model that loops 1 2 3 1 2 3 … greedily, with 0 and 4 as weaker alternatives
const cycle = loopingBigram;

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

describe('generate: the pipeline hands its candidates to the sampler', () => {
  it('a truncating pipeline gives the same tokens as running its processors one by one and sampling the dense row (property)', async () => {
    const V = 40;
    // pseudo-random logits from the last two tokens and a salt
    const hashModel = (salt: number): LanguageModel => ({
      vocabSize: V,
      async forward(seqs) {
        const logits = new Float32Array(seqs.length * V);
        seqs.forEach((s, r) => {
          const a = s.length > 1 ? s[s.length - 2] : 0;
          const b = s[s.length - 1];
          for (let t = 0; t < V; t++) logits[r * V + t] = Math.sin(a * 31.7 + b * 17.3 + t * 7.1 + salt) * 4;
        });
        return { logits };
      },
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), async (k, seed, salt) => {
        const model = hashModel(salt);
        const procs = () => [repetitionPenalty(1.3), topK(k), temperature(0.7), topP(0.9), minP(0.05)];
        const sizes: number[] = [];
        const r = await generate(model, [0, 1], {
          maxNewTokens: 8,
          doSample: true,
          seed,
          processors: procs(),
          onStep: ({ candidates }) => {
            sizes.push(candidates ? candidates.size : V);
          },
        });
        // the candidate path really ran: the sampler got a truncated candidate set at every step
        expect(sizes.every((n) => n < V)).toBe(true);
        // independent reference: one processor at a time on a plain array history, dense sampling
        const rng = createRng(seed);
        const seq = [0, 1];
        const one = procs();
        for (let i = 0; i < 8; i++) {
          const { logits } = await model.forward([Int32Array.from(seq)]);
          for (const p of one) p(logits, seq);
          seq.push(sample(logits, rng));
        }
        expect(Array.from(r.tokens)).toEqual(seq.slice(2));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('generate: the model, its buffer and its failures', () => {
  it("processors never write into the model's own logits buffer", async () => {
    const cached = Float32Array.from([0, 3, 1, 2]);
    const model: LanguageModel = { vocabSize: 4, async forward() { return { logits: cached }; } };
    const ban: Processor = (l) => { l[1] = -Infinity; return l; };
    const r = await generate(model, [0], { maxNewTokens: 3, processors: [ban], onStep: ({ token }) => (token === 3 ? false : undefined) });
    expect(Array.from(r.tokens)).toEqual([2, 2, 2]);
    expect(Array.from(cached)).toEqual([0, 3, 1, 2]);
  });

  it('+Infinity from the model is a ModelOutputError naming the step, for greedy and for sampling', async () => {
    for (const doSample of [false, true]) {
      let n = 0;
      const m: LanguageModel = { vocabSize: 3, async forward() { n++; return { logits: n === 2 ? new Float32Array([0, Infinity, 0]) : new Float32Array(3) }; } };
      const err = await generate(m, [0], { maxNewTokens: 5, doSample }).then(() => null, (e: any) => e);
      expect(err).toBeInstanceOf(ModelOutputError);
      expect(err.step).toBe(1);
      expect(err.message).toBe('generate, step 1: model returned +Infinity in logits (sequence 0, index 1)');
    }
  });

  it('+Infinity made by a processor, and a row with every token banned, are RangeErrors naming the step', async () => {
    const m = bigramModel(cycle);
    const inf: Processor = (l, h) => { if ((h as TokenHistory).length === 3) l[4] = Infinity; return l; };
    for (const doSample of [false, true]) {
      const err = await generate(m, [0], { maxNewTokens: 5, doSample, processors: [inf] }).then(() => null, (e: any) => e);
      expect(err).toBeInstanceOf(RangeError);
      expect(err.message).toMatch(/^generate, step 2: .*\+?Infinity/);
    }
    const banAll: Processor = (l, h) => { if ((h as TokenHistory).length === 2) l.fill(-Infinity); return l; };
    const err = await generate(m, [0], { maxNewTokens: 5, processors: [banAll] }).then(() => null, (e: any) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^generate, step 1: logits are all -Infinity/);
  });

  it('an error thrown inside forward is a ModelCallError with the step and the original as cause', async () => {
    const boom = new Error('GPU lost');
    let n = 0;
    const m: LanguageModel = { vocabSize: 3, async forward() { if (++n === 3) throw boom; return { logits: new Float32Array(3) }; } };
    const err = await generate(m, [0], { maxNewTokens: 5 }).then(() => null, (e: any) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err.step).toBe(2);
    expect(err.cause).toBe(boom);
    expect(err.message).toBe('generate, step 2: model.forward failed: GPU lost');
    const sync: LanguageModel = { vocabSize: 3, forward() { throw new TypeError('not a tensor'); } };
    const e2 = await generate(sync, [0]).then(() => null, (e: any) => e);
    expect(e2).toBeInstanceOf(ModelCallError);
    expect(e2.cause).toBeInstanceOf(TypeError);
  });

  it('an AbortSignal interrupts a forward that never settles', async () => {
    let called!: () => void;
    const calledP = new Promise<void>((r) => (called = r));
    const stuck: LanguageModel = { vocabSize: 3, forward: () => { called(); return new Promise(() => {}); } };
    const ac = new AbortController();
    const run = generate(stuck, [0], { signal: ac.signal });
    const outcome = run.then(() => 'resolved', (e: any) => e.message);
    await calledP;
    ac.abort(new Error('user cancelled'));
    expect(await outcome).toBe('user cancelled');
    // a forward that rejects after the abort does not surface as an unhandled rejection or a ModelCallError
    const ac2 = new AbortController();
    const late: LanguageModel = { vocabSize: 3, forward: () => new Promise((_, rej) => setTimeout(() => rej(new Error('late')), 1)) };
    const p2 = generate(late, [0], { signal: ac2.signal }).then(() => null, (e: any) => e.message);
    ac2.abort(new Error('stop'));
    expect(await p2).toBe('stop');
  });
});

describe('generate: options', () => {
  it('unknown keys are errors; an HF snake_case name points to the camelCase one or to config', () => {
    const m = bigramModel(cycle);
    expect(() => generate(m, [0], { max_new_tokens: 20 } as never)).toThrow('generate options: unknown option "max_new_tokens" (did you mean "maxNewTokens"?)');
    expect(() => generate(m, [0], { do_sample: true } as never)).toThrow(/did you mean "doSample"/);
    expect(() => generate(m, [0], { num_beams: 4 } as never)).toThrow(/config: fromGenerationConfig\(\{ num_beams/);
    expect(() => generate(m, [0], { maxNewToken: 3 } as never)).toThrow(/did you mean "maxNewTokens"/);
    expect(() => generate(m, [0], { config: { do_sample: true, max_new_tokens: 5 } } as never)).toThrow(/pass fromGenerationConfig\(json\), not the JSON itself/);
    expect(() => generate(m, [0], { signal: { aborted: false } } as never)).toThrow(/signal must be an AbortSignal/);
    expect(() => generate(m, [0], { onRepetition: { processors: [], maxRetry: 2 } } as never)).toThrow('generate options.onRepetition: unknown option "maxRetry" (valid options: processors, doSample, tokens, maxRetries)');
  });

  it('sampler: called with the processed row, the rng and the candidates; its choice is used and checked', async () => {
    const m = bigramModel(cycle);
    const seen: { rng: unknown; cands: Candidates | null | undefined; row: number[] }[] = [];
    const rng = createRng(1);
    const r = await generate(m, [0], {
      maxNewTokens: 3,
      rng,
      processors: pipeline(topK(1)),
      sampler: (row, g, cands) => { seen.push({ rng: g, cands, row: Array.from(row) }); return 4; },
    });
    expect(Array.from(r.tokens)).toEqual([4, 4, 4]);
    expect(r.strategy).toBe('sample');
    expect(seen[0].rng).toBe(rng);
    expect(seen[0].cands).not.toBe(null); // the pipeline's survivors (a superset of the finite cells)
    expect(seen[0].row.filter((x) => x > -Infinity).length).toBe(1);
    await expect(generate(m, [0], { sampler: () => 9 })).rejects.toThrow(/step 0: sampler result/);
  });

  it('rng: used and advanced instead of seed; the same state gives the same tokens', async () => {
    const m = bigramModel(cycle.map(() => [0.2, 0.2, 0.2, 0.2, 0.2]));
    const rng = createRng(42);
    const before = rng.getState();
    const a = await generate(m, [0], { doSample: true, rng, seed: 7, maxNewTokens: 12 });
    expect(rng.getState()).not.toEqual(before); // advanced: one draw per token
    const b = await generate(m, [0], { doSample: true, seed: 42, maxNewTokens: 12 });
    expect(a.tokens).toEqual(b.tokens); // seed 7 ignored, the rng's state decides
    const replay = createRng(0);
    replay.setState(before);
    const ref: number[] = [];
    for (let i = 0; i < 12; i++) ref.push(sample(Float32Array.from([0.2, 0.2, 0.2, 0.2, 0.2].map(Math.log)), replay));
    expect(Array.from(a.tokens)).toEqual(ref);
    expect(() => generate(m, [0], { rng: {} as never })).toThrow(/rng must be a random source/);
  });
});

describe('Generation: a promise and a one-shot stream', () => {
  it('can be iterated once; not after it was awaited', async () => {
    const g = generate(bigramModel(cycle), [0], { maxNewTokens: 2 });
    const it1 = g[Symbol.asyncIterator]();
    expect(() => g[Symbol.asyncIterator]()).toThrow('a Generation can be iterated once, and not after it was awaited');
    await it1.next();
    const h = generate(bigramModel(cycle), [0], { maxNewTokens: 2 });
    await h;
    expect(() => h[Symbol.asyncIterator]()).toThrow(/iterated once/);
    expect((await h).tokens.length).toBe(2); // awaiting twice gives the same result
  });

  it('break stops the model calls, and awaiting afterwards rejects', async () => {
    const m = bigramModel(cycle);
    const g = generate(m, [0], { maxNewTokens: 50 });
    for await (const ev of g) if (ev.type === 'token' && ev.index === 2) break;
    const calls = m.calls;
    await expect(g).rejects.toThrow('generation was stopped by the consumer of the stream');
    expect(calls).toBe(3);
    expect(m.calls).toBe(3);
  });
});
