import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { etaCutoff } from '../../src/processors/eta-cutoff.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkKeepsMinTokens, checkSparseOnLargeRows, checkSparseSuperset, f32, rowArb } from './warp-props.js';

describe('etaCutoff: HF parity', () => {
  parityCases('EtaLogitsWarper', (p) => etaCutoff(p.epsilon, warperOptions(p)));
});

describe('etaCutoff: properties', () => {
  it('keeps ≥ minTokensToKeep, survivors unchanged, never introduces NaN', () => {
    checkKeepsMinTokens((eps, mtk) => etaCutoff(eps, { minTokensToKeep: mtk, filterValue: -1e4 }), fc.double({ min: 1e-6, max: 0.999, noNaN: true }));
  });
  it('removes no more than epsilonCutoff with the same epsilon (eta ≤ epsilon)', () => {
    fc.assert(
      fc.property(rowArb({ negInf: false }), fc.double({ min: 1e-6, max: 0.999, noNaN: true }), (vals, eps) => {
        const x = f32(vals);
        etaCutoff(eps)(x);
        let m = -Infinity;
        for (const v of vals) if (Math.fround(v) > m) m = Math.fround(v);
        let s = 0;
        for (const v of vals) s += Math.exp(Math.fround(Math.fround(v) - m));
        for (let i = 0; i < x.length; i++) {
          if (x[i] === -Infinity) expect(Math.exp(Math.fround(Math.fround(vals[i]) - m)) / s).toBeLessThan(eps * (1 + 1e-6));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('etaCutoff: sparse (Candidates protocol)', () => {
  it('sparse on a candidate superset leaves bit for bit the plain result', () => {
    checkSparseSuperset((eps, mtk, filter) => etaCutoff(eps, { minTokensToKeep: mtk, filterValue: filter }));
  });
  it('sparse after a truncation of a large row equals the plain call, and shrinks the candidates', () => {
    checkSparseOnLargeRows((seed) => etaCutoff(3e-4 * seed, { minTokensToKeep: seed }));
  });
});

describe('etaCutoff: examples and errors', () => {
  it('example from the docs', () => {
    expect(Array.from(etaCutoff(0.1)(new Float32Array([2, 1, 0, -2])))).toEqual([2, 1, -Infinity, -Infinity]);
  });
  it('rejects bad options', () => {
    for (const e of [0, 1, -0.1]) expect(() => etaCutoff(e)).toThrow(RangeError);
  });
});
