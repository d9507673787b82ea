import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DONE, typicalBySelect, typicalP, TypicalScratch } from '../../src/processors/typical-p.js';
import { SortScratch, typicalBySort } from '../../src/processors/typical-sorted.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, checkKeepsMinTokens, expectSameRow, f32, rowArb } from './warp-props.js';

describe('typicalP: HF parity', () => {
  parityCases('TypicalLogitsWarper', (p) => typicalP(p.mass ?? 0.9, warperOptions(p)));
});

describe('typicalP: properties', () => {
  it('keeps ≥ minTokensToKeep, survivors unchanged, never introduces NaN', () => {
    checkKeepsMinTokens((mass, mtk) => typicalP(mass, { minTokensToKeep: mtk, filterValue: -1e4 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }));
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

/** The sort-based rule (the previous implementation) applied to a copy of `vals`. */
function bySort(vals: ArrayLike<number>, mass: number, mtk: number, filter: number): Float32Array {
  const x = Float32Array.from(vals);
  typicalBySort(x, null, x.length, Math.fround(mass), mtk, filter, new SortScratch(), null);
  return x;
}

/** A row of `n` LM-like logits (Zipf prior plus noise), quantised to `step` so that many cells tie. */
function lmRow(n: number, seed: number, step: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(n);
  const sharp = 0.8 + rnd();
  for (let i = 0; i < n; i++) {
    const rank = 1 + ((i * 7919) % n);
    const noise = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    x[i] = Math.round((-sharp * Math.log(rank) + 0.8 * noise) / step) * step;
  }
  x[(seed * 31) % n] += 4 * rnd();
  return x;
}

describe('typicalP: selection equals the sort-based rule', () => {
  it('bit for bit on small rows with ties, any mass, minTokensToKeep and filter value', () => {
    let undecided = 0;
    const st = new TypicalScratch();
    fc.assert(
      fc.property(
        rowArb(),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(-Infinity, -1e4, 0),
        (vals, mass, mtk, filter) => {
          const want = bySort(vals, mass, mtk, filter);
          const got = f32(vals);
          typicalP(mass, { minTokensToKeep: mtk, filterValue: filter })(got);
          expectSameRow(got, want);
          const y = f32(vals);
          if (typicalBySelect(y, null, y.length, Math.fround(mass), mtk, filter, st, null) !== DONE) undecided++;
          else expectSameRow(y, want);
        },
      ),
      { numRuns: 1000 },
    );
    // the selection itself decided (almost) every row: the comparison above is not with the fallback
    expect(undecided).toBeLessThan(20);
  });
  it('bit for bit on LM-like rows of 5,000 cells with many ties', () => {
    const st = new TypicalScratch();
    for (let seed = 1; seed <= 12; seed++) {
      const row = lmRow(5000, seed, seed % 3 === 0 ? 1 / 8 : seed % 3 === 1 ? 1 / 64 : 0);
      for (const mass of [0.05, 0.2, 0.5, 0.9, 0.95, 0.999]) {
        for (const mtk of [1, 3, 100]) {
          const want = bySort(row, mass, mtk, -Infinity);
          const got = Float32Array.from(row);
          expect(typicalBySelect(got, null, got.length, Math.fround(mass), mtk, -Infinity, st, null)).toBe(DONE);
          expectSameRow(got, want);
        }
      }
    }
  });
  it('keeps every cell tied with the crossing shift, and the first minTokensToKeep by (shift, id)', () => {
    // p = [.25, .25, .25, .25]: every shift is 0, all tied: nothing removed
    expect(Array.from(typicalP(0.3)(new Float32Array([1, 1, 1, 1])))).toEqual([1, 1, 1, 1]);
    // two symmetric pairs around H: the crossing pair survives whole
    const x = new Float32Array([0, 0, 5, -Infinity]);
    expect(Array.from(typicalP(0.2, { minTokensToKeep: 2 })(x))).toEqual(Array.from(bySort([0, 0, 5, -Infinity], 0.2, 2, -Infinity)));
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
