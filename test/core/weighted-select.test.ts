import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  weightedSelect,
  weightedSelectExpF32,
  weightedSelectF32,
  WeightedSelectScratch,
} from '../../src/core/weighted-select.js';
import { HIST_RING, histLeftOut, massHistogram } from '../../src/processors/top-p/mass-histogram.js';
import { weightedSelectExpHist } from '../../src/processors/top-p/hist-select.js';
import { expNegF32, F32_INV_STEP } from '../../src/core/fast-exp.js';

/** Smallest key whose cumulative weight reaches target, by sorting (weights dyadic: sums exact). */
function reference(keys: number[], weights: number[] | null, target: number): number[] {
  const order = keys.map((k, i) => [k, weights === null ? 1 : weights[i]]).sort((a, b) => a[0] - b[0]);
  let acc = 0;
  let c = 0;
  for (let a = 0; a < order.length; ) {
    let b = a;
    let g = 0;
    while (b < order.length && order[b][0] === order[a][0]) g += order[b++][1];
    if (acc + g >= target) return [order[a][0], acc, acc + g, c, c + (b - a)];
    acc += g;
    c += b - a;
    a = b;
  }
  return [NaN, acc, acc, keys.length, keys.length];
}

const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -8, max: 8 }).map((v) => v / 4) },
  { weight: 2, arbitrary: fc.float({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, Infinity, -Infinity) },
);
// multiples of 1/64 below 4: every partial sum is exact in double, whatever the order
const weightArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 }).map((v) => v / 64));
const rowsArb = fc
  .array(fc.tuple(keyArb, weightArb), { minLength: 0, maxLength: 300 })
  .map((pairs) => ({ keys: pairs.map((p) => Math.fround(p[0])), weights: pairs.map((p) => p[1]) }));

