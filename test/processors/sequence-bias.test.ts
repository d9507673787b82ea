import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logitBias, sequenceBias } from '../../src/processors/sequence-bias.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { historyProperty, parity } from './history-parity.js';
import { sequenceBiasRef } from './naive-references.js';

parity('SequenceBiasLogitsProcessor', (p) => sequenceBias(p.sequence_bias));

/** Reference: HF's loop over rules with float32 accumulation. */
function reference(rules: [number[], number][], ids: number[], logits: number[]): number[] {
  const dict = new Map<string, [number[], number]>();
  for (const [s, b] of rules) {
    const k = s.join(',');
    const prev = dict.get(k);
    if (prev) prev[1] = b;
    else dict.set(k, [s, b]);
  }
  const bias = new Float32Array(logits.length);
  for (const [s, b] of dict.values()) if (s.length === 1) bias[s[0]] = b;
  for (const [s, b] of dict.values()) {
    if (s.length === 1 || s.length - 1 > ids.length) continue;
    const pre = s.slice(0, -1);
    const tail = ids.slice(ids.length - pre.length);
    // HF builds torch.tensor(bias): the Python float is rounded to float32 before the float32 add
    if (pre.every((t, i) => t === tail[i])) bias[s[s.length - 1]] += Math.fround(b);
  }
  return logits.map((v, i) => Math.fround(Math.fround(v) + bias[i]));
}

const rulesArb = fc.array(
  fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), fc.double({ min: -5, max: 5, noNaN: true })),
  { minLength: 1, maxLength: 8 },
);

describe('sequenceBias', () => {
  const BIAS_RULES: [number[], number][] = [[[1], 0.5], [[2, 3], -1.25], [[0, 2, 3], 2], [[3, 3], 0.1]];
  historyProperty('sequenceBias', () => sequenceBias(BIAS_RULES), sequenceBiasRef(BIAS_RULES), 5);

  it('equals the HF reference (float32 accumulation, duplicate rules: last bias, first position)', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 10 }),
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -20, max: 20 }), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (rules, ids, logits, useHistory) => {
          const x = Float32Array.from(logits);
          sequenceBias(rules)(x, useHistory ? new TokenHistory(ids) : ids);
          const want = reference(rules, ids, logits);
          for (let i = 0; i < 5; i++) expect(Object.is(x[i], want[i]) || x[i] === want[i]).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('rounds each bias to float32 before adding it (found by the property above)', () => {
    const x = new Float32Array(5);
    sequenceBias([[[0, 0], -4.998044490930625], [[0], 4.994138479232788], [[1], 0]])(x, [0]);
    // float32(4.994138…) + float32(−4.998044…), not float32(float32(4.994138…) − 4.998044…)
    expect(x[0]).toBe(Math.fround(Math.fround(4.994138479232788) + Math.fround(-4.998044490930625)));
    expect(x[0]).not.toBe(Math.fround(Math.fround(4.994138479232788) - 4.998044490930625));
  });

  it('accepts a Map keyed by id arrays', () => {
    const x = new Float32Array(4);
    sequenceBias(new Map([[[3], -1], [[1, 2], 5]]))(x, [0, 1]);
    expect(Array.from(x)).toEqual([0, 0, 5, -1]);
  });

  it('rejects bad options; ids outside the row throw at the call (HF: ValueError on the first call)', () => {
    expect(() => sequenceBias([])).toThrow(RangeError);
    expect(() => sequenceBias({} as never)).toThrow(TypeError);
    expect(() => sequenceBias([[[], 1]])).toThrow(RangeError);
    expect(() => sequenceBias([[[-1], 1]])).toThrow(RangeError);
    expect(() => sequenceBias([[[1.5], 1]])).toThrow(RangeError);
    expect(() => sequenceBias([[[1], NaN]])).toThrow(TypeError);
    expect(() => sequenceBias([[[1], Infinity]])).toThrow(RangeError);
    expect(() => sequenceBias([[[1]] as never])).toThrow(TypeError);
    expect(() => sequenceBias([[[9], 1]], { vocabSize: 6 })).toThrow(RangeError);
    expect(() => sequenceBias([[[1], 1]], { vocabSize: 6 })(new Float32Array(7), [])).toThrow(RangeError);
    expect(() => sequenceBias([[[9, 1], 1]])(new Float32Array(6), [])).toThrow(/9/);
  });
});

describe('logitBias', () => {
  it('adds a float32 bias per id, from an object or a Map', () => {
    const x = new Float32Array(6);
    logitBias({ 2: 100, 5: -Infinity, 1: 0.1 })(x);
    expect(Array.from(x)).toEqual([0, Math.fround(0.1), 100, 0, 0, -Infinity]);
    const y = Float32Array.from([1, 1]);
    logitBias(new Map([[1, -0.5]]))(y);
    expect(Array.from(y)).toEqual([1, 0.5]);
  });

  it('keeps -Infinity cells at -Infinity (sparse-safe)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (b) => {
        const x = Float32Array.from([-Infinity, 0]);
        logitBias({ 0: b })(x);
        expect(x[0]).toBe(-Infinity);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects bad options and ids outside the row', () => {
    expect(() => logitBias(null as never)).toThrow(TypeError);
    expect(() => logitBias({ a: 1 } as never)).toThrow(RangeError);
    expect(() => logitBias({ '-1': 1 })).toThrow(RangeError);
    expect(() => logitBias({ 1: NaN })).toThrow(TypeError);
    expect(() => logitBias({ 1: Infinity })).toThrow(RangeError);
    expect(() => logitBias({ 9: 1 }, { vocabSize: 4 })).toThrow(RangeError);
    expect(() => logitBias({ 9: 1 })(new Float32Array(4))).toThrow(/9/);
  });
});
