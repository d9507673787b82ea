import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { fromLlamaCppParams, llamaSamplerOrder } from '../../src/config/from-llama-cpp-params.js';
import { fromOpenAIParams } from '../../src/config/from-openai-params.js';
import { llamaCases } from '../helpers/llama-fixtures.js';

const LLAMA_KEYS = [
  'temperature', 'dynatemp_range', 'dynatemp_exponent', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma',
  'xtc_probability', 'xtc_threshold', 'repeat_penalty', 'repeat_last_n', 'presence_penalty', 'frequency_penalty',
  'dry_multiplier', 'dry_base', 'dry_allowed_length', 'dry_penalty_last_n', 'dry_sequence_breakers', 'mirostat',
  'mirostat_tau', 'mirostat_eta', 'min_keep', 'seed', 'logit_bias', 'samplers', 'n_predict', 'num_predict', 'stop',
];
const OPENAI_KEYS = ['temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'seed', 'max_tokens', 'max_completion_tokens', 'stop', 'top_k', 'min_p', 'repetition_penalty', 'min_tokens'];

describe('translators reject unknown keys (property)', () => {
  it('any key outside the list is a TypeError naming it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (key) => {
        if (!LLAMA_KEYS.includes(key) && key !== '__proto__') {
          expect(() => fromLlamaCppParams({ [key]: 1 } as never)).toThrow(TypeError);
          expect(() => fromLlamaCppParams({ [key]: 1 } as never)).toThrow(`unknown option "${key}"`);
        }
        if (!OPENAI_KEYS.includes(key) && key !== '__proto__') {
          expect(() => fromOpenAIParams({ [key]: 1 } as never)).toThrow(`unknown option "${key}"`);
        }
      }),
      { numRuns: 1000 },
    );
  });
  it('suggests the spelling a user meant', () => {
    expect(() => fromLlamaCppParams({ repeat_penalti: 1.1 } as never)).toThrow(/did you mean "repeat_penalty"/);
    expect(() => fromOpenAIParams({ maxTokens: 5 } as never)).toThrow(/unknown option "maxTokens"/);
    expect(() => fromLlamaCppParams({}, { vocab: 3 } as never)).toThrow(/unknown option "vocab"/);
  });
});

