// The KV cache is used: after the prompt, the model is fed one new token per step.
import { beamSearch, contrastiveSearch, generate } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { realModel } from './real-model.js';

/** Wraps model.forward to record the shape of input_ids and of the past fed on each call. */
function spy(model: { forward(inputs: Record<string, unknown>): Promise<unknown> }) {
  const calls: { rows: number; fed: number; past: number }[] = [];
  const forward = model.forward.bind(model);
  const wrapped = Object.create(model) as typeof model;
  wrapped.forward = async (inputs: Record<string, unknown>) => {
    const dims = (inputs.input_ids as { dims: number[] }).dims;
    const past = inputs.past_key_values as Record<string, { dims: number[] }> | undefined;
    calls.push({ rows: dims[0], fed: dims[1], past: past ? Object.values(past)[0].dims[2] : 0 });
    return forward(inputs);
  };
  return { wrapped, calls };
}

describe('transformersJsModel keeps the KV cache across steps (real model)', () => {
  it('generate: the prompt once, then one token per step on the cached past', async () => {
    const { model } = await realModel();
    const { wrapped, calls } = spy(model);
    const lm = transformersJsModel(wrapped as typeof model);
    const prompt = [275, 372, 318];
    const out = await generate(lm, prompt, { maxNewTokens: 20 });
    expect(out.tokens.length).toBe(20);
    expect(calls[0]).toEqual({ rows: 1, fed: 3, past: 0 });
    for (let i = 1; i < calls.length; i++) expect(calls[i]).toEqual({ rows: 1, fed: 1, past: 2 + i });
    expect(calls.length).toBe(20);
    expect(lm.stats).toMatchObject({ calls: 20, tokensFed: 3 + 19 });
  });
});
