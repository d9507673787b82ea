/** hashTuple, NgramCounter and distinctNgramCount/addNgrams against plain Map/Set references. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashTuple, NgramCounter, NgramTable } from '../../src/index.js';
import { addNgrams, distinctNgramCount } from '../../src/metrics/distinct-ngrams.js';

const key = (xs: ArrayLike<number>, s: number, n: number) => Array.from({ length: n }, (_, i) => xs[s + i]).join(',');

describe('hashTuple', () => {
  it('depends only on the n ids at start (not on the array around them), and is an int32', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 5 }),
        (tuple, before, after) => {
          const h = hashTuple(tuple, 0, tuple.length);
          expect(hashTuple([...before, ...tuple, ...after], before.length, tuple.length)).toBe(h);
          expect(hashTuple(Int32Array.from([...before, ...tuple]), before.length, tuple.length)).toBe(h);
          expect(h | 0).toBe(h);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('tells apart tuples that differ in one id, in order, or in length (no collision on small tuples)', () => {
    const seen = new Map<number, string>();
    for (let a = 0; a < 40; a++) {
      for (let b = 0; b < 40; b++) {
        for (const t of [[a, b], [a, b, 0], [b, a, 1]]) {
          const h = hashTuple(t, 0, t.length);
          const k = t.join(',');
          if (seen.has(h)) expect(seen.get(h)).toBe(k);
          seen.set(h, k);
        }
      }
    }
    expect(seen.size).toBe(40 * 40 * 3); // 4,800 distinct keys, 4,800 distinct hashes
  });
  it('mixes the length in: the empty tuple of each n differs, and [0] differs from [0, 0]', () => {
    expect(hashTuple([], 0, 0)).not.toBe(hashTuple([0], 0, 1));
    expect(hashTuple([0], 0, 1)).not.toBe(hashTuple([0, 0], 0, 2));
  });
  it('spreads keys over buckets: 4,096 bigrams fill most of 4,096 low-bit buckets', () => {
    const used = new Set<number>();
    for (let a = 0; a < 64; a++) for (let b = 0; b < 64; b++) used.add(hashTuple([a, b], 0, 2) & 4095);
    expect(used.size).toBeGreaterThan(2400); // a uniform hash fills ≈ 63 %
  });
});

describe('NgramCounter', () => {
  it('counts and distinct equal a Map multiset under random increments and decrements', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 })), { maxLength: 200 }),
        (n, ops) => {
          const c = new NgramCounter(n, 2);
          const ref = new Map<string, number>();
          for (const [inc, t] of ops) {
            const k = key(t, 0, n);
            if (inc) {
              ref.set(k, (ref.get(k) ?? 0) + 1);
              expect(c.increment(t, 0)).toBe(ref.get(k));
            } else {
              const before = ref.get(k) ?? 0;
              expect(c.decrement(t, 0)).toBe(before === 0 ? -1 : before - 1);
              if (before === 1) ref.delete(k);
              else if (before > 1) ref.set(k, before - 1);
            }
            expect(c.distinct).toBe(ref.size);
          }
          for (const [k, v] of ref) expect(c.count(k.split(',').map(Number), 0)).toBe(v);
          c.clear();
          expect(c.distinct).toBe(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('rejects n < 1', () => {
    expect(() => new NgramCounter(0)).toThrow(/n must be/);
  });
});

describe('distinctNgramCount and addNgrams', () => {
  it('equal a Set of joined n-grams', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (xs, n) => {
        const ref = new Set<string>();
        for (let s = 0; s + n <= xs.length; s++) ref.add(key(xs, s, n));
        expect(distinctNgramCount(xs, xs.length, n)).toBe(ref.size);
        const table = new NgramTable(n, 4);
        const half = Math.floor(xs.length / 2);
        const first = addNgrams(table, xs, half);
        const second = addNgrams(table, xs.slice(half), xs.length - half);
        expect(first).toBe(table.size - second);
        const both = new Set<string>();
        for (let s = 0; s + n <= half; s++) both.add(key(xs, s, n));
        const rest = xs.slice(half);
        for (let s = 0; s + n <= rest.length; s++) both.add(key(rest, s, n));
        expect(table.size).toBe(both.size);
      }),
      { numRuns: 1000 },
    );
  });
  it('a table grown past the keep limit is not kept (memory is released), results still right', () => {
    const xs = Array.from({ length: 200_000 }, (_, i) => i);
    expect(distinctNgramCount(xs, xs.length, 2)).toBe(199_999);
    expect(distinctNgramCount([1, 1, 1], 3, 2)).toBe(1);
  });
});
