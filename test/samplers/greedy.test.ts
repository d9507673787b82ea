import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { greedy } from '../../src/index.js';

describe('greedy', () => {
  it('picks a maximum, the lowest index on ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 50 }), (xs) => {
        const x = Float32Array.from(xs);
        const id = greedy(x);
        const m = Math.max(...xs);
        expect(x[id]).toBe(m);
        expect(xs.indexOf(m)).toBe(id);
      }),
      { numRuns: 1000 },
    );
  });

  it('with candidates equals the dense argmax', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 50 }), fc.nat(), (xs, seed) => {
        const x = Float32Array.from(xs);
        // ban some cells, keep the rest as candidates in a shuffled order
        const ids: number[] = [];
        for (let i = 0; i < x.length; i++) if ((i * 31 + seed) % 3 === 0) x[i] = -Infinity;
        else ids.push(i);
        if (ids.length === 0) return;
        ids.sort((a, b) => ((a * 7 + seed) % 11) - ((b * 7 + seed) % 11));
        expect(greedy(x, { ids: Int32Array.from(ids), size: ids.length })).toBe(greedy(x));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses rows it cannot choose from', () => {
    expect(() => greedy(Float32Array.from([-Infinity, -Infinity]))).toThrow(/all -Infinity/);
    expect(() => greedy(Float32Array.from([1, NaN]))).toThrow(/logits\[1\] is NaN/);
    expect(() => greedy([1, 2] as unknown as Float32Array)).toThrow(TypeError);
    expect(() => greedy(new Float32Array(0))).toThrow(RangeError);
  });
});
