/** index-heap and TopEntries against sorting; cosine against a direct formula. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { heapPopRoot, heapPush, heapReplaceRoot } from '../../src/core/index-heap.js';
import { TopEntries } from '../../src/core/top-entries.js';
import { l2Norm, maxCosine } from '../../src/decoding/cosine.js';

const values = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }), { minLength: 1, maxLength: 80 });

describe('index-heap', () => {
  it('keeping the m largest with push/replaceRoot, then popping, gives them in ascending order', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 16 }), (xs, m) => {
        const vals = new Float32Array(m);
        const ids = new Int32Array(m);
        let size = 0;
        for (let i = 0; i < xs.length; i++) {
          const v = Math.fround(xs[i]);
          if (size < m) size = heapPush(vals, ids, size, v, i);
          else if (v > vals[0]) heapReplaceRoot(vals, ids, size, v, i);
        }
        const want = xs.map((v) => Math.fround(v) + 0).sort((a, b) => b - a).slice(0, m).reverse();
        const got: number[] = [];
        while (size > 0) {
          const id = ids[0];
          const v = vals[0];
          expect(Math.fround(xs[id])).toBe(v); // ids travel with their values
          got.push(v + 0); // -0 and +0 tie: compare as values
          size = heapPopRoot(vals, ids, size);
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TopEntries', () => {
  it('equals a stable descending sort of the stream, first m entries (NaN never enters)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(NaN)), { maxLength: 60 }), fc.integer({ min: 0, max: 10 }), (xs, m) => {
        const t = new TopEntries();
        t.reset(m);
        xs.forEach((v, i) => t.offer(v, i));
        const threshold = t.threshold; // the worst kept entry (heap order, before sorting)
        t.sorted();
        const want = xs
          .map((v, i) => [v, i] as const)
          .filter(([v]) => v === v)
          .sort((a, b) => b[0] - a[0] || a[1] - b[1])
          .slice(0, m);
        expect(Array.from(t.values.subarray(0, t.size))).toEqual(want.map((e) => e[0]));
        expect(Array.from(t.indexes.subarray(0, t.size))).toEqual(want.map((e) => e[1]));
        if (m > 0) expect(threshold).toBe(t.size < m ? -Infinity : want[m - 1][0]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('cosine', () => {
  it('l2Norm and maxCosine equal the direct formulas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 60, maxLength: 60 }),
        (d, rows, pool) => {
          const ctx = Float32Array.from(pool.slice(0, rows * d).map((v) => v + 0.5));
          const v = Float32Array.from(pool.slice(30, 30 + d).map((x) => x + 0.25));
          const vn = Math.hypot(...v);
          expect(l2Norm(v, 0, d)).toBeCloseTo(vn, 12);
          let best = -Infinity;
          for (let r = 0; r < rows; r++) {
            const row = ctx.subarray(r * d, r * d + d);
            let dot = 0;
            for (let j = 0; j < d; j++) dot += row[j] * v[j];
            best = Math.max(best, dot / (Math.hypot(...row) * vn));
          }
          expect(maxCosine(ctx, 0, rows, d, v, 0, vn)).toBeCloseTo(best, 12);
          const norms = Array.from({ length: rows }, (_, r) => l2Norm(ctx, r * d, d));
          expect(maxCosine(ctx, 0, rows, d, v, 0, vn, norms)).toBeCloseTo(best, 12);
        },
      ),
      { numRuns: 1000 },
    );
    expect(maxCosine(new Float32Array(0), 0, 0, 3, [1, 0, 0], 0, 1)).toBe(-Infinity);
    expect(maxCosine([0, 0], 0, 1, 2, [1, 0], 0, 1)).toBeNaN();
  });
});
