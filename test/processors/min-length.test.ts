import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minLength, minNewTokens } from '../../src/processors/min-length.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { parity } from './history-parity.js';

parity('MinLengthLogitsProcessor', (p) => minLength(p.min_length, p.eos_token_id));
parity('MinNewTokensLengthLogitsProcessor', (p) => minNewTokens(p.prompt_length_to_skip, p.min_new_tokens, p.eos_token_id));

describe('minLength / minNewTokens', () => {
  it('ban the eos ids exactly while the sequence is too short', () => {
    fc.assert(
      fc.property(
        fc.nat(10),
        fc.nat(10),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 15 }),
        fc.boolean(),
        (min, prompt, ids, useHistory) => {
          const h = useHistory ? new TokenHistory(ids) : ids;
          const x = Float32Array.from([1, 2, 3, 4]);
          minLength(min, [0, 2])(x, h);
          expect(x[0] === -Infinity).toBe(ids.length < min);
          expect(x[2] === -Infinity).toBe(ids.length < min);
          expect([x[1], x[3]]).toEqual([2, 4]);
          const y = Float32Array.from([1, 2, 3, 4]);
          minNewTokens(prompt, min, 3)(y, h);
          expect(y[3] === -Infinity).toBe(ids.length - prompt < min);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('examples and labels', () => {
    const x = new Float32Array(4);
    minLength(5, 2)(x, [0, 1, 1]);
    expect(Array.from(x)).toEqual([0, 0, -Infinity, 0]);
    const y = new Float32Array(4);
    minNewTokens(3, 2, 0)(y, [5, 6, 7, 8]);
    expect(Array.from(y)).toEqual([-Infinity, 0, 0, 0]);
    expect(minLength(5, 2).label).toBe('minLength(5)');
  });

  it('reject bad options and data', () => {
    expect(() => minLength(-1, 0)).toThrow(RangeError);
    expect(() => minLength(1.5, 0)).toThrow(TypeError);
    expect(() => minLength(3, -1)).toThrow(RangeError);
    expect(() => minLength(3, [0, 'x'] as never)).toThrow(RangeError);
    expect(() => minLength(3, null as never)).toThrow(TypeError);
    expect(() => minLength(3, 9, { vocabSize: 4 })).toThrow(RangeError);
    expect(() => minLength(3, 1, { vocabSize: 4 })(new Float32Array(5), [])).toThrow(RangeError);
    expect(() => minLength(3, 1)(new Float32Array(5))).toThrow(TypeError);
    expect(() => minNewTokens(-1, 2, 0)).toThrow(RangeError);
    expect(() => minNewTokens(1, -2, 0)).toThrow(RangeError);
    expect(() => minNewTokens(1, 2, [-3])).toThrow(RangeError);
  });
});
