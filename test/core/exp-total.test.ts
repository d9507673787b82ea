import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockCeilingsAfterTotal, expTotal, expTotalResult } from '../../src/core/exp-total.js';

describe('blockCeilingsAfterTotal', () => {
  it('after a dense expTotal, no cell exceeds its block bound, and the bound of the max block is within 256× of its max (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ min: -200, max: 200, noNaN: true, noDefaultInfinity: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 1200 }),
        (vals) => {
          const x = Float32Array.from(vals);
          const tot = expTotalResult();
          expTotal(x, null, x.length, tot);
          const out = new Float64Array(8);
          const nb = blockCeilingsAfterTotal(x, x.length, out);
          expect(nb).toBe(Math.ceil(x.length / 256));
          let over = -1;
          for (let t = 0; t < x.length; t++) if (x[t] > out[t >> 8]) over = t;
          expect(over).toBe(-1);
          if (tot.max > -Infinity) {
            const b = x.indexOf(tot.max) >> 8;
            expect(out[b]).toBeLessThanOrEqual(tot.max + Math.log(256) + 1e-5);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('returns 0 (writes nothing) unless the last expTotal was over the same row', () => {
    const x = Float32Array.from([1, 2, 3]);
    const tot = expTotalResult();
    expTotal(x, null, 3, tot);
    const out = new Float64Array(1).fill(7);
    expect(blockCeilingsAfterTotal(Float32Array.from([1, 2, 3]), 3, out)).toBe(0);
    expect(blockCeilingsAfterTotal(x, 3, out)).toBe(1);
    expect(out[0]).toBeGreaterThanOrEqual(3);
    expTotal(x, Int32Array.from([0, 2]), 2, tot);
    expect(blockCeilingsAfterTotal(x, 3, out)).toBe(0);
  });
});