describe('weightedSelect', () => {
  it('equals sorting and walking the cumulative weight; partitions around the result', () => {
    fc.assert(
      fc.property(rowsArb, fc.double({ min: -0.5, max: 1.1, noNaN: true }), fc.boolean(), ({ keys, weights }, t, unit) => {
        const w = unit ? null : weights;
        const total = w === null ? keys.length : w.reduce((a, b) => a + b, 0);
        const target = t * total;
        const k = Float64Array.from(keys);
        const wt = w === null ? null : Float64Array.from(w);
        const out = new Float64Array(4);
        const v = weightedSelect(k, wt, keys.length, target, out);
        const [rv, below, through, c0, c1] = reference(keys, w, target);
        expect(v === rv || (Number.isNaN(v) && Number.isNaN(rv))).toBe(true);
        expect(Array.from(out)).toEqual([below, through, c0, c1]);
        if (!Number.isNaN(v)) {
          for (let i = 0; i < keys.length; i++) {
            if (i < c0) expect(k[i]).toBeLessThan(v);
            else if (i < c1) expect(k[i] === v).toBe(true);
            else expect(k[i]).toBeGreaterThan(v);
          }
        }
        // the (key, weight) pairs were permuted together
        const before = keys.map((x, i) => `${x}:${w === null ? 1 : w[i]}`).sort();
        const after = Array.from(k).map((x, i) => `${x}:${wt === null ? 1 : wt[i]}`).sort();
        expect(after).toEqual(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('with unit weights and target k is the k-th smallest', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 200 }), fc.nat(), (xs, r) => {
        const k = 1 + (r % xs.length);
        const v = weightedSelect(Float64Array.from(xs), null, xs.length, k, new Float64Array(4));
        expect(v).toBe([...xs].sort((a, b) => a - b)[k - 1]);
      }),
      { numRuns: 1000 },
    );
  });

  it('example from the docs', () => {
    const out = new Float64Array(4);
    expect(weightedSelect(Float64Array.from([3, 1, 2, 5]), Float64Array.from([0.1, 0.4, 0.3, 0.2]), 4, 0.6, out)).toBe(2);
    expect(out[0]).toBeCloseTo(0.4, 15);
    expect(out[1]).toBeCloseTo(0.7, 15);
    expect([out[2], out[3]]).toEqual([1, 2]);
  });

  it('returns NaN when the total is short, the smallest key for a target ≤ 0', () => {
    const out = new Float64Array(4);
    expect(weightedSelect(Float64Array.from([1, 2]), Float64Array.from([0.25, 0.25]), 2, 0.75, out)).toBeNaN();
    expect(Array.from(out)).toEqual([0.5, 0.5, 2, 2]);
    expect(weightedSelect(Float64Array.from([4, 2, 3]), Float64Array.from([1, 0, 1]), 3, 0, out)).toBe(2);
    expect(weightedSelect(new Float64Array(0), null, 0, 1, out)).toBeNaN();
  });
});

describe('weightedSelectF32', () => {
  it('equals weightedSelect (sorting) and leaves its inputs unchanged', () => {
    const st = new WeightedSelectScratch();
    fc.assert(
      fc.property(rowsArb, fc.double({ min: -0.5, max: 1.1, noNaN: true }), fc.boolean(), ({ keys, weights }, t, unit) => {
        const w = unit ? null : weights;
        const total = w === null ? keys.length : w.reduce((a, b) => a + b, 0);
        const target = t * total;
        const k = Float32Array.from(keys);
        const wt = w === null ? null : Float64Array.from(w);
        const out = new Float64Array(4);
        const v = weightedSelectF32(k, wt, keys.length, target, st, out);
        const [rv, below, through, c0, c1] = reference(keys, w, target);
        expect(v === rv || (Number.isNaN(v) && Number.isNaN(rv))).toBe(true);
        expect(Array.from(out)).toEqual([below, through, c0, c1]);
        expect(Array.from(k)).toEqual(keys.map((x) => Math.fround(x)));
        if (wt !== null) expect(Array.from(wt)).toEqual(w);
      }),
      { numRuns: 1000 },
    );
  });

  it('handles many keys in one bucket and a key array inside a larger buffer', () => {
    const st = new WeightedSelectScratch();
    const buf = new Float32Array(5000);
    const keys = buf.subarray(1000, 4000);
    const w = new Float64Array(3000);
    for (let i = 0; i < 3000; i++) {
      keys[i] = 1 + (i % 97) / 1024; // all within one 1/8-octave bucket
      w[i] = 1 / 4;
    }
    const out = new Float64Array(4);
    // 3000 keys, 97 distinct values: value j/1024 appears 31 or 30 times
    const v = weightedSelectF32(keys, w, 3000, 100, st, out);
    const sorted = Array.from(keys).sort((a, b) => a - b);
    expect(v).toBe(sorted[399]);
    expect(out[0]).toBe(sorted.filter((x) => x < v).length / 4);
    expect(out[3]).toBe(sorted.filter((x) => x <= v).length);
  });

  it('example from the docs', () => {
    const out = new Float64Array(4);
    expect(weightedSelectF32(Float32Array.from([3, 1, 2, 5]), Float64Array.from([0.1, 0.4, 0.3, 0.2]), 4, 0.6, new WeightedSelectScratch(), out)).toBe(2);
  });
});

describe('weightedSelectExpF32', () => {
  it('equals sorting by key and walking the cumulative exp(key − shift) (weights from expNegF32)', () => {
    const st = new WeightedSelectScratch();
    const out = new Float64Array(4);
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -400, max: 0 }).map((v) => v / 8) },
      { weight: 2, arbitrary: fc.float({ min: -120, max: 0, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, -104, -103.99, -Infinity) },
    );
    fc.assert(
      fc.property(fc.array(key, { minLength: 0, maxLength: 300 }), fc.double({ min: -0.1, max: 1.1, noNaN: true }), (raw, t) => {
        const keys = Float32Array.from(raw);
        const w = Array.from(keys, (k) => expNegF32(k));
        const total = w.reduce((a, b) => a + b, 0);
        const target = t * total;
        const v = weightedSelectExpF32(keys, keys.length, 0, target, st, out);
        const [rv, below, through, c0, c1] = reference(Array.from(keys), w, target);
        // sums in another order: decisions may differ only within rounding of the target
        const margin = Math.min(Math.abs(below - target), Math.abs(through - target));
        if (margin > 1e-12 * Math.max(1, total)) {
          expect(Object.is(v, rv) || v === rv).toBe(true);
          expect(out[2]).toBe(c0);
          expect(out[3]).toBe(c1);
          expect(out[0]).toBeCloseTo(below, 9);
          expect(out[1]).toBeCloseTo(through, 9);
        }
        expect(keys).toEqual(Float32Array.from(raw)); // inputs untouched
      }),
      { numRuns: 1000 },
    );
  });
  it('example from the docs', () => {
    const out = new Float64Array(4);
    expect(weightedSelectExpF32(Float32Array.from([0, -1, -2, -3]), 4, 0, 0.1, new WeightedSelectScratch(), out)).toBe(-2);
    expect(out[2]).toBe(1);
    expect(out[3]).toBe(2);
  });
});

