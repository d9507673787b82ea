import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beamSearch } from '../../../src/decoding/beam-search.js';
import { contrastiveSearch } from '../../../src/decoding/contrastive-search.js';
import { generate } from '../../../src/decoding/generate.js';
import { transformersJsModel } from '../../../src/integrations/transformers-js/index.js';
import { RepetitionMonitor } from '../../../src/metrics/repetition-monitor.js';
import { noRepeatNgram } from '../../../src/processors/no-repeat-ngram.js';
import { fakeModel, FakeTensor, HIDDEN, reference, V } from './fake-model.js';

const f32 = (xs: number[]): number[] => xs.map((x) => Math.fround(x));

describe('transformersJsModel (a fake transformers.js model with exact outputs)', () => {
  it('every forward equals a run without cache, whatever the order of extensions, branches, rewinds and batches', async () => {
    const tok = fc.integer({ min: 0, max: V - 1 });
    // each sequence: a previous one (or nothing) cut to some length, plus a few new tokens
    const seqSpec = fc.record({ from: fc.nat(), cut: fc.nat(), add: fc.array(tok, { maxLength: 3 }) });
    const call = fc.record({ seqs: fc.array(seqSpec, { minLength: 1, maxLength: 4 }), hidden: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        fc.array(call, { minLength: 1, maxLength: 12 }),
        async (maxCacheEntries, numLogitsToKeep, calls) => {
          const fake = fakeModel({ numLogitsToKeep });
          const lm = transformersJsModel(fake, { Tensor: FakeTensor, maxCacheEntries });
          const seen: number[][] = [[0]];
          for (const c of calls) {
            const seqs = c.seqs.map(({ from, cut, add }) => {
              const base = seen[from % seen.length];
              const s = [...base.slice(0, 1 + (cut % base.length)), ...add];
              return Int32Array.from(s);
            });
            const out = await lm.forward(seqs, { hidden: c.hidden });
            seqs.forEach((s, b) => {
              const ref = reference(s);
              expect(Array.from(out.logits.subarray(b * V, b * V + V))).toEqual(f32(ref.logits));
              if (c.hidden) expect(Array.from(out.hidden!.subarray(b * HIDDEN, b * HIDDEN + HIDDEN))).toEqual(f32(ref.hidden));
              seen.push(Array.from(s));
            });
            expect(out.hidden === undefined).toBe(!c.hidden);
          }
          const fed = fake.calls.reduce((a, k) => a + k.rows * k.fed, 0);
          expect(lm.stats.tokensFed).toBe(fed);
          expect(lm.stats.calls).toBe(fake.calls.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('generate: the prompt once, then one new token per call on the cached past', async () => {
    const fake = fakeModel();
    const lm = transformersJsModel(fake);
    const out = await generate(lm, [1, 2, 3], { maxNewTokens: 10 });
    expect(out.tokens.length).toBe(10);
    expect(fake.calls).toEqual([{ rows: 1, fed: 3, past: 0 }, ...Array.from({ length: 9 }, (_, i) => ({ rows: 1, fed: 1, past: 3 + i }))]);
    expect(lm.stats).toEqual({ calls: 10, tokensFed: 12, tokensReused: 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11, hits: 0 });
  });

  it('the cache changes no result: generate with a back-off, beam search and contrastive search equal their cache-less runs', async () => {
    const run = async (maxCacheEntries: number) => {
      const fake = fakeModel();
      const lm = transformersJsModel(fake, { maxCacheEntries });
      const monitor = new RepetitionMonitor({ minRepeats: 2 });
      const g = await generate(lm, [1, 2], { maxNewTokens: 40, monitor, onRepetition: { processors: [noRepeatNgram(2)] } });
      const b = await beamSearch(lm, [3, 1], { numBeams: 4, maxNewTokens: 12, numReturnSequences: 4 });
      const c = await contrastiveSearch(lm, [2, 5, 1], { topK: 3, penaltyAlpha: 0.6, maxNewTokens: 12 });
      return { g, b, c, calls: fake.calls };
    };
    const cached = await run(16);
    const plain = await run(0);
    expect(Array.from(cached.g.tokens)).toEqual(Array.from(plain.g.tokens));
    expect(cached.g.backoffs).toBe(plain.g.backoffs);
    expect(cached.b.sequences.map((s) => Array.from(s.tokens))).toEqual(plain.b.sequences.map((s) => Array.from(s.tokens)));
    expect(cached.b.sequences.map((s) => s.score)).toEqual(plain.b.sequences.map((s) => s.score));
    expect(Array.from(cached.c.tokens)).toEqual(Array.from(plain.c.tokens));
    // with the cache, every call after a sequence's first feeds one token per row
    expect(cached.calls.filter((k) => k.fed > 1).length).toBeLessThanOrEqual(3);
    expect(plain.calls.every((k) => k.past === 0)).toBe(true);
  });

  it('beam search: the prompt once (identical beams are run once), then one token per beam per step', async () => {
    const fake = fakeModel();
    const lm = transformersJsModel(fake);
    await beamSearch(lm, [1, 2, 3], { numBeams: 3, maxNewTokens: 6 });
    expect(fake.calls[0]).toEqual({ rows: 1, fed: 3, past: 0 });
    for (let i = 1; i < fake.calls.length; i++) expect(fake.calls[i]).toEqual({ rows: 3, fed: 1, past: 3 + i - 1 });
  });

  it('contrastive search: the prompt once (hiddenStates), then the top-k candidates as one batch of one new token each', async () => {
    const fake = fakeModel();
    const lm = transformersJsModel(fake);
    const out = await contrastiveSearch(lm, [1, 2, 3], { topK: 4, maxNewTokens: 5 });
    expect(out.tokens.length).toBe(5);
    expect(fake.calls[0]).toEqual({ rows: 1, fed: 3, past: 0 });
    expect(fake.calls.slice(1)).toEqual(Array.from({ length: 5 }, (_, i) => ({ rows: 4, fed: 1, past: 3 + i })));
    expect(lm.stats.hits).toBe(1); // forward([prompt]) after hiddenStates(prompt)
  });

  it('the same sequence asked again is answered from the cache', async () => {
    const fake = fakeModel();
    const lm = transformersJsModel(fake);
    const a = await lm.forward([Int32Array.of(1, 2)]);
    const b = await lm.forward([Int32Array.of(1, 2), Int32Array.of(1, 2)]);
    expect(fake.calls.length).toBe(1);
    expect(Array.from(b.logits)).toEqual([...a.logits, ...a.logits]);
    lm.clearCache();
    await lm.forward([Int32Array.of(1, 2)]);
    expect(fake.calls.length).toBe(2);
    expect(lm.stats.calls).toBe(1);
  });

  it('hiddenStates returns every position of the prompt', async () => {
    const lm = transformersJsModel(fakeModel());
    const h = await lm.hiddenStates(Int32Array.of(4, 1, 6));
    expect(h.length).toBe(3 * HIDDEN);
    for (let i = 0; i < 3; i++) expect(Array.from(h.subarray(i * HIDDEN, (i + 1) * HIDDEN))).toEqual(f32(reference([4, 1, 6].slice(0, i + 1)).hidden));
    expect(lm.hiddenSize).toBe(HIDDEN);
    expect(lm.vocabSize).toBe(V);
  });

  it('an export without last_hidden_state: contrastive search fails with an error naming it', async () => {
    const lm = transformersJsModel(fakeModel({ hidden: false }));
    await expect(contrastiveSearch(lm, [1], { maxNewTokens: 2 })).rejects.toThrow(/no 'last_hidden_state' output \(outputs: logits, present/);
    await expect(lm.forward([Int32Array.of(1)], { hidden: true })).rejects.toThrow(TypeError);
    const out = await generate(lm, [1], { maxNewTokens: 3 });
    expect(out.tokens.length).toBe(3);
  });

  it('an aborted signal rejects before and after a model call, with its reason', async () => {
    const fake = fakeModel();
    const lm = transformersJsModel(fake);
    const before = AbortSignal.abort(new Error('stop now'));
    await expect(lm.forward([Int32Array.of(1)], { signal: before })).rejects.toThrow('stop now');
    expect(fake.calls.length).toBe(0);
    const ctl = new AbortController();
    const slow = { ...fake, forward: async (inputs: Record<string, unknown>) => { ctl.abort(new Error('mid-call')); return fake.forward(inputs); } };
    const lm2 = transformersJsModel(slow);
    await expect(generate(lm2, [1], { maxNewTokens: 5, signal: ctl.signal })).rejects.toThrow('mid-call');
    expect(fake.calls.length).toBe(1);
  });

  it('finds the Tensor class through the model, or asks for it', async () => {
    const fake = fakeModel();
    expect(() => transformersJsModel(fake)).not.toThrow();
    const bare = { ...fake, prepare_inputs_for_generation: undefined };
    expect(() => transformersJsModel(bare)).toThrow(/pass it, transformersJsModel\(model, \{ Tensor \}\)/);
    expect(() => transformersJsModel(bare, { Tensor: FakeTensor })).not.toThrow();
  });

  it('rejects bad options and models', () => {
    const fake = fakeModel();
    expect(() => transformersJsModel(fake, { maxCacheEntrie: 3 } as never)).toThrow('transformersJsModel options: unknown option "maxCacheEntrie" (did you mean "maxCacheEntries"?)');
    expect(() => transformersJsModel(fake, { maxCacheEntries: -1 })).toThrow(RangeError);
    expect(() => transformersJsModel(fake, { maxCacheEntries: 1.5 })).toThrow(/maxCacheEntries/);
    expect(() => transformersJsModel(null as never)).toThrow(TypeError);
    expect(() => transformersJsModel({ ...fake, sessions: {} })).toThrow(/model.sessions.model is missing/);
    expect(() => transformersJsModel({ ...fake, config: {} })).toThrow('transformersJsModel: model.config.vocab_size must be an integer ≥ 1, got undefined');
    const hybrid = { ...fake, sessions: { model: { inputNames: ['input_ids', 'past_conv.0'], outputNames: ['logits', 'present_conv.0'] } } };
    expect(() => transformersJsModel(hybrid)).toThrow(/past_conv.0 are not supported/);
  });

  it('rejects bad sequences at the call', async () => {
    const lm = transformersJsModel(fakeModel());
    await expect(lm.forward([])).rejects.toThrow(TypeError);
    await expect(lm.forward([new Int32Array(0)])).rejects.toThrow(/sequences\[0\] must be a non-empty Int32Array/);
    await expect(lm.forward([[1, 2] as never])).rejects.toThrow(/sequences\[0\]/);
  });
});