describe('fromLlamaCppParams: the chain llama.cpp builds', () => {
  it('defaults: top_k 40 (exact), top_p 0.95, min_p 0.05, temperature 0.8 last', () => {
    expect(fromLlamaCppParams({}).processors.map((p) => p.label)).toEqual(['topK(40, exact)', 'topP(0.95)', 'minP(0.05)', 'dynamicTemperature(0.8)']);
  });
  it('every sampler, in the default order, with logit_bias first', () => {
    const s = fromLlamaCppParams(
      {
        repeat_penalty: 1.1, frequency_penalty: 0.2, presence_penalty: 0.3, dry_multiplier: 0.8, dry_sequence_breakers: [[5]],
        top_n_sigma: 1, typical_p: 0.9, xtc_probability: 0.5, dynatemp_range: 0.3, logit_bias: [[1, false]], seed: 3,
      },
      { vocabSize: 10 },
    );
    expect(s.processors.map((p) => p.label)).toEqual([
      'logitBias(1 ids)', 'repetitionPenalty(1.1)', 'frequencyPenalty(0.2)', 'presencePenalty(0.3)', 'dry(0.8)', 'topNSigma(1)',
      'topK(40, exact)', 'typicalP(0.9)', 'topP(0.95)', 'minP(0.05)', 'xtc(0.1, 0.5)', 'dynamicTemperature(0.8, 0.3, 1)',
    ]);
    expect(s.seed).toBe(3);
    expect(s.doSample).toBe(true);
  });
  it('samplers: names with llama.cpp aliases, or letters; unknown ones throw', () => {
    expect(llamaSamplerOrder(['Top-K', 'temp', 'nucleus', 'minp'])).toEqual(['top_k', 'temperature', 'top_p', 'min_p']);
    expect(llamaSamplerOrder('kt')).toEqual(['top_k', 'temperature']);
    expect(fromLlamaCppParams({ samplers: ['temperature', 'top_k'] }).processors.map((p) => p.label)).toEqual(['dynamicTemperature(0.8)', 'topK(40, exact)']);
    expect(() => llamaSamplerOrder(['top_q'])).toThrow(/"top_q" is not a llama.cpp sampler/);
    expect(() => llamaSamplerOrder('kz')).toThrow(/'z'/);
  });
  it('temperature 0 = greedy; top_k 0 = off; repeat_last_n 0 = off, -1 = the whole history', () => {
    const g = fromLlamaCppParams({ temperature: 0, top_k: 0, repeat_penalty: 2, repeat_last_n: 0 });
    expect(g.doSample).toBe(false);
    expect(g.processors.map((p) => p.label)).toEqual(['topP(0.95)', 'minP(0.05)', 'dynamicTemperature(0)']);
    const row = Float32Array.from([1, 3, 3, 2]);
    expect(g.step(row, [])).toBe(1);
    const w = fromLlamaCppParams({ repeat_penalty: 2, repeat_last_n: 2, top_k: 0, top_p: 1, min_p: 0, temperature: 1 });
    const r = Float32Array.from([2, 2, 2, 2]);
    w.pipeline(r, [0, 1, 2]);
    expect(Array.from(r)).toEqual([2, 1, 1, 2]); // only the last 2 tokens count
    const all = fromLlamaCppParams({ repeat_penalty: 2, repeat_last_n: -1, top_k: 0, top_p: 1, min_p: 0, temperature: 1 });
    const r2 = Float32Array.from([2, 2, 2, 2]);
    all.pipeline(r2, new TokenHistory([0, 1, 2]));
    expect(Array.from(r2)).toEqual([1, 1, 1, 2]);
  });
  it('mirostat: logit_bias → temperature → the stateful sampler, seeded', () => {
    const s = fromLlamaCppParams({ mirostat: 2, mirostat_tau: 4, temperature: 0.7, seed: 9 });
    expect(s.processors.map((p) => p.label)).toEqual(['dynamicTemperature(0.7)']);
    expect(s.sampler?.name === '' || typeof s.sampler).toBeTruthy();
    const row = () => Float32Array.from({ length: 50 }, (_, i) => -i / 4);
    const a = [s.step(row(), []), s.step(row(), [])];
    const t = fromLlamaCppParams({ mirostat: 2, mirostat_tau: 4, temperature: 0.7, seed: 9 });
    expect([t.step(row(), []), t.step(row(), [])]).toEqual(a);
    expect(fromLlamaCppParams({ mirostat: 1 }, { vocabSize: 50 }).sampler).toBeTypeOf('function');
    expect(() => fromLlamaCppParams({ mirostat: 3 })).toThrow(/mirostat/);
  });
  it('DRY breakers: strings need the tokenizer; the default list is llama.cpp\'s', () => {
    expect(() => fromLlamaCppParams({ dry_multiplier: 0.8 })).toThrow(/tokenizer/);
    const vocab = ['a', '\n', ':', '"', '*', 'b'];
    const s = fromLlamaCppParams({ dry_multiplier: 0.8 }, { tokenizer: { vocabSize: 6, decode: (i) => vocab[i], encode: (t) => [vocab.indexOf(t)] } });
    const row = new Float32Array(6);
    // "a b a b" then a newline breaker: nothing after it repeats
    s.processors[0](row, [0, 5, 0, 5, 1]);
    expect(Array.from(row)).toEqual([0, 0, 0, 0, 0, 0]);
    const row2 = new Float32Array(6);
    s.processors[0](row2, [0, 5, 0, 5, 0]);
    expect(row2[5]).toBeLessThan(0);
  });
  it('n_predict / num_predict, stop, out-of-range values', () => {
    expect(fromLlamaCppParams({ n_predict: 32, stop: ['\n\n'] }, { promptLength: 5 })).toMatchObject({ maxNewTokens: 32, maxLength: 37, stopStrings: ['\n\n'] });
    expect(fromLlamaCppParams({ num_predict: -1 }).maxNewTokens).toBeUndefined();
    expect(() => fromLlamaCppParams({ top_p: 1.5 })).toThrow(/top_p/);
    expect(() => fromLlamaCppParams({ temperature: -1 })).toThrow(/temperature/);
    expect(() => fromLlamaCppParams({ repeat_last_n: -2 })).toThrow(/repeat_last_n/);
  });
  it('test-sampling.cpp cases run through the translator chain (single-sampler orders)', () => {
    for (const c of llamaCases) {
      const p = c.params;
      let params: Record<string, unknown> | null = null;
      const base = { top_k: 0, top_p: 1, min_p: 0, temperature: 1 };
      if (c.sampler === 'top_k') params = { ...base, samplers: ['top_k'], top_k: p.k };
      if (c.sampler === 'top_p') params = { ...base, samplers: ['top_p'], top_p: p.p };
      if (c.sampler === 'min_p' && p.p <= 1) params = { ...base, samplers: ['min_p'], min_p: p.p };
      if (c.sampler === 'temp') params = { ...base, samplers: ['temperature'], temperature: p.temp };
      if (c.sampler === 'top_n_sigma') params = { ...base, samplers: ['top_n_sigma'], top_n_sigma: p.n };
      if (c.sampler === 'penalties') params = { ...base, samplers: ['penalties'], repeat_penalty: p.repeat, frequency_penalty: p.freq, presence_penalty: p.present, repeat_last_n: p.last_n };
      if (c.sampler === 'dry') params = { ...base, samplers: ['dry'], dry_multiplier: p.multiplier, dry_base: p.base, dry_allowed_length: p.allowed_length, dry_penalty_last_n: p.penalty_last_n, dry_sequence_breakers: p.breakers.length ? p.breakers : [[99]] };
      if (params === null) continue;
      const s = fromLlamaCppParams(params as never);
      const row = Float32Array.from(c.probs.map(Math.log));
      s.pipeline(row, c.last_tokens ?? []);
      let m = -Infinity;
      for (const v of row) if (v > m) m = v;
      let z = 0;
      for (const v of row) z += Math.exp(v - m);
      const got = Array.from(row, (v) => Math.exp(v - m) / z).filter((v) => v > 1e-7).sort((a, b) => b - a);
      const want = c.expected.filter((v) => v > 1e-7).sort((a, b) => b - a);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-5));
    }
  });
});

