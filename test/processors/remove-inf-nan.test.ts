import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { removeInfNan } from '../../src/processors/remove-inf-nan.js';
import { parityCases } from './warp-parity.js';

describe('removeInfNan: HF parity', () => {
  parityCases('InfNanRemoveLogitsProcessor', () => removeInfNan());
});

describe('removeInfNan: properties', () => {
  it('leaves every value finite and finite values unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.float(), { minLength: 1, maxLength: 64 }), (vals) => {
        const x = Float32Array.from(vals);
        removeInfNan()(x);
        for (let i = 0; i < vals.length; i++) {
          expect(Number.isFinite(x[i])).toBe(true);
          if (Number.isFinite(vals[i])) expect(x[i]).toBe(Math.fround(vals[i]));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('removeInfNan: example', () => {
  it('maps NaN, +Infinity, -Infinity', () => {
    const x = removeInfNan()(new Float32Array([NaN, Infinity, -Infinity, 1]));
    expect(Array.from(x)).toEqual([0, 3.4028234663852886e38, -3.4028234663852886e38, 1]);
    expect(removeInfNan().label).toBe('removeInfNan()');
  });
});
