import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exponentialDecayLengthPenalty } from '../../src/processors/exponential-decay-length-penalty.js';
import { parity } from './history-parity.js';

parity('ExponentialDecayLengthPenalty', (p) =>
  exponentialDecayLengthPenalty(p.exponential_decay_length_penalty, p.eos_token_id, p.input_ids_seq_length),
);

describe('exponentialDecayLengthPenalty', () => {
  it('follows HF’s formula in float32 after the start, and nothing before', () => {
    fc.assert(
      fc.property(
        fc.nat(6),
        fc.double({ min: 0.25, max: 3, noNaN: true }),
        fc.nat(12),
        fc.float({ noNaN: true, noDefaultInfinity: true, min: -20, max: 20 }),
        (start, factor, len, s) => {
          const x = Float32Array.from([s, 1]);
          exponentialDecayLengthPenalty([start, factor], 0, 1)(x, new Array(len).fill(1));
          const rs = start + 1;
          const want =
            len > rs
              ? Math.fround(Math.fround(s) + Math.fround(Math.abs(Math.fround(s)) * Math.fround(factor ** (len - rs) - 1)))
              : Math.fround(s);
          expect(Object.is(x[0], want)).toBe(true);
          expect(x[1]).toBe(1);
          expect(Number.isNaN(x[0])).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves a -Infinity eos at -Infinity (HF would give NaN; documented deviation)', () => {
    const x = Float32Array.from([-Infinity, 0]);
    exponentialDecayLengthPenalty([0, 2], 0, 0)(x, [1, 1, 1]);
    expect(x[0]).toBe(-Infinity);
  });

  it('rejects bad options and data', () => {
    expect(() => exponentialDecayLengthPenalty([1] as never, 0, 0)).toThrow(TypeError);
    expect(() => exponentialDecayLengthPenalty([-1, 1.1], 0, 0)).toThrow(RangeError);
    expect(() => exponentialDecayLengthPenalty([1, NaN], 0, 0)).toThrow(TypeError);
    expect(() => exponentialDecayLengthPenalty([1, Infinity], 0, 0)).toThrow(RangeError);
    expect(() => exponentialDecayLengthPenalty([1, 1.1], -1, 0)).toThrow(RangeError);
    expect(() => exponentialDecayLengthPenalty([1, 1.1], [], 0)).toThrow(RangeError);
    expect(() => exponentialDecayLengthPenalty([1, 1.1], 0, -3)).toThrow(RangeError);
    expect(() => exponentialDecayLengthPenalty([0, 1.1], 9, 0)(new Float32Array(4), [1])).toThrow(/9/);
    expect(() => exponentialDecayLengthPenalty([0, 1.1], 9, 0)(new Float32Array(4), [])).not.toThrow();
    expect(() => exponentialDecayLengthPenalty([0, 1.1], 0, 0)(new Float32Array(4))).toThrow(TypeError);
  });
});