describe('fromOpenAIParams', () => {
  it('vLLM order and OpenAI defaults; penalties on generated tokens only', () => {
    const s = fromOpenAIParams({ temperature: 0.5, top_p: 0.9, top_k: 20, min_p: 0.1, repetition_penalty: 1.2, presence_penalty: 1, logit_bias: { 3: -100 } }, { promptLength: 2 });
    expect(s.processors.map((p) => p.label)).toEqual(['logitBias(1 ids)', 'repetitionPenalty(1.2)', 'presencePenalty(1)', 'temperature(0.5)', 'minP(0.1)', 'topK(20)', 'topP(0.9)']);
    const pen = fromOpenAIParams({ presence_penalty: 1 }, { promptLength: 2 });
    const row = new Float32Array(4);
    pen.pipeline(row, [0, 1, 2]);
    expect(Array.from(row)).toEqual([0, 0, -1, 0]); // tokens 0 and 1 are the prompt
  });
  it('temperature 0 = greedy; max_tokens, seed, stop; min_tokens needs eos', () => {
    const s = fromOpenAIParams({ temperature: 0, max_tokens: 16, seed: 4, stop: 'END' }, { promptLength: 3 });
    expect(s.doSample).toBe(false);
    expect(s).toMatchObject({ maxNewTokens: 16, maxLength: 19, seed: 4, stopStrings: ['END'] });
    expect(s.step(Float32Array.from([0, 2, 1]), [], createRng(1))).toBe(1);
    expect(() => fromOpenAIParams({ min_tokens: 4 })).toThrow(/eosTokenIds/);
    expect(fromOpenAIParams({ min_tokens: 4 }, { eosTokenIds: [2] }).processors[0].label).toMatch(/minNewTokens/);
    expect(() => fromOpenAIParams({ temperature: 3 })).toThrow(/temperature/);
    expect(() => fromOpenAIParams({ logit_bias: { 1: 500 } })).toThrow(/logit_bias/);
  });
});
