import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { typicalP } from '../../src/processors/typical-p.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, f32, rowArb } from './warp-props.js';

describe('typicalP: HF parity', () => {
  parityCases('TypicalLogitsWarper', (p) => typicalP(p.mass ?? 0.9, warperOptions(p)));
});

describe('typicalP: properties', () => {
  it('keeps ≥ minTokensToKeep, survivors unchanged, never introduces NaN', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 4 }), (vals, mass, mtk) => {
        const x = f32(vals);
        typicalP(mass, { minTokensToKeep: mtk, filterValue: -1e4 })(x);
        let kept = 0;
        for (let i = 0; i < x.length; i++) {
          expect(Number.isNaN(x[i])).toBe(false);
          if (x[i] === Math.fround(vals[i])) kept++;
        }
        expect(kept).toBeGreaterThanOrEqual(Math.min(mtk, vals.length));
      }),
      { numRuns: 1000 },
    );
  });
  it('sparse leaves exactly the plain result', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.integer(), (vals, mass, mtk, seed) => {
        checkCandidateMethods(() => typicalP(mass, { minTokensToKeep: mtk }), vals, seed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('typicalP: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(typicalP(0.5)(new Float32Array([2, 1, 0, -2])))).toEqual([2, -Infinity, -Infinity, -Infinity]);
  });
  it('rejects bad options', () => {
    for (const v of [0, 1, 1.5]) expect(() => typicalP(v)).toThrow(RangeError);
  });
});
