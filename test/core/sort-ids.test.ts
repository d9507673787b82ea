import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortF32Ascending, sortIdsAscending } from '../../src/core/sort-ids.js';

describe('sortIdsAscending', () => {
  it('sorts the prefix like Array#sort and leaves the rest alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 200 }), { maxLength: 300 }),
        fc.nat(),
        (xs, cut) => {
          const a = Int32Array.from(xs);
          const size = xs.length === 0 ? 0 : cut % (xs.length + 1);
          sortIdsAscending(a, size);
          const want = xs.slice(0, size).sort((p, q) => p - q).concat(xs.slice(size));
          expect(Array.from(a)).toEqual(want);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('handles ascending, descending, constant and sawtooth inputs', () => {
    for (const n of [0, 1, 2, 23, 24, 25, 100, 1000]) {
      const shapes = [
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => n - i),
        Array.from({ length: n }, () => 7),
        Array.from({ length: n }, (_, i) => i % 5),
        Array.from({ length: n }, (_, i) => (i * 7919) % 101),
      ];
      for (const xs of shapes) {
        const a = Int32Array.from(xs);
        sortIdsAscending(a, n);
        expect(Array.from(a)).toEqual([...xs].sort((p, q) => p - q));
      }
    }
  });
});

describe('sortF32Ascending', () => {
  it('sorts the prefix numerically like a comparator sort', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 300 }), fc.nat(), (xs, cut) => {
        const a = Float32Array.from(xs);
        const size = xs.length === 0 ? 0 : cut % (xs.length + 1);
        sortF32Ascending(a, size);
        const want = Array.from(Float32Array.from(xs.slice(0, size))).sort((p, q) => p - q);
        for (let i = 0; i < size; i++) expect(a[i] === want[i]).toBe(true); // -0 and 0 are equal
        expect(Array.from(a.subarray(size))).toEqual(Array.from(Float32Array.from(xs.slice(size))));
      }),
      { numRuns: 2000 },
    );
  });
});
