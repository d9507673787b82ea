import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prefixAllowedTokens } from '../../src/processors/prefix-allowed-tokens.js';
import { candsOf, checkSuperset, parity } from './history-parity.js';

// The fixture's synthetic fn returns allowed_tokens_per_batch[batch_id]; rows are grouped by num_beams.
parity('PrefixConstrainedLogitsProcessor', (p, r) =>
  prefixAllowedTokens(() => p.allowed_tokens_per_batch[Math.floor(r / (p.num_beams ?? 1))]),
);

describe('prefixAllowedTokens', () => {
  it('keeps exactly the allowed ids (0 fallback when all are -Infinity); sparse equals dense', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom(-Infinity, -1, 0, 2.5), { minLength: 6, maxLength: 6 }),
        (allowed, logits) => {
          const proc = prefixAllowedTokens(() => allowed);
          const x = Float32Array.from(logits);
          proc(x, [0]);
          const fallback = allowed.every((id) => logits[id] === -Infinity);
          for (let t = 0; t < 6; t++) {
            expect(x[t]).toBe(allowed.includes(t) ? (fallback ? 0 : logits[t]) : -Infinity);
          }
          const s = Float32Array.from(logits);
          const cands = candsOf(s, 2);
          proc.sparse!(s, cands, [0]);
          expect(Array.from(s)).toEqual(Array.from(x));
          expect(checkSuperset(s, cands)).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('passes the history to fn', () => {
    const proc = prefixAllowedTokens((h) => (h.length % 2 ? [0, 1] : [2]));
    const x = Float32Array.from([1, 2, 3]);
    proc(x, [9]);
    expect(Array.from(x)).toEqual([1, 2, -Infinity]);
  });

  it('rejects a bad fn and bad results', () => {
    expect(() => prefixAllowedTokens(3 as never)).toThrow(TypeError);
    expect(() => prefixAllowedTokens(() => [])(new Float32Array(3), [0])).toThrow(RangeError);
    expect(() => prefixAllowedTokens(() => [3])(new Float32Array(3), [0])).toThrow(RangeError);
    expect(() => prefixAllowedTokens(() => [-1])(new Float32Array(3), [0])).toThrow(RangeError);
    expect(() => prefixAllowedTokens(() => null as never)(new Float32Array(3), [0])).toThrow(TypeError);
    expect(() => prefixAllowedTokens(() => [0])(new Float32Array(3))).toThrow(TypeError);
    expect(() => prefixAllowedTokens(() => [0], { vocabSize: 4 })(new Float32Array(3), [0])).toThrow(RangeError);
  });
});
