import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kthLargest } from '../../src/index.js';
import { kth, kthLargestTies } from '../../src/core/select.js';

const f32 = fc.float({ noNaN: true, noDefaultInfinity: false });

function refKth(xs: number[], k: number): number {
  const s = xs.map((v) => (Number.isNaN(v) ? Infinity : v));
  const nan = xs.filter(Number.isNaN).length;
  if (nan >= k) return NaN;
  return [...s].sort((a, b) => b - a)[k - 1];
}

describe('kthLargest', () => {
  it('equals sorting, for the heap path and the select path', () => {
    fc.assert(
      fc.property(fc.array(f32, { minLength: 1, maxLength: 1500, size: 'max' }), fc.nat(), (xs, r) => {
        const x = Float32Array.from(xs);
        const k = 1 + (r % x.length);
        const scratch = new Float32Array(x.length);
        expect(Object.is(kthLargest(x, k, scratch), refKth(Array.from(x), k)) || kthLargest(x, k, scratch) === refKth(Array.from(x), k)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('ranks NaN above everything, as torch.topk', () => {
    const x = Float32Array.from([1, NaN, 3, NaN]);
    const s = new Float32Array(4);
    expect(kthLargest(x, 1, s)).toBeNaN();
    expect(kthLargest(x, 2, s)).toBeNaN();
    expect(kthLargest(x, 3, s)).toBe(3);
    expect(kthLargest(x, 4, s)).toBe(1);
  });

  it('uses the select path for large k', () => {
    const x = Float32Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    expect(kthLargest(x, 1000, new Float32Array(5000))).toBe(4000);
  });

  it('rejects k out of range', () => {
    expect(() => kthLargest(new Float32Array(3), 0, new Float32Array(3))).toThrow(RangeError);
    expect(() => kthLargest(new Float32Array(3), 4, new Float32Array(3))).toThrow(/k must be/);
  });
});

describe('kthLargestTies', () => {
  it('leaves the k-th largest in kth[0] and returns how many of its ties the k largest take (against a stable sort, property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 1200 }),
        fc.nat(),
        (vals, kSeed) => {
          const x = Float32Array.from(vals);
          const n = x.length;
          const k = 1 + (kSeed % n);
          const ties = kthLargestTies(x, k, new Float32Array(n), n);
          // the reference: positions sorted by value descending, lowest position first among equals
          const order = [...x.keys()].sort((a, b) => x[b] - x[a] || a - b);
          const t = x[order[k - 1]];
          expect(kth[0]).toBe(t);
          expect(ties).toBe(order.slice(0, k).filter((i) => x[i] === t).length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
