import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encoderRepetitionPenalty, repetitionPenalty } from '../../src/processors/repetition-penalty.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { row, type HfCase } from '../helpers/fixtures.js';
import { historyProperty, parity, runRow } from './history-parity.js';
import { repetitionPenaltyRef } from './naive-references.js';

parity(
  'RepetitionPenaltyLogitsProcessor',
  (p) =>
    repetitionPenalty(p.penalty, p.prompt_ignore_length == null ? {} : { promptIgnoreLength: p.prompt_ignore_length }),
  {
    // HF rejects the Python int 2 (it wants a float). JS has one number type: 2 and 2.0 are the same
    // value, so degen-guard accepts it and applies the penalty 2 (docs/processors.md).
    error_penalty_int: (c: HfCase) => {
      const proc = repetitionPenalty(c.params.penalty as number);
      const x = Float32Array.from([4, -4, 1]);
      proc(x, [0, 1]);
      expect(Array.from(x)).toEqual([2, -8, 1]);
    },
  },
);

parity('EncoderRepetitionPenaltyLogitsProcessor', (p, r, rows) => {
  const enc: number[][] = Array.isArray(p.encoder_input_ids[0]) ? p.encoder_input_ids : [p.encoder_input_ids];
  return encoderRepetitionPenalty(p.penalty, enc[Math.floor(r / (rows / enc.length))]);
});

describe('repetitionPenalty', () => {
  historyProperty('repetitionPenalty(1.3)', () => repetitionPenalty(1.3), repetitionPenaltyRef(1.3));
  historyProperty('repetitionPenalty(0.7, window 5)', () => repetitionPenalty(0.7, { window: 5 }), repetitionPenaltyRef(0.7, 5));
  historyProperty('repetitionPenalty(2, promptIgnoreLength 3)', () => repetitionPenalty(2, { promptIgnoreLength: 3 }), repetitionPenaltyRef(2, Infinity, 3));
  historyProperty('repetitionPenalty(1.5, window 4, promptIgnoreLength 2)', () =>
    repetitionPenalty(1.5, { window: 4, promptIgnoreLength: 2 }),
    repetitionPenaltyRef(1.5, 4, 2),
  );

  it('never raises a repeated token’s logit for penalty > 1, and leaves unseen tokens alone', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 50, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 20 }),
        fc.array(fc.float({ noNaN: true, min: Math.fround(-1e30), max: Math.fround(1e30) }), { minLength: 8, maxLength: 8 }),
        (penalty, ids, logits) => {
          const x = Float32Array.from(logits);
          repetitionPenalty(penalty)(x, ids);
          for (let i = 0; i < 8; i++) {
            if (ids.includes(i)) expect(x[i] <= logits[i] || Object.is(x[i], logits[i])).toBe(true);
            else expect(Object.is(x[i], Math.fround(logits[i]))).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('window counts only the last N tokens; promptIgnoreLength skips the start', () => {
    const x = Float32Array.from([4, 4, 4, 4]);
    repetitionPenalty(2, { window: 2 })(x, [0, 1, 2, 2]);
    expect(Array.from(x)).toEqual([4, 4, 2, 4]);
    const y = Float32Array.from([4, 4, 4, 4]);
    repetitionPenalty(2, { promptIgnoreLength: 2 })(y, [0, 1, 2, 3]);
    expect(Array.from(y)).toEqual([4, 4, 2, 2]);
  });

  it('is incremental: a TokenHistory grows and the same processor follows it', () => {
    const proc = repetitionPenalty(2);
    const h = new TokenHistory([1]);
    const x = Float32Array.from([2, 2, 2]);
    proc(x, h);
    expect(Array.from(x)).toEqual([2, 1, 2]);
    h.push(2);
    const y = Float32Array.from([2, 2, 2]);
    proc(y, h);
    expect(Array.from(y)).toEqual([2, 1, 1]);
  });

  it('has a label and a sparse method', () => {
    const p = repetitionPenalty(1.2);
    expect(p.label).toBe('repetitionPenalty(1.2)');
    expect(typeof p.sparse).toBe('function');
  });

  it('rejects bad options and bad data', () => {
    expect(() => repetitionPenalty(0)).toThrow(RangeError);
    expect(() => repetitionPenalty(-1)).toThrow(RangeError);
    expect(() => repetitionPenalty(Infinity)).toThrow(RangeError);
    expect(() => repetitionPenalty(NaN)).toThrow(TypeError);
    expect(() => repetitionPenalty('1.2' as unknown as number)).toThrow(TypeError);
    expect(() => repetitionPenalty(1.2, { window: 0 })).toThrow(RangeError);
    expect(() => repetitionPenalty(1.2, { window: 1.5 })).toThrow(TypeError);
    expect(() => repetitionPenalty(1.2, { promptIgnoreLength: -1 })).toThrow(RangeError);
    expect(() => repetitionPenalty(1.2, { promptIgnoreLength: 0.5 })).toThrow(TypeError);
    const p = repetitionPenalty(1.2);
    expect(() => p(new Float32Array(3))).toThrow(TypeError);
    expect(() => p([1, 2, 3] as unknown as Float32Array, [0])).toThrow(TypeError);
    expect(() => p(new Float32Array(0), [0])).toThrow(RangeError);
    expect(() => p(new Float32Array(3), [-1])).toThrow(RangeError);
    expect(() => p(new Float32Array(3), [0.5])).toThrow(RangeError);
  });
});

describe('encoderRepetitionPenalty', () => {
  it('raises encoder tokens for penalty > 1 (stores 1/penalty, as HF)', () => {
    const x = Float32Array.from([2, -2, 1]);
    encoderRepetitionPenalty(2, [0, 1, 1])(x);
    expect(Array.from(x)).toEqual([4, -1, 1]);
  });

  it('rejects bad options and ids outside the row', () => {
    expect(() => encoderRepetitionPenalty(0, [1])).toThrow(RangeError);
    expect(() => encoderRepetitionPenalty(1.2, [-1])).toThrow(RangeError);
    expect(() => encoderRepetitionPenalty(1.2, 3 as unknown as number[])).toThrow(TypeError);
    expect(() => encoderRepetitionPenalty(1.2, [5], { vocabSize: 4 })).toThrow(RangeError);
    expect(() => encoderRepetitionPenalty(1.2, [1], { vocabSize: 0 })).toThrow(RangeError);
    expect(() => encoderRepetitionPenalty(1.2, [1], { vocabSize: 4 })(new Float32Array(5))).toThrow(RangeError);
    expect(() => encoderRepetitionPenalty(1.2, [9])(new Float32Array(5))).toThrow(/9/);
  });

  it('sparse keeps the candidate superset valid', () => {
    const c: HfCase = { name: 'x', params: {}, input_ids: [[0]], scores: [[1, -1, -Infinity, 2]], expected: [[2, -0.5, -Infinity, 2]] };
    expect(runRow(c, 0, () => encoderRepetitionPenalty(2, [0, 1, 2]))).toEqual([]);
    void row;
  });
});
