import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { suppressTokens, suppressTokensAtBegin } from '../../src/processors/suppress-tokens.js';
import { parity } from './history-parity.js';

parity('SuppressTokensLogitsProcessor', (p) => suppressTokens(p.suppress_tokens));
parity('SuppressTokensAtBeginLogitsProcessor', (p) => suppressTokensAtBegin(p.begin_suppress_tokens, p.begin_index));

describe('suppressTokens / suppressTokensAtBegin', () => {
  it('suppress exactly the listed ids inside the row (at the begin index only for AtBegin)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 6 }),
        fc.nat(5),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }),
        (ids, begin, history) => {
          const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
          suppressTokens(ids)(x);
          for (let t = 0; t < 6; t++) expect(x[t]).toBe(ids.includes(t) ? -Infinity : t + 1);
          const y = Float32Array.from([1, 2, 3, 4, 5, 6]);
          suppressTokensAtBegin(ids, begin)(y, history);
          for (let t = 0; t < 6; t++) expect(y[t]).toBe(ids.includes(t) && history.length === begin ? -Infinity : t + 1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reject bad options and data', () => {
    expect(() => suppressTokens(3 as never)).toThrow(TypeError);
    expect(() => suppressTokens([-1])).toThrow(RangeError);
    expect(() => suppressTokens([9], { vocabSize: 6 })).toThrow(RangeError);
    expect(() => suppressTokens([1], { vocabSize: 6 })(new Float32Array(5))).toThrow(RangeError);
    expect(() => suppressTokensAtBegin([1], -1)).toThrow(RangeError);
    expect(() => suppressTokensAtBegin([1], 0.5)).toThrow(TypeError);
    expect(() => suppressTokensAtBegin([1], 1)(new Float32Array(3))).toThrow(TypeError);
    expect(suppressTokens([1, 1, 2]).label).toBe('suppressTokens(2 ids)');
  });
});
