/**
 * warp-cutoff: the fast route (sums from one float32-level pass, within an error bound) leaves the
 * row the exact route leaves with the exact sums, or gives up with the row untouched; and epsilon /
 * eta sampling equal their exact route on LM-shaped rows, dense and over candidates, including rows
 * with a cell on the line (where the fast route gives up).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expTotal, expTotalErrorBound, expTotalResult } from '../../src/core/exp-total.js';
import { expNeg, sumExpNeg } from '../../src/core/fast-exp.js';
import type { Candidates } from '../../src/core/types.js';
import { epsilonCutoff } from '../../src/processors/epsilon-cutoff.js';
import { etaCutoff } from '../../src/processors/eta-cutoff.js';
import { CutoffScratch, exactCutoff, fastCutoff, keepFromOf } from '../../src/processors/warp-cutoff.js';
import { exactSums } from '../helpers/exact-sums.js';
import { expectSameRow, f32, rowArb } from './warp-props.js';

function rowMax(x: Float32Array): number {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  return m;
}

/** The exact route of epsilonCutoff (the max, Σ expNeg in index order, the masking pass). */
function epsilonExact(x: Float32Array, eps: number, mtk: number, f = -Infinity): Float32Array {
  const m = rowMax(x);
  if (!(m > -Infinity)) return x;
  const keepFrom = keepFromOf(x, null, x.length, m, mtk, new CutoffScratch());
  exactCutoff(x, null, x.length, m, sumExpNeg(x, m, null, x.length), Math.fround(eps), keepFrom, f, null);
  return x;
}

/** The exact route of etaCutoff: H from Σ e and Σ e·z (e = expNeg(z), z = fround(x − max)). */
function etaExact(x: Float32Array, eps: number, mtk: number, f = -Infinity): Float32Array {
  const { m, s, w } = exactSums(x);
  if (!(m > -Infinity)) return x;
  const fe = Math.fround(eps);
  const h = Math.fround(Math.log(s) - w / s);
  const eta = Math.min(fe, Math.fround(Math.fround(Math.sqrt(fe)) * Math.fround(Math.exp(-h))));
  const keepFrom = keepFromOf(x, null, x.length, m, mtk, new CutoffScratch());
  exactCutoff(x, null, x.length, m, s, eta, keepFrom, f, null);
  return x;
}

