import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { temperature } from '../../src/processors/temperature.js';
import { parityCases } from './warp-parity.js';

describe('temperature: HF parity', () => {
  // error_T_int_1: HF rejects the Python int 1; JS has no int type and 1 is a valid temperature,
  // so degen-guard accepts it (deliberate deviation, see docs/processors.md).
  parityCases('TemperatureLogitsWarper', (p) => temperature(p.temperature), ['error_T_int_1']);
});

describe('temperature: properties', () => {
  it('divides in float32 and keeps -Infinity; sparse equals plain on the candidates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 64 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (vals, t) => {
          const a = Float32Array.from(vals);
          const b = Float32Array.from(vals);
          temperature(t)(a);
          const ft = Math.fround(t);
          for (let i = 0; i < vals.length; i++) expect(Object.is(a[i], Math.fround(b[i] / ft))).toBe(true);
          const ids = new Int32Array(b.length);
          let size = 0;
          for (let i = 0; i < b.length; i++) if (b[i] !== -Infinity) ids[size++] = i;
          temperature(t).sparse!(b, { ids, size });
          expect(Array.from(b)).toEqual(Array.from(a));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('temperature: examples and errors', () => {
  it('example', () => {
    expect(Array.from(temperature(0.5)(new Float32Array([1, 2, -Infinity])))).toEqual([2, 4, -Infinity]);
    expect(temperature(0.7).label).toBe('temperature(0.7)');
  });
  it('rejects 0, negatives, NaN, Infinity, non-numbers', () => {
    for (const t of [0, -1, NaN, Infinity, -Infinity]) expect(() => temperature(t)).toThrow(/temperature must/);
    expect(() => temperature('1' as unknown as number)).toThrow(TypeError);
  });
  it('rejects bad logits at the call', () => {
    expect(() => temperature(1)([1, 2] as unknown as Float32Array)).toThrow(TypeError);
  });
});
