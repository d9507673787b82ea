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

describe('logSoftmax: example', () => {
  it('two equal logits give log(1/2)', () => {
    const x = logSoftmax()(new Float32Array([0, 0]));
    expect(x[0]).toBeCloseTo(-Math.LN2, 6);
  });
});
