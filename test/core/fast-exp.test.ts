import { describe, expect, it } from 'vitest';
import { expBlockSums } from '../../src/core/exp-blocks.js';
import fc from 'fast-check';
import { expNeg, expNegF32 } from '../../src/index.js';
import {
  EXP_NEG_FLOOR,
  F32_INV_STEP,
  F32_STEP,
  F32_TABLE,
  INV_STEP,
  ROUND,
  STEP,
  expPolyF32,
} from '../../src/core/fast-exp.js';

describe('expNegF32', () => {
  it('is within 1e-8 (relative) of Math.exp on [-104, 0]', () => {
    fc.assert(
      fc.property(fc.double({ min: -103.99, max: 0, noNaN: true }), (z) => {
        const e = Math.exp(z);
        expect(Math.abs(expNegF32(z) - e)).toBeLessThanOrEqual(1e-8 * e);
      }),
      { numRuns: 5000 },
    );
    // a dense sweep over every table interval
    let worst = 0;
    for (let z = -103.99; z <= 0; z += 0.000917) worst = Math.max(worst, Math.abs(expNegF32(z) - Math.exp(z)) / Math.exp(z));
    expect(worst).toBeLessThan(1e-8);
    expect(worst).toBeGreaterThan(1e-10); // it is an approximation: the bound is not vacuous
  });

  it('is exactly 1 at 0, 0 at or below -104, for -Infinity and NaN', () => {
    expect(expNegF32(0)).toBe(1);
    expect(expNegF32(-0)).toBe(1);
    expect(expNegF32(-104)).toBe(0);
    expect(expNegF32(-1e300)).toBe(0);
    expect(expNegF32(-Infinity)).toBe(0);
    expect(expNegF32(NaN)).toBe(0);
  });

  it('is monotone non-decreasing on a fine grid, as exp is (to within its error)', () => {
    let prev = 0;
    for (let z = -103.9; z <= 0; z += 0.01) {
      const e = expNegF32(z);
      expect(e).toBeGreaterThanOrEqual(prev * (1 - 2e-8));
      prev = e;
    }
  });

  it('agrees with expNeg to float32 precision', () => {
    fc.assert(
      fc.property(fc.float({ min: -100, max: 0, noNaN: true }), (z) => {
        const a = expNeg(z);
        expect(Math.abs(expNegF32(z) - a)).toBeLessThanOrEqual(1.1e-8 * a);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the inlined copies of expNegF32 in the hot loops', () => {
  // exp-blocks.ts calls expNegF32 in its loop; with the row max first (no rescaling) its sums must
  // equal Σ expNegF32(x − max) added in id order, bit for bit.
  it('expBlockSums sums exactly what expNegF32 gives', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -120, max: 0, noNaN: true }), { minLength: 1, maxLength: 256 }), (xs) => {
        const x = Float32Array.from([0, ...xs].slice(0, 256));
        let want = 0;
        for (let i = 0; i < x.length; i++) want += expNegF32(x[i] - 0);
        const W = new Float64Array(1);
        const M = new Float64Array(1);
        expBlockSums(x, x.length, W, M);
        expect(W[0]).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the exp kernels, written once', () => {
  it("expNeg and expNegF32 spell their constants as literals: those literals are the computed ones", () => {
    // the literals in src/core/fast-exp.ts, copied here: a change there must change this test
    expect(INV_STEP).toBe(369.3299304675746);
    expect(STEP).toBe(0.0027076061740622863);
    expect(F32_INV_STEP).toBe(23.083120654223414);
    expect(F32_STEP).toBe(0.04332169878499658);
    expect(ROUND).toBe(6755399441055744.0);
    expect(EXP_NEG_FLOOR).toBe(-104);
  });

  it('expNegF32 is the table step times expPolyF32, bit for bit', () => {
    fc.assert(
      fc.property(fc.double({ min: -110, max: 0, noNaN: true }), (z) => {
        const kf = ROUND - z * F32_INV_STEP - ROUND;
        const want = z > EXP_NEG_FLOOR ? F32_TABLE[kf | 0] * expPolyF32(z + kf * F32_STEP) : 0;
        expect(expNegF32(z)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });
});
