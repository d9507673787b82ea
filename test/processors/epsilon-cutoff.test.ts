import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { epsilonCutoff } from '../../src/processors/epsilon-cutoff.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkSparseOnLargeRows, checkSparseSuperset, f32, rowArb } from './warp-props.js';

describe('epsilonCutoff: HF parity', () => {
  parityCases('EpsilonLogitsWarper', (p) => epsilonCutoff(p.epsilon, warperOptions(p)));
});

function reference(vals: number[], eps: number, mtk: number): Float32Array {
  const x = f32(vals);
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === -Infinity) return x;
  let s = 0;
  for (const v of x) s += Math.exp(Math.fround(v - m));
  const t = [...x].sort((a, b) => b - a)[Math.min(mtk, x.length) - 1];
  const out = Float32Array.from(x);
  for (let i = 0; i < x.length; i++) if (Math.fround(Math.exp(Math.fround(x[i] - m)) / s) < Math.fround(eps) && x[i] < t) out[i] = -Infinity;
  return out;
}

describe('epsilonCutoff: properties', () => {
  it('equals the written-out rule; keeps ≥ minTokensToKeep; survivors unchanged', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 1e-6, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 4 }), (vals, eps, mtk) => {
        const x = f32(vals);
        epsilonCutoff(eps, { minTokensToKeep: mtk })(x);
        expect(Array.from(x)).toEqual(Array.from(reference(vals, eps, mtk)));
        const finite = vals.filter((v) => v !== -Infinity).length;
        const kept = vals.filter((_, i) => x[i] !== -Infinity).length;
        expect(kept).toBeGreaterThanOrEqual(Math.min(mtk, finite));
      }),
      { numRuns: 1000 },
    );
  });
  it('never introduces NaN', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 1e-6, max: 0.999, noNaN: true }), (vals, eps) => {
        const x = f32(vals);
        epsilonCutoff(eps, { filterValue: -1e4 })(x);
        for (const v of x) expect(Number.isNaN(v)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('epsilonCutoff: sparse (Candidates protocol)', () => {
  it('sparse on a candidate superset leaves bit for bit the plain result', () => {
    checkSparseSuperset((eps, mtk, filter) => epsilonCutoff(eps, { minTokensToKeep: mtk, filterValue: filter }));
  });
  it('sparse after a truncation of a large row equals the plain call, and shrinks the candidates', () => {
    checkSparseOnLargeRows((seed) => epsilonCutoff(3e-4 * seed, { minTokensToKeep: seed }));
  });
});

describe('epsilonCutoff: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(epsilonCutoff(0.1)(new Float32Array([2, 1, 0, -2])))).toEqual([2, 1, -Infinity, -Infinity]);
    expect(epsilonCutoff(3e-4).label).toBe('epsilonCutoff(0.0003)');
  });
  it('rejects bad options', () => {
    for (const e of [0, 1, -0.1, 2]) expect(() => epsilonCutoff(e)).toThrow(RangeError);
  });
});