/** An LM-shaped row: a Zipf prior over shuffled ids, noise, a few boosted ids, max near 20. */
function lmRow(n: number, seed: number): Float32Array {
  let st = seed >>> 0 || 1;
  const rnd = () => (st = (Math.imul(st, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = new Float32Array(n);
  const sharp = 1 + rnd() * 0.7;
  for (let i = 0; i < n; i++) x[i] = -sharp * Math.log(1 + Math.floor(rnd() * n)) + (rnd() + rnd() + rnd() - 1.5);
  const boosts = 1 + Math.floor(rnd() * 6);
  for (let b = 0; b < boosts; b++) x[Math.floor(rnd() * n)] = 1 + rnd() * 10 * (b === 0 ? 1 : 0.5);
  for (let i = 0; i < n; i++) x[i] += 10;
  return x;
}

/** A row whose cell 1 sits on the epsilon line: eps = its float32 probability (the fast route gives up). */
function lineRow(n: number, seed: number): { x: Float32Array; eps: number } {
  const x = lmRow(n, seed);
  x[1] = Math.fround(rowMax(x) - 5 - (seed % 97) / 50);
  return { x, eps: lineOf(x, 1) };
}

/** The float32 probability of cell i (with the exact route's sum). */
function lineOf(x: Float32Array, i: number): number {
  const m = rowMax(x);
  return Math.fround(expNeg(Math.fround(x[i] - m)) / sumExpNeg(x, m, null, x.length));
}

/** Candidates: the ids of the cells ≥ the k-th largest (a top-k truncation), the others set to -Infinity. */
function truncated(x: Float32Array, k: number): { y: Float32Array; cands: Candidates } {
  const sorted = Float32Array.from(x).sort();
  const t = sorted[Math.max(0, x.length - k)];
  const y = Float32Array.from(x);
  const ids: number[] = [];
  for (let i = x.length - 1; i >= 0; i--) {
    if (y[i] >= t) ids.push(i);
    else y[i] = -Infinity;
  }
  return { y, cands: { ids: Int32Array.from(ids), size: ids.length } };
}

describe('fastCutoff', () => {
  it('given S within err of S* and any cutoff in [cutLo, cutHi]: the exact route’s row for both ends, or false and the row untouched', () => {
    const st = new CutoffScratch();
    const tot = expTotalResult();
    let gaveUp = 0;
    fc.assert(
      fc.property(
        rowArb(),
        fc.double({ min: 1e-6, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.constantFrom(1e-9, 1e-6, 1e-4),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.nat(), { freq: 2 }),
        (vals, eps, ulps, rel, err, mtk, pick) => {
          const x = f32(vals);
          const m = rowMax(x);
          if (!(m > -Infinity)) return;
          const sx = sumExpNeg(x, m, null, x.length);
          // or a cutoff on the line of a cell: its own float32 probability
          const onLine = pick === null ? 0 : Math.fround(expNeg(Math.fround(x[pick % x.length] - m)) / sx);
          const cutLo = onLine > 0 && onLine < 1 ? onLine : Math.fround(eps);
          const cutHi = Math.fround(cutLo * (1 + ulps * 2 ** -23));
          const keepFrom = keepFromOf(x, null, x.length, m, mtk, st);
          const a = f32(vals);
          expTotal(a, null, a.length, tot); // the blocks the dense scan reads
          if (!fastCutoff(a, null, a.length, m, sx * (1 + rel * err), err, cutLo, cutHi, keepFrom, -Infinity, st, null)) {
            gaveUp++;
            expectSameRow(a, x);
            return;
          }
          for (const cut of [cutLo, cutHi]) {
            const b = f32(vals);
            exactCutoff(b, null, b.length, m, sx, cut, keepFrom, -Infinity, null);
            expectSameRow(a, b);
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(gaveUp).toBeGreaterThan(0);
  });

  it('gives up on a cell on the line, dense and over candidates', () => {
    const st = new CutoffScratch();
    const tot = expTotalResult();
    for (let seed = 1; seed <= 20; seed++) {
      const { x, eps } = lineRow(3000, seed);
      const a = Float32Array.from(x);
      expTotal(a, null, a.length, tot);
      expect(fastCutoff(a, null, a.length, tot.max, tot.sum, expTotalErrorBound(a.length), eps, eps, tot.max, -Infinity, st, null)).toBe(false);
      expectSameRow(a, x);
      const { y, cands } = truncated(x, 500);
      expect(y[1]).toBe(x[1]);
      const b = Float32Array.from(y);
      const ids = Int32Array.from(cands.ids).sort();
      expTotal(b, ids, cands.size, tot);
      const e2 = lineOf(y, 1);
      expect(fastCutoff(b, ids, cands.size, tot.max, tot.sum, expTotalErrorBound(cands.size), e2, e2, tot.max, -Infinity, st, cands)).toBe(false);
      expectSameRow(b, y);
    }
  });
});

describe('epsilonCutoff and etaCutoff: the exact route’s row', () => {
  const cases = [
    { name: 'epsilonCutoff', make: epsilonCutoff, exact: epsilonExact },
    { name: 'etaCutoff', make: etaCutoff, exact: etaExact },
  ];
  for (const c of cases) {
    it(`${c.name}: LM-shaped rows of 5,000 cells, dense and after a truncation, cells on the line included`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 ** 30 }),
          fc.constantFrom(3e-5, 3e-4, 1e-3, 2e-3, 9e-3, 0.05),
          fc.integer({ min: 1, max: 3 }),
          fc.boolean(),
          (seed, eps0, mtk, onLine) => {
            const line = lineRow(5000, seed);
            const x = onLine ? line.x : lmRow(5000, seed);
            // on the line: eps is cell 1's probability, the cutoff itself where eta = min(eps, …) is eps
            const eps = onLine ? line.eps : eps0;
            const want = c.exact(Float32Array.from(x), eps, mtk);
            expectSameRow(c.make(eps, { minTokensToKeep: mtk })(Float32Array.from(x)), want);
            expectSameRow(c.make(eps, { minTokensToKeep: mtk, filterValue: -1e4 })(Float32Array.from(x)), c.exact(Float32Array.from(x), eps, mtk, -1e4));
            const { y, cands } = truncated(x, 800);
            c.make(eps, { minTokensToKeep: mtk }).sparse!(y, cands);
            expectSameRow(y, c.exact(truncated(x, 800).y, eps, mtk));
            expect(cands.size).toBe(y.filter((v) => v > -Infinity).length);
          },
        ),
        { numRuns: 1000 },
      );
    });
  }
});
