import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { entropyOf, logSoftmaxInto, logSumExp, softmaxInto, argmaxOf, maxOf } from '../../src/index.js';

const row = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -50, max: 50 }), { minLength: 1, maxLength: 64 });

describe('softmax kernels', () => {
  it('softmax sums to 1 and preserves order', () => {
    fc.assert(
      fc.property(row, (xs) => {
        const x = Float32Array.from(xs);
        const p = new Float32Array(x.length);
        softmaxInto(x, p);
        const s = p.reduce((a, b) => a + b, 0);
        expect(Math.abs(s - 1)).toBeLessThan(1e-5);
        for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if (x[i] > x[j]) expect(p[i]).toBeGreaterThanOrEqual(p[j]);
      }),
      { numRuns: 1000 },
    );
  });

  it('log-softmax equals log of softmax and logsumexp is consistent', () => {
    fc.assert(
      fc.property(row, (xs) => {
        const x = Float32Array.from(xs);
        const lp = new Float32Array(x.length);
        logSoftmaxInto(x, lp);
        const lse = logSumExp(x);
        for (let i = 0; i < x.length; i++) expect(Math.abs(lp[i] - (x[i] - lse))).toBeLessThan(1e-4);
      }),
      { numRuns: 1000 },
    );
  });

  it('entropy is between 0 and log V', () => {
    fc.assert(
      fc.property(row, (xs) => {
        const h = entropyOf(Float32Array.from(xs));
        expect(h).toBeGreaterThanOrEqual(-1e-9);
        expect(h).toBeLessThanOrEqual(Math.log(xs.length) + 1e-9);
      }),
      { numRuns: 1000 },
    );
  });

  it('non-finite rows give NaN as torch does', () => {
    const p = new Float32Array(3);
    softmaxInto(Float32Array.from([1, NaN, 2]), p);
    expect(Array.from(p).every(Number.isNaN)).toBe(true);
    softmaxInto(Float32Array.from([-Infinity, -Infinity, -Infinity]), p);
    expect(Array.from(p).every(Number.isNaN)).toBe(true);
    softmaxInto(Float32Array.from([Infinity, 0, 0]), p);
    expect(Array.from(p).every(Number.isNaN)).toBe(true);
    expect(logSumExp(Float32Array.from([-Infinity, -Infinity]))).toBe(-Infinity);
    expect(maxOf([1, NaN])).toBeNaN();
    expect(argmaxOf([1, 3, 3])).toBe(1);
    expect(argmaxOf([1, NaN])).toBe(-1);
  });
});
