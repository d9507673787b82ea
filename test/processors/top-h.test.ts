import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topH } from '../../src/processors/top-h.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { expectSameRow, f32, rowArb } from './warp-props.js';

describe('topH: HF parity', () => {
  parityCases('TopHLogitsWarper', (p) => topH(p.top_h, warperOptions(p)));
});

describe('topH: properties', () => {
  it('keeps the top token, at most 100, survivors unchanged, never introduces NaN', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 0.001, max: 1, noNaN: true }), (vals, h) => {
        const x = f32(vals);
        topH(h, { filterValue: -1e4 })(x);
        let kept = 0;
        let top = -Infinity;
        for (const v of vals) top = Math.max(top, Math.fround(v));
        let topKept = false;
        for (let i = 0; i < x.length; i++) {
          expect(Number.isNaN(x[i])).toBe(false);
          if (x[i] === Math.fround(vals[i]) && x[i] !== -1e4) {
            kept++;
            if (x[i] === top) topKept = true;
          }
        }
        expect(kept).toBeGreaterThanOrEqual(1);
        expect(kept).toBeLessThanOrEqual(100);
        expect(topKept || top === -1e4).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
  it('keeps a prefix of the descending order', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0.001, max: 1, noNaN: true }), (vals, h) => {
        const x = f32(vals);
        topH(h)(x);
        let minKept = Infinity;
        for (let i = 0; i < x.length; i++) if (x[i] !== -Infinity) minKept = Math.min(minKept, x[i]);
        for (let i = 0; i < x.length; i++) if (Math.fround(vals[i]) > minKept) expect(x[i]).toBe(Math.fround(vals[i]));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('topH: rows longer than 100', () => {
  /** HF's candidate order: NaN first, then by value descending, ties by higher id. */
  const before = (x: Float32Array) => (a: number, b: number) => {
    const va = x[a];
    const vb = x[b];
    if (va !== va || vb !== vb) return va !== va && vb !== vb ? b - a : va !== va ? -1 : 1;
    return va !== vb ? vb - va : b - a;
  };
  const cell = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -8, max: 8 }).map((v) => v / 2) },
    { weight: 3, arbitrary: fc.float({ min: -20, max: 20, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(-Infinity) },
  );
  it('the candidates are the 100 first in HF order (ties at the 100th value by higher id, NaN first), ascending or descending rows too', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 101, maxLength: 400 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        (vals, h, mode, at) => {
          const x = f32(vals);
          if (mode === 1) x.sort();
          if (mode === 2) x.sort().reverse();
          if (mode === 3) x[at % x.length] = NaN;
          const top = Array.from(x, (_, i) => i).sort(before(x)).slice(0, 100);
          const y = new Float32Array(x.length).fill(-Infinity);
          for (const i of top) y[i] = x[i];
          expectSameRow(topH(h)(Float32Array.from(x)), topH(h)(y));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('topH: scratch reuse', () => {
  it('one processor reused over rows of any length leaves what a fresh one leaves', () => {
    const reused = topH(0.6);
    const nanOrValue = fc.oneof(fc.float({ min: -20, max: 20, noNaN: true }), fc.constant(Number.NaN), fc.constant(-Infinity));
    fc.assert(
      fc.property(fc.array(fc.array(nanOrValue, { minLength: 1, maxLength: 250 }), { minLength: 1, maxLength: 4 }), (rows) => {
        for (const vals of rows) {
          const a = f32(vals);
          topH(0.6)(a);
          const b = f32(vals);
          reused(b);
          expectSameRow(b, a);
        }
      }),
      { numRuns: 1000 },
    );
  });
  it('a row of 300 NaN and one number keeps only its top cell', () => {
    const x = new Float32Array(300).fill(Number.NaN);
    x[7] = 1;
    topH(0.5)(x);
    expect(x.filter((v) => Number.isNaN(v)).length).toBe(1);
  });
});

describe('topH: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(topH(0.5)(new Float32Array([3, 2, 1, 0])))).toEqual([3, -Infinity, -Infinity, -Infinity]);
  });
  it('only the top 100 can survive', () => {
    const x = new Float32Array(300).fill(1);
    topH(1)(x);
    expect(x.filter((v) => v === 1).length).toBeLessThanOrEqual(100);
  });
  it('rejects bad options', () => {
    for (const v of [0, 1.2, -1]) expect(() => topH(v)).toThrow(RangeError);
    expect(() => topH(1)).not.toThrow();
  });
});
