/** A banned eos stays banned through removeInfNan and exponentialDecayLengthPenalty (HF's order). */
import { describe, expect, it } from 'vitest';
import {
  exponentialDecayLengthPenalty,
  greedy,
  minLength,
  minNewTokens,
  pipeline,
  removeInfNan,
  sample,
  createRng,
} from '../../src/index.js';

const LOWEST = -3.4028234663852886e38;

describe('min length with remove_invalid_values and exponential_decay_length_penalty', () => {
  for (const factor of [1.5, 3, 100]) {
    it(`factor ${factor}: the eos is not chosen while minLength bans it`, () => {
      const steps = pipeline(minLength(10, 0), removeInfNan(), exponentialDecayLengthPenalty([0, factor], 0, 2));
      const row = steps(Float32Array.from([0.5, 1, 2]), [1, 2, 3, 4, 5, 6]);
      expect(row[0]).toBe(LOWEST);
      expect(greedy(row)).toBe(2);
      for (let s = 1; s <= 20; s++) expect(sample(Float32Array.from(row), createRng(s))).not.toBe(0);
    });
  }
  it('minNewTokens too, and the penalty still applies once the ban is over', () => {
    const steps = pipeline(minNewTokens(2, 3, 0), removeInfNan(), exponentialDecayLengthPenalty([0, 2], 0, 2));
    expect(greedy(steps(Float32Array.from([0.5, 1, 2]), [1, 2, 3, 4]))).toBe(2);
    const after = steps(Float32Array.from([0.5, 1, 2]), [1, 2, 3, 4, 5, 6]);
    expect(after[0]).toBe(0.5 + 0.5 * (2 ** 4 - 1));
    expect(greedy(after)).toBe(0);
  });
});

describe('a banned eos below the overflow keeps HF value', () => {
  it('factor^k < 2: HF raises the lowest float32 to a still hugely negative value; so does degen-guard', () => {
    // k = 1, factor 1.5: -3.4e38 + 3.4e38 · 0.5 = -1.7e38 (HF's value), probability 0
    const steps = pipeline(minLength(10, 0), removeInfNan(), exponentialDecayLengthPenalty([0, 1.5], 0, 5));
    const row = steps(Float32Array.from([0.5, 1, 2]), [1, 2, 3, 4, 5, 6]);
    expect(row[0]).toBe(Math.fround(-3.4028234663852886e38 + Math.fround(3.4028234663852886e38 * 0.5)));
    expect(greedy(row)).toBe(2);
    // factor^k = 2 exactly: HF gives 0, which could be chosen; the ban stays
    const at2 = pipeline(minLength(10, 0), removeInfNan(), exponentialDecayLengthPenalty([0, 2], 0, 5));
    expect(at2(Float32Array.from([0.5, -1, -2]), [1, 2, 3, 4, 5, 6])[0]).toBe(LOWEST);
  });
});
