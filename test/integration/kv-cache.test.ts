// The KV cache is used on the real model (the model is fed one new token per sequence per step),
// and it changes no result: each strategy gives the same tokens with the cache as without it.
import { beamSearch, contrastiveSearch, generate, noRepeatNgram, RepetitionMonitor, topP } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { realModel } from './real-model.js';

type Forward = (inputs: Record<string, unknown>) => Promise<unknown>;

/** The model with forward wrapped to record, per call, the rows, the tokens fed and the past length. */
async function spiedModel() {
  const { model, tokenizer } = await realModel();
  const calls: { rows: number; fed: number; past: number }[] = [];
  const forward = (model.forward as Forward).bind(model);
  const wrapped = Object.create(model) as typeof model;
  wrapped.forward = (async (inputs: Record<string, unknown>) => {
    const [rows, fed] = (inputs.input_ids as { dims: number[] }).dims;
    const past = inputs.past_key_values as Record<string, { dims: number[] }> | undefined;
    calls.push({ rows, fed, past: past ? Object.values(past)[0].dims[2] : 0 });
    return forward(inputs);
  }) as typeof model.forward;
  return { model: wrapped, tokenizer, calls };
}

describe('transformersJsModel keeps the KV cache across steps (real model)', () => {
  it('generate: the prompt once, then one token per step on the cached past', async () => {
    const { model, calls } = await spiedModel();
    const lm = transformersJsModel(model);
    const out = await generate(lm, [275, 372, 318], { maxNewTokens: 20 });
    expect(out.tokens.length).toBe(20);
    expect(calls).toEqual([{ rows: 1, fed: 3, past: 0 }, ...Array.from({ length: 19 }, (_, i) => ({ rows: 1, fed: 1, past: 3 + i }))]);
    expect(lm.stats).toMatchObject({ calls: 20, tokensFed: 22 });
  });

  it('beam search: one batch of one new token per beam per step; the same hypotheses as without the cache', async () => {
    const { model, tokenizer, calls } = await spiedModel();
    const prompt = tokenizer.encode('And God said');
    const options = { numBeams: 4, maxNewTokens: 32, numReturnSequences: 4, eosTokenIds: 0 };
    const cached = await beamSearch(transformersJsModel(model), prompt, options);
    expect(calls[0]).toEqual({ rows: 1, fed: prompt.length, past: 0 });
    calls.slice(1).forEach((c, i) => expect(c).toEqual({ rows: 4, fed: 1, past: prompt.length + i }));
    const plain = await beamSearch(transformersJsModel(model, { maxCacheEntries: 0 }), prompt, options);
    expect(cached.sequences.map((s) => Array.from(s.tokens))).toEqual(plain.sequences.map((s) => Array.from(s.tokens)));
    cached.sequences.forEach((s, i) => expect(s.score).toBeCloseTo(plain.sequences[i].score, 4));
  });

  it('contrastive search: the top-k candidates as one batch of one new token each; the same tokens as without the cache', async () => {
    const { model, tokenizer, calls } = await spiedModel();
    const prompt = tokenizer.encode('In the beginning');
    const options = { topK: 4, penaltyAlpha: 0.6, maxNewTokens: 32 };
    const lm = transformersJsModel(model);
    const cached = await contrastiveSearch(lm, prompt, options);
    expect(calls[0]).toEqual({ rows: 1, fed: prompt.length, past: 0 }); // hiddenStates(prompt)
    calls.slice(1).forEach((c, i) => expect(c).toEqual({ rows: 4, fed: 1, past: prompt.length + i }));
    expect(lm.hiddenSize).toBe(128);
    const plain = await contrastiveSearch(transformersJsModel(model, { maxCacheEntries: 0 }), prompt, options);
    expect(Array.from(cached.tokens)).toEqual(Array.from(plain.tokens));
  });

  it('the monitor-guarded loop: a back-off rewind reuses the cached past (one token fed), and the output equals the cache-less run', async () => {
    const { model, tokenizer, calls } = await spiedModel();
    const prompt = tokenizer.encode('And God said');
    const run = (maxCacheEntries: number) =>
      generate(transformersJsModel(model, { maxCacheEntries }), prompt, {
        maxNewTokens: 64,
        eosTokenIds: 0,
        seed: 7,
        monitor: new RepetitionMonitor({ minRepeats: 3 }),
        onRepetition: { processors: [noRepeatNgram(3), topP(0.9)], doSample: true },
      });
    const cached = await run(16);
    expect(cached.backoffs).toBeGreaterThan(0);
    expect(calls[0].fed).toBe(prompt.length);
    expect(calls.slice(1).every((c) => c.fed === 1 && c.rows === 1)).toBe(true);
    // after a rewind the past shrinks: the cache served a shorter prefix of a longer entry
    expect(calls.some((c, i) => i > 0 && c.past < calls[i - 1].past)).toBe(true);
    expect(calls.length).toBe(cached.steps);
    const plain = await run(0);
    expect(Array.from(cached.tokens)).toEqual(Array.from(plain.tokens));
    expect(cached.backoffs).toBe(plain.backoffs);
  });

  it('transformers.js\'s Tensor class passed in (typed as transformers.js types it) or found through the model: the same run', async () => {
    const { model } = await realModel();
    const { Tensor } = await import('@huggingface/transformers');
    const a = await generate(transformersJsModel(model, { Tensor }), [275, 372, 318], { maxNewTokens: 12 });
    const b = await generate(transformersJsModel(model), [275, 372, 318], { maxNewTokens: 12 });
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
  });

  it('an AbortSignal stops generation between model calls with its reason', async () => {
    const { model, calls } = await spiedModel();
    const ctl = new AbortController();
    const run = generate(transformersJsModel(model), [275, 372, 318], { maxNewTokens: 50, signal: ctl.signal });
    let seen = 0;
    await expect(
      (async () => {
        for await (const ev of run) if (ev.type === 'token' && ++seen === 5) ctl.abort(new Error('user stop'));
      })(),
    ).rejects.toThrow('user stop');
    expect(calls.length).toBe(5);
  });
});
