import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, greedy, pipeline, sample, temperature, topK } from '../../src/index.js';

/** Values that collide once divided (close floats, huge and tiny ones, NaN, ±Infinity). */
const cell = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true, min: -30, max: 30 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }).map((u) => Math.fround(1 + u * 2 ** -23)) },
  { weight: 1, arbitrary: fc.constantFrom(-Infinity, Infinity, NaN, 3.4e38, -3.4e38, 1e-40, -1e-40, 0, -0) },
  { weight: 1, arbitrary: fc.float({ noNaN: true }) },
);
const temp = fc.oneof(
  fc.constantFrom(0.7, 0.8, 3, 1 / 3, 1, 1e-30, 1e30, 2 ** -140, 7e37),
  fc.float({ min: Math.fround(1e-6), max: 1e6, noNaN: true }),
);

function same(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
}

describe('scale fusion: temperature → topK in one pass', () => {
  it('leaves the row bit-identical to temperature then topK, one by one', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 120 }),
        temp,
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(-Infinity, -Infinity, -50, 0),
        (xs, t, k, filterValue) => {
          const a = Float32Array.from(xs);
          const b = Float32Array.from(xs);
          const fused = pipeline(temperature(t), topK(k, { filterValue }));
          fused(a);
          temperature(t)(b);
          topK(k, { filterValue })(b);
          same(a, b);
          const cands = fused.candidates;
          if (cands) {
            const inSet = new Set(Array.from(cands.ids.subarray(0, cands.size)));
            for (let i = 0; i < a.length; i++) if (a[i] !== -Infinity) expect(inSet.has(i)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('keeps the ties that rounding creates (many inputs map to one scaled value)', () => {
    // 1 + u·2^-23 / 3 rounds several neighbours to one float32: the k-th value's ties all survive
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 2, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (us, k) => {
        const xs = us.map((u) => Math.fround(1 + u * 2 ** -23));
        const a = Float32Array.from(xs);
        const b = Float32Array.from(xs);
        pipeline(temperature(3), topK(k))(a);
        temperature(3)(b);
        topK(k)(b);
        same(a, b);
      }),
      { numRuns: 1000 },
    );
  });

  it('draws as the dense row does, in longer chains and on long rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer(), temp, fc.integer({ min: 1, max: 60 }), (n, seed, t, k) => {
        const g = createRng(seed);
        const xs = Float32Array.from({ length: n }, () => (g.next() - 0.5) * 40);
        const a = Float32Array.from(xs);
        const b = Float32Array.from(xs);
        const fused = pipeline(temperature(t), topK(k), temperature(1.5));
        fused(a);
        temperature(t)(b);
        topK(k)(b);
        temperature(1.5)(b);
        same(a, b);
        const cands = fused.candidates;
        expect(cands).not.toBeNull();
        // (a tiny temperature overflows to +Infinity: nothing to draw from then)
        if (a.some((v) => v > -Infinity) && a.every((v) => v < Infinity)) {
          expect(greedy(a, cands)).toBe(greedy(a));
          expect(sample(a, createRng(seed), cands)).toBe(sample(a, createRng(seed)));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('is not used when the scaling processor is not followed directly by topK', () => {
    const xs = [5, 1, 3, 2, 4];
    const a = Float32Array.from(xs);
    pipeline(temperature(0.5), temperature(2), topK(2))(a);
    expect(Array.from(a)).toEqual([5, -Infinity, -Infinity, -Infinity, 4]);
    expect(temperature(0.7).divisor).toBe(Math.fround(0.7));
    expect(typeof topK(3).afterScale).toBe('function');
  });
});
