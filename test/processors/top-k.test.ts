import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topK } from '../../src/processors/top-k/top-k.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, f32, rowArb } from './warp-props.js';

describe('topK: HF parity', () => {
  // error_k_float: HF rejects the Python float 2.0; in JS 2.0 === 2 is an integer, so degen-guard
  // accepts it (deliberate deviation, see docs/processors.md).
  parityCases('TopKLogitsWarper', (p) => topK(p.top_k, warperOptions(p)), ['error_k_float']);
});

/** Reference: remove x < k-th largest (NaN above everything). */
function reference(vals: number[], k: number, mtk: number, f: number): Float32Array {
  const x = f32(vals);
  const kk = Math.min(Math.max(k, mtk), x.length);
  const sorted = Array.from(x).sort((a, b) => (a !== a ? -1 : b !== b ? 1 : b - a));
  const t = sorted[kk - 1];
  for (let i = 0; i < x.length; i++) if (x[i] < t) x[i] = f;
  return x;
}

describe('topK: properties', () => {
  it('equals the sort-based reference; keeps ≥ k; survivors keep their value', () => {
    fc.assert(
      fc.property(rowArb(), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 5 }), (vals, k, mtk) => {
        const x = f32(vals);
        topK(k, { minTokensToKeep: mtk })(x);
        const ref = reference(vals, k, mtk, -Infinity);
        expect(Array.from(x)).toEqual(Array.from(ref));
        let kept = 0;
        for (let i = 0; i < x.length; i++) if (x[i] !== -Infinity || vals[i] === -Infinity) kept++;
        expect(kept).toBeGreaterThanOrEqual(Math.min(Math.max(k, mtk), x.length));
      }),
      { numRuns: 1000 },
    );
  });

  it('with NaN cells and a finite filter value: equals the reference, never introduces NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constant(NaN), fc.constant(-Infinity)), { minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 10 }),
        (vals, k) => {
          const x = f32(vals);
          topK(k, { filterValue: -99 })(x);
          const ref = reference(vals, k, 1, -99);
          for (let i = 0; i < x.length; i++) expect(Object.is(x[i], ref[i]) || (x[i] !== x[i] && ref[i] !== ref[i])).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sparse and truncate leave exactly the plain result', () => {
    fc.assert(
      fc.property(rowArb(), fc.integer({ min: 1, max: 40 }), fc.integer(), (vals, k, seed) => {
        checkCandidateMethods(() => topK(k), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });

  it('large k (selection path) matches the reference', () => {
    const vals = Array.from({ length: 5000 }, (_, i) => Math.round(Math.sin(i * 7.3) * 40) / 4);
    for (const k of [1025, 2000, 4999]) {
      const x = f32(vals);
      topK(k)(x);
      expect(Array.from(x)).toEqual(Array.from(reference(vals, k, 1, -Infinity)));
    }
  });
});

describe('topK: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(topK(2)(new Float32Array([1, 3, 3, 2])))).toEqual([-Infinity, 3, 3, -Infinity]);
    expect(topK(50).label).toBe('topK(50)');
  });
  it('a row with k NaN is left unchanged', () => {
    const x = new Float32Array([1, NaN, 3, NaN, 0]);
    topK(2)(x);
    expect(Array.from(x)).toEqual([1, NaN, 3, NaN, 0]);
  });
  it('rejects bad options', () => {
    expect(() => topK(0)).toThrow(RangeError);
    expect(() => topK(1.5)).toThrow(TypeError);
    expect(() => topK(2, { minTokensToKeep: 0 })).toThrow(RangeError);
    expect(() => topK(2, { filterValue: NaN })).toThrow(TypeError);
  });
});
