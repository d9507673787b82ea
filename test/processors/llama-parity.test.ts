/**
 * Parity with llama.cpp's own sampler tests (tests/test-sampling.cpp at the commit in the fixture's
 * meta): every case of its main() for the samplers degen-guard has, run through our processors with
 * the llama.cpp semantics the translator picks (docs/llama-cpp.md).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Processor } from '../../src/core/types.js';
import { frequencyPenalty, presencePenalty } from '../../src/processors/additive-penalties.js';
import { dry } from '../../src/processors/dry/dry.js';
import { dynamicTemperature } from '../../src/processors/dynamic-temperature.js';
import { minP } from '../../src/processors/min-p.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { repetitionPenalty } from '../../src/processors/repetition-penalty.js';
import { temperature } from '../../src/processors/temperature.js';
import { topK } from '../../src/processors/top-k/top-k.js';
import { topNSigma } from '../../src/processors/top-n-sigma.js';
import { topP } from '../../src/processors/top-p/top-p.js';
import { typicalP } from '../../src/processors/typical-p/typical-p.js';
import { xtc } from '../../src/processors/xtc.js';
import { fromLlamaCppParams } from '../../src/config/from-llama-cpp-params.js';
import { llamaCases, type LlamaCase } from '../helpers/llama-fixtures.js';

/** Our processor for one case, or null when the case is outside what the translator accepts. */
function processorFor(c: LlamaCase): Processor | null {
  const p = c.params;
  switch (c.sampler) {
    case 'temp':
      return p.temp > 0 ? temperature(p.temp) : dynamicTemperature({ temp: p.temp });
    case 'temp_ext':
      return dynamicTemperature({ temp: p.temp, range: p.delta, exponent: p.exponent });
    case 'top_k':
      return p.k > 0 ? topK(p.k) : pipeline();
    case 'top_p':
      return topP(p.p);
    case 'min_p':
      return p.p > 1 ? null : minP(p.p);
    case 'xtc':
      return xtc({ probability: p.probability, threshold: p.threshold, rng: createRng(0) });
    case 'typical':
      return typicalP(p.p);
    case 'penalties':
      return pipeline(
        repetitionPenalty(p.repeat, { window: p.last_n }),
        frequencyPenalty(p.freq, { window: p.last_n }),
        presencePenalty(p.present, { window: p.last_n }),
      );
    case 'dry':
      return dry({ multiplier: p.multiplier, base: p.base, allowedLength: p.allowed_length, penaltyLastN: p.penalty_last_n, sequenceBreakers: p.breakers });
    case 'top_n_sigma':
      return topNSigma(p.n);
    default:
      throw new Error(`no mapping for ${c.sampler}`);
  }
}

/** The probabilities llama.cpp's test would see: of the survivors, renormalised or not. */
function observed(c: LlamaCase, row: Float32Array): number[] {
  const base = Float32Array.from(c.probs.map(Math.log));
  const src = c.renormalized ? row : base;
  let m = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] !== -Infinity && src[i] > m) m = src[i];
  let s = 0;
  for (let i = 0; i < row.length; i++) if (row[i] !== -Infinity) s += Math.exp(src[i] - m);
  if (!c.renormalized) s = 1;
  return Array.from(row, (v, i) => (v === -Infinity ? 0 : (c.renormalized ? Math.exp(src[i] - m) : c.probs[i]) / s));
}

describe('llama.cpp tests/test-sampling.cpp parity', () => {
  it('covers every sampler of the file', () => {
    const kinds = new Set(llamaCases.map((c) => c.sampler));
    expect([...kinds].sort()).toEqual(['dry', 'min_p', 'penalties', 'temp', 'temp_ext', 'top_k', 'top_n_sigma', 'top_p', 'typical', 'xtc']);
  });
  for (const c of llamaCases) {
    it(`${c.sampler} ${JSON.stringify(c.params)} (line ${c.line})`, () => {
      const proc = processorFor(c);
      if (proc === null) {
        // llama.cpp's server limits min_p to [0, 1]; the translator rejects it, the case keeps the max only
        expect(() => fromLlamaCppParams({ min_p: c.params.p })).toThrow(RangeError);
        return;
      }
      const row = Float32Array.from(c.probs.map(Math.log));
      proc(row, c.last_tokens ?? []);
      const got = observed(c, row);
      if (c.order === 'id' && c.expected.length === got.length) {
        got.forEach((g, i) => expect(Math.abs(g - c.expected[i])).toBeLessThan(1e-5));
      } else {
        // truncated and sorted by llama.cpp: compare the surviving probabilities as multisets
        const a = got.filter((v) => v > 0).sort((x, y) => y - x);
        const b = c.expected.filter((v) => v > 0).sort((x, y) => y - x);
        expect(a.length).toBe(b.length);
        a.forEach((g, i) => expect(Math.abs(g - b[i])).toBeLessThan(1e-5));
      }
    });
  }
});
