import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forcedBos, forcedEos } from '../../src/processors/forced-tokens.js';
import { candsOf, checkSuperset, parity } from './history-parity.js';

parity('ForcedBOSTokenLogitsProcessor', (p) => forcedBos(p.bos_token_id));
parity('ForcedEOSTokenLogitsProcessor', (p) => forcedEos(p.max_length, p.eos_token_id));

describe('forcedBos / forcedEos', () => {
  it('force exactly at their step; the sparse path equals the dense one', () => {
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
        fc.array(fc.constantFrom(-Infinity, -1, 0, 2.5), { minLength: 6, maxLength: 6 }),
        (id, history, logits) => {
          for (const proc of [forcedBos(id), forcedEos(4, [id, 0])]) {
            const dense = Float32Array.from(logits);
            proc(dense, history);
            const sparse = Float32Array.from(logits);
            const cands = candsOf(sparse);
            proc.sparse!(sparse, cands, history);
            expect(Array.from(sparse)).toEqual(Array.from(dense));
            expect(checkSuperset(sparse, cands)).toBeNull();
          }
          const x = Float32Array.from(logits);
          forcedBos(id)(x, history);
          if (history.length === 1) for (let t = 0; t < 6; t++) expect(x[t]).toBe(t === id ? 0 : -Infinity);
          else expect(Array.from(x)).toEqual(logits);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reject bad options; forced ids outside the row throw at their step', () => {
    expect(() => forcedBos(-1)).toThrow(RangeError);
    expect(() => forcedBos(1.5)).toThrow(TypeError);
    expect(() => forcedBos(6, { vocabSize: 6 })).toThrow(RangeError);
    expect(() => forcedBos(7)(new Float32Array(4), [0])).toThrow(RangeError);
    expect(() => forcedBos(7)(new Float32Array(4), [0, 1])).not.toThrow();
    expect(() => forcedEos(0, 1)).toThrow(RangeError);
    expect(() => forcedEos(3, [])).toThrow(RangeError);
    expect(() => forcedEos(3, -1)).toThrow(RangeError);
    expect(() => forcedEos(3, 9)(new Float32Array(4), [0, 1])).toThrow(/9/);
    expect(() => forcedEos(3, 1)(new Float32Array(4))).toThrow(TypeError);
  });
});
