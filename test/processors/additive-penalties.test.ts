import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frequencyPenalty, presencePenalty } from '../../src/processors/additive-penalties.js';
import { historyProperty } from './history-parity.js';
import { frequencyPenaltyRef, presencePenaltyRef } from './naive-references.js';

describe('frequencyPenalty / presencePenalty', () => {
  historyProperty('frequencyPenalty(0.5)', () => frequencyPenalty(0.5), frequencyPenaltyRef(0.5));
  historyProperty('frequencyPenalty(-0.3, window 4)', () => frequencyPenalty(-0.3, { window: 4 }), frequencyPenaltyRef(-0.3, 4));
  historyProperty('presencePenalty(1.1)', () => presencePenalty(1.1), presencePenaltyRef(1.1));
  historyProperty('presencePenalty(0.7, promptIgnoreLength 3)', () => presencePenalty(0.7, { promptIgnoreLength: 3 }), presencePenaltyRef(0.7, Infinity, 3));

  it('match the OpenAI formulas in float32, and never raise a repeated token for positive amounts', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }),
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -20, max: 20 }), { minLength: 6, maxLength: 6 }),
        (f, p, ids, logits) => {
          const x = Float32Array.from(logits);
          frequencyPenalty(f)(x, ids);
          presencePenalty(p)(x, ids);
          for (let i = 0; i < 6; i++) {
            const count = ids.filter((t) => t === i).length;
            let want = Math.fround(logits[i]);
            if (count > 0) {
              want = Math.fround(want - Math.fround(Math.fround(f) * count));
              want = Math.fround(want - Math.fround(p));
            }
            expect(Object.is(x[i], want)).toBe(true);
            if (count > 0) expect(x[i] <= logits[i]).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('examples', () => {
    const x = Float32Array.from([1, 1, 1]);
    frequencyPenalty(0.5)(x, [0, 0, 1]);
    expect(Array.from(x)).toEqual([0, 0.5, 1]);
    const y = Float32Array.from([1, 1, 1]);
    presencePenalty(0.5)(y, [0, 0, 1]);
    expect(Array.from(y)).toEqual([0.5, 0.5, 1]);
    const z = Float32Array.from([1, 1, 1]);
    frequencyPenalty(1, { promptIgnoreLength: 2 })(z, [0, 0, 1, 1]);
    expect(Array.from(z)).toEqual([1, -1, 1]);
    expect(frequencyPenalty(0.5).label).toBe('frequencyPenalty(0.5)');
  });

  it('rejects bad options and data', () => {
    expect(() => frequencyPenalty(NaN)).toThrow(TypeError);
    expect(() => frequencyPenalty(Infinity)).toThrow(RangeError);
    expect(() => presencePenalty('1' as unknown as number)).toThrow(TypeError);
    expect(() => presencePenalty(1, { window: 0 })).toThrow(RangeError);
    expect(() => presencePenalty(1, { promptIgnoreLength: -2 })).toThrow(RangeError);
    expect(() => frequencyPenalty(1)(new Float32Array(2))).toThrow(TypeError);
    expect(() => frequencyPenalty(1)(new Float64Array(2) as unknown as Float32Array, [0])).toThrow(TypeError);
  });
});