describe('massHistogram + weightedSelectExpHist', () => {
  const hist = new Float64Array(HIST_RING);
  const st = new WeightedSelectScratch();
  const out = new Float64Array(5);
  const ref = new Float64Array(5);
  const mk = () => ({ max: 0, sum: 0, top: 0, scale: 0 });
  const key = (shift: number) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -300, max: 0 }).map((v) => shift + v / 16) },
      { weight: 3, arbitrary: fc.float({ min: -30, max: 0, noNaN: true }).map((v) => shift + v) },
      { weight: 1, arbitrary: fc.constantFrom(shift, shift - 50, -Infinity) },
    );
  it('the histogram sum is within 2e-8 of Σ expNegF32, and the selection equals weightedSelectExpF32', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 7.25, -300, 60000).chain((shift) => fc.array(key(shift), { minLength: 1, maxLength: 600 })),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        (raw, t) => {
          const x = Float32Array.from(raw);
          const n = x.length;
          const r0 = mk();
          r0.max = Math.max(...x);
          if (r0.max === -Infinity) return;
          for (let i = 0; i < n; i++) r0.sum += expNegF32(x[i] - r0.max);
          const r1 = mk();
          massHistogram(x, n, r0.max, r1, hist);
          expect(r1.max).toBe(r0.max);
          if (r1.max === -Infinity) return;
          expect(Math.abs(r1.sum - r0.sum)).toBeLessThanOrEqual(2e-8 * r0.sum);
          const target = t * r1.sum;
          const upper = new Int32Array(n);
          const v = weightedSelectExpHist(x, n, hist, r1, target, st, out, upper);
          const rv = weightedSelectExpF32(x, n, r1.max, target, st, ref);
          // each exp is float32-accurate (< 1e-8 relative) in two arithmetics (against the bucket,
          // against the max): compare the decisions when the target is not within that of a boundary
          const margin = Math.min(Math.abs(ref[0] - target), Math.abs(ref[1] - target));
          if (margin > 3e-8 * r1.sum && rv === rv) {
            expect(v).toBe(rv);
            expect(out[2]).toBe(ref[2]);
            expect(out[3]).toBe(ref[3]);
            expect(Math.abs(out[0] - ref[0])).toBeLessThanOrEqual(3e-8 * r1.sum);
            // every key ≥ the result is listed in upper, ascending
            const listed = new Set(upper.subarray(0, out[4]));
            for (let i = 0; i < n; i++) if (x[i] >= v) expect(listed.has(i)).toBe(true);
            for (let q = 1; q < out[4]; q++) expect(upper[q]).toBeGreaterThan(upper[q - 1]);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('gives up the histogram for a max beyond ±65536 (top and sum NaN); top is the bucket of the max', () => {
    const r = mk();
    const a = (v: number[]) => massHistogram(Float32Array.from(v), v.length, Math.max(...v), r, hist);
    a([1, 70000]);
    expect(r.top).toBeNaN();
    expect(r.sum).toBeNaN();
    expect(r.max).toBe(70000);
    a([-70000, -80000]);
    expect(r.sum).toBeNaN();
    a([1, 2]);
    expect(r.top).toBe(Math.round(2 * F32_INV_STEP));
    expect(r.sum).toBeCloseTo(1 + Math.exp(-1), 7);
  });
  it('histLeftOut: a finite cell 44.3 nats or more below the max', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -60, max: 0, noNaN: true }), { minLength: 1, maxLength: 50 }), (vals) => {
        const x = Float32Array.from([0, ...vals]);
        expect(histLeftOut(x, x.length, 0)).toBe(vals.some((v) => v <= -1022 * Math.LN2 / 16));
      }),
      { numRuns: 1000 },
    );
    expect(histLeftOut(Float32Array.from([0, -Infinity]), 2, 0)).toBe(false);
  });
  it('example from the docs', () => {
    const keys = Float32Array.from([0, -1, -2, -3]);
    const res = mk();
    massHistogram(keys, 4, 0, res, hist);
    expect(res.sum).toBeCloseTo(1 + Math.exp(-1) + Math.exp(-2) + Math.exp(-3), 7);
    const upper = new Int32Array(4);
    expect(weightedSelectExpHist(keys, 4, hist, res, 0.1, st, out, upper)).toBe(-2);
    expect(out[4]).toBe(3);
    expect(Array.from(upper.subarray(0, 3))).toEqual([0, 1, 2]);
  });
});
