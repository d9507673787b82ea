import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logSoftmax } from '../../src/processors/log-softmax.js';
import { parityCases } from './warp-parity.js';

describe('logSoftmax: HF parity', () => {
  parityCases('LogitNormalization', () => logSoftmax());
});

describe('logSoftmax: properties', () => {
  it('exp of the result sums to 1 and order is kept', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 64 }), (vals) => {
        const x = Float32Array.from(vals);
        logSoftmax()(x);
        let s = 0;
        for (let i = 0; i < x.length; i++) s += Math.exp(x[i]);
        expect(Math.abs(s - 1)).toBeLessThan(1e-5);
        for (let i = 1; i < x.length; i++) if (vals[i] > vals[i - 1]) expect(x[i] >= x[i - 1]).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('logSoftmax: the fused pass', () => {
  it('every cell is fround(fround(x − max) − L), L within 2⁻²⁴ + half a float32 ulp of the exact log Σ exp(x − max), on rows of up to 3 blocks with -Infinity cells (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 9, arbitrary: fc.float({ min: -60, max: 60, noNaN: true, noDefaultInfinity: true }) }, { weight: 1, arbitrary: fc.constant(-Infinity) }), { minLength: 1, maxLength: 700 }),
        (vals) => {
          const x = Float32Array.from(vals);
          let m = -Infinity;
          for (const v of x) m = Math.max(m, v);
          const out = logSoftmax()(Float32Array.from(x));
          if (m === -Infinity) {
            expect(out.every((v) => Number.isNaN(v))).toBe(true);
            return;
          }
          let s = 0;
          for (const v of x) s += Math.exp(v - m);
          const exact = Math.log(s);
          const arg = x.indexOf(m);
          const L = -out[arg];
          const ulp = L === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(L))) - 23);
          expect(Math.abs(L - exact)).toBeLessThanOrEqual(2 ** -24 + ulp / 2);
          for (let i = 0; i < x.length; i++) if (out[i] !== Math.fround(Math.fround(x[i] - m) - L)) expect.fail(`cell ${i}: ${out[i]}`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a row holding NaN or +Infinity becomes all NaN', () => {
    expect(Array.from(logSoftmax()(Float32Array.from([1, NaN, 2])))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(logSoftmax()(Float32Array.from([1, Infinity, 2])))).toEqual([NaN, NaN, NaN]);
    const long = new Float32Array(600);
    long[599] = NaN;
    expect(logSoftmax()(long).every((v) => Number.isNaN(v))).toBe(true);
  });
});

describe('logSoftmax: example', () => {
  it('two equal logits give log(1/2)', () => {
    const x = logSoftmax()(new Float32Array([0, 0]));
    expect(x[0]).toBeCloseTo(-Math.LN2, 6);
  });
});
