import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { typicalBySelect, typicalP } from '../../src/processors/typical-p/typical-p.js';
import { DONE, TypicalScratch } from '../../src/processors/typical-p/scratch.js';
import { parityCases, warperOptions } from './warp-parity.js';
import { checkCandidateMethods, checkKeepsMinTokens, checkSparseOnLargeRows, f32, rowArb } from './warp-props.js';
import { typicalBySort, SortScratch } from '../../src/processors/typical-p/sorted.js';

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

/**
 * HF's TypicalLogitsWarper written out plainly in float64 (no float32 emulation, a full sort): an
 * independent reference. Returns the kept cells, or null when the row's outcome depends on float32
 * rounding (a cumulative probability within 1e-5 of the mass, or a distinct shift within 1e-5 of the
 * boundary shift or of the minTokensToKeep cut): those rows are not compared.
 */
function hfTypicalKept(vals: ArrayLike<number>, mass: number, mtk: number): Set<number> | null {
  const n = vals.length;
  const x = Array.from(vals, (v) => Math.fround(v));
  const m = Math.max(...x);
  if (m === -Infinity) return new Set(x.keys()); // all -inf: unchanged (nothing to compare but the row)
  // x − max is the one step taken in float32 as torch does (it decides which logits tie)
  const z = x.map((v) => Math.fround(v - m));
  let sum = 0;
  for (const v of z) sum += Math.exp(v);
  const logSum = Math.log(sum);
  const logp = z.map((v) => v - logSum);
  const p = logp.map((l) => Math.exp(l));
  let ent = 0;
  for (let i = 0; i < n; i++) if (p[i] > 0) ent -= p[i] * logp[i]; // nansum: 0 · -inf is skipped
  const shift = logp.map((l) => Math.abs(-l - ent));
  const order = [...x.keys()].sort((a, b) => shift[a] - shift[b] || a - b);
  let cum = 0;
  let last = 0;
  for (const i of order) {
    cum += p[i];
    if (Math.abs(cum - mass) < 1e-5) return null;
    if (cum < mass) last++;
  }
  last = Math.min(last, n - 1);
  const thr = shift[order[last]];
  const near = (a: number, b: number) => a !== b && Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
  const kept = new Set<number>();
  for (let q = 0; q < n; q++) {
    const i = order[q];
    if (near(shift[i], thr)) return null;
    if (shift[i] <= thr || q < mtk) kept.add(i);
  }
  // a removed cell whose shift nearly equals the minTokensToKeep cut (exact ties are cut by id,
  // lowest first: HF's order on the CPU and degen-guard's documented rule)
  const cut = shift[order[Math.min(mtk, n) - 1]];
  let splitsGroup = false;
  let inexact = false;
  for (let i = 0; i < n; i++) {
    if (shift[i] !== cut && !near(shift[i], cut)) continue;
    if (!kept.has(i)) splitsGroup = true;
    if (shift[i] !== cut) inexact = true;
  }
  if (splitsGroup && inexact) return null;
  return kept;
}

/** Checks a processed row against the reference: kept cells unchanged, removed ones the filter value. */
function expectHfTypical(got: Float32Array, vals: ArrayLike<number>, kept: Set<number>, filter: number): void {
  const allNegInf = Array.from(vals).every((v) => v === -Infinity);
  for (let i = 0; i < got.length; i++) {
    const want = allNegInf || kept.has(i) ? Math.fround(vals[i]) : filter;
    if (!Object.is(got[i], want) && got[i] !== want) {
      throw new Error(`cell ${i}: got ${got[i]}, HF reference ${want} (${kept.has(i) ? 'kept' : 'removed'})\n${Array.from(vals)}`);
    }
  }
}

/** A row of `n` LM-like logits (Zipf prior plus noise), quantised to `step` (0: not) so that many cells tie. */
function lmRow(n: number, seed: number, step: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(n);
  const sharp = 0.8 + rnd();
  for (let i = 0; i < n; i++) {
    const rank = 1 + ((i * 7919) % n);
    const noise = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const v = -sharp * Math.log(rank) + 0.8 * noise;
    x[i] = step > 0 ? Math.round(v / step) * step : v;
  }
  x[(seed * 31) % n] += 4 * rnd();
  return x;
}

describe('typicalP: equals a plain float64 reimplementation of HF', () => {
  it('on small rows with ties, any mass, minTokensToKeep and filter value (selection path included)', () => {
    let compared = 0;
    let runs = 0;
    let undecided = 0;
    const st = new TypicalScratch();
    fc.assert(
      fc.property(
        rowArb(),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(-Infinity, -1e4, 0),
        (vals, mass, mtk, filter) => {
          runs++;
          const kept = hfTypicalKept(vals, mass, mtk);
          if (kept === null) return;
          compared++;
          const got = f32(vals);
          typicalP(mass, { minTokensToKeep: mtk, filterValue: filter })(got);
          expectHfTypical(got, vals, kept, filter);
          const y = f32(vals);
          if (typicalBySelect(y, null, y.length, Math.fround(mass), mtk, filter, st, null) !== DONE) undecided++;
          else expectHfTypical(y, vals, kept, filter);
        },
      ),
      { numRuns: 1000 },
    );
    // most rows are decided away from float32 rounding, and by the selection itself (not the fallback)
    expect(compared).toBeGreaterThan(0.7 * runs);
    expect(undecided).toBeLessThan(20);
  });
  it('on LM-like rows of 5,000 cells with many ties', () => {
    const st = new TypicalScratch();
    let compared = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const row = lmRow(5000, seed, seed % 3 === 0 ? 1 / 8 : seed % 3 === 1 ? 1 / 64 : 0);
      for (const mass of [0.05, 0.2, 0.5, 0.9, 0.95, 0.999]) {
        for (const mtk of [1, 3, 100]) {
          const kept = hfTypicalKept(row, mass, mtk);
          if (kept === null) continue;
          compared++;
          const got = Float32Array.from(row);
          expect(typicalBySelect(got, null, got.length, Math.fround(mass), mtk, -Infinity, st, null)).toBe(DONE);
          expectHfTypical(got, row, kept, -Infinity);
        }
      }
    }
    expect(compared).toBeGreaterThan(120); // of 216
  });
  it('keeps every cell tied with the crossing shift, and the first minTokensToKeep', () => {
    // p = [.25, .25, .25, .25]: every shift is 0, all tied: nothing removed
    expect(Array.from(typicalP(0.3)(new Float32Array([1, 1, 1, 1])))).toEqual([1, 1, 1, 1]);
    // two symmetric pairs around H: the crossing pair survives whole
    const vals = [0, 0, 5, -Infinity];
    const kept = hfTypicalKept(vals, 0.2, 2);
    expect(kept).not.toBeNull();
    expectHfTypical(typicalP(0.2, { minTokensToKeep: 2 })(f32(vals)), vals, kept!, -Infinity);
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

/**
 * typicalP's documented numbers computed directly in float64 (Math.exp, a full sort by (shift, id),
 * the cumulative mass in that order): the kept ids, or null when the row's outcome may depend on the
 * 1e-8 accuracy of the library's exp (S or H within 1e-7 of a float32 rounding boundary, or a
 * cumulative mass within 1e-7 of the target at the crossing).
 */
function documentedKept(vals: Float32Array, mass: number, mtk: number): Set<number> | null {
  const n = vals.length;
  let m = -Infinity;
  for (const v of vals) m = Math.max(m, v);
  let S = 0;
  let D = 0;
  for (const v of vals) {
    if (v === -Infinity) continue;
    const e = Math.exp(v - m);
    S += e;
    D += e * (v - m);
  }
  const nearRounding = (y: number) => Math.fround(y * (1 - 1.2e-8)) !== Math.fround(y * (1 + 1.2e-8));
  if (nearRounding(S)) return null;
  const lse = Math.fround(Math.log(Math.fround(S)));
  const entD = Math.exp(-lse) * (lse * S - D);
  if (nearRounding(entD) || Math.abs(entD) < 1e-30) return null;
  const ent = Math.fround(entD);
  const ids = [...Array(n).keys()].filter((i) => vals[i] !== -Infinity);
  if (mtk >= ids.length) return new Set(ids);
  const sh = (v: number) => Math.fround(Math.abs(Math.fround(Math.fround(v - m) - lse) + ent));
  ids.sort((a, b) => sh(vals[a]) - sh(vals[b]) || a - b);
  const fm = Math.fround(mass);
  const below = new Float32Array([fm]);
  new Uint32Array(below.buffer)[0] -= 1;
  const mid = (below[0] + fm) / 2; // fround(acc) ≥ fm from here up
  let acc = 0;
  let limit = NaN;
  for (const i of ids) {
    const before = acc;
    acc += Math.exp(vals[i] - m) / S;
    if (Math.abs(acc - mid) < 2.5e-8 * fm || Math.abs(before - mid) < 2.5e-8 * fm) return null;
    if (Math.fround(acc) >= fm) {
      limit = sh(vals[i]);
      break;
    }
  }
  if (limit !== limit) return null;
  const kept = new Set<number>();
  ids.forEach((i, r) => {
    if (sh(vals[i]) <= limit || r < mtk) kept.add(i);
  });
  return kept;
}

/** A quantised LM-like row of `n` cells spanning ~`span` nats, some cells -Infinity. */
function wideRow(n: number, seed: number, step: number, span: number, negInf: number): Float32Array {
  const x = lmRow(n, seed, 0);
  let s = seed * 7 + 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const v = (x[i] * span) / 12;
    x[i] = rnd() < negInf ? -Infinity : step > 0 ? Math.round(v / step) * step : v;
  }
  return x;
}

describe('typicalP: the documented rule', () => {
  it('matches a direct float64 evaluation (full sort by shift and id) on rows with ties, bit for bit', () => {
    const st = new TypicalScratch();
    let compared = 0;
    let runs = 0;
    let undecided = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.constantFrom(0, 1 / 4, 1 / 16, 1 / 128),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        fc.constantFrom(0, 0, 0.3),
        fc.double({ min: 0.001, max: 0.9999, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (n, seed, step, span, negInf, mass, mtk) => {
          runs++;
          const row = wideRow(n, seed, step, span, negInf);
          const want = documentedKept(row, mass, mtk);
          if (want === null) return;
          const got = Float32Array.from(row);
          if (typicalBySelect(got, null, n, Math.fround(mass), mtk, -Infinity, st, null) !== DONE) {
            undecided++; // (a row whose interval reaches beyond the histogram's 39 nats)
            return;
          }
          compared++;
          for (let i = 0; i < n; i++) {
            const keep = want.has(i);
            if (got[i] !== (keep ? row[i] : -Infinity)) {
              throw new Error(`cell ${i} (${row[i]}): ${keep ? 'kept' : 'removed'} by the rule, got ${got[i]}`);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(compared).toBeGreaterThan(0.35 * runs); // about half: S and H are near a float32 rounding in the others
    expect(undecided).toBeLessThan(0.01 * runs);
  });
  it('matches it on rows with thousands of cells near the max (the shift histogram of the confident rows)', () => {
    const st = new TypicalScratch();
    let compared = 0;
    for (let seed = 1; seed <= 24; seed++) {
      // 8,000 cells in a band a few nats wide (quantised: ties), 12,000 far below
      const n = 20000;
      const band = wideRow(8000, seed, seed % 2 ? 1 / 64 : 0, 2 + (seed % 5), 0);
      const row = new Float32Array(n).fill(-30);
      for (let i = 0; i < 8000; i++) row[(i * 7919) % n] = band[i];
      for (const mass of [0.3, 0.9, 0.99]) {
        const want = documentedKept(row, mass, 1);
        if (want === null) continue;
        const got = Float32Array.from(row);
        expect(typicalBySelect(got, null, n, Math.fround(mass), 1, -Infinity, st, null)).toBe(DONE);
        compared++;
        for (let i = 0; i < n; i++) expect(got[i]).toBe(want.has(i) ? row[i] : -Infinity);
        // and the sparse call on the finite cells leaves the same row
        const y = Float32Array.from(row);
        const cands = { ids: Int32Array.from(y.keys()), size: n };
        typicalP(mass).sparse!(y, cands);
        expect(Array.from(y)).toEqual(Array.from(got));
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
  it('sparse on the survivors of large rows leaves the plain result', () => {
    checkSparseOnLargeRows((seed) => typicalP([0.2, 0.5, 0.9, 0.95, 0.99, 0.999][seed % 6], { minTokensToKeep: 1 + (seed % 3) }));
  });
  it('hands rows beyond its histogram to the sort-based rule', () => {
    // a max beyond ±65,536 (minTokensToKeep 2: the confident rows' way without a histogram takes 1 only)
    const big = Float32Array.from([1e6, 1e6 - 1, 1e6 - 2, 1e6 - 3]);
    const want = Float32Array.from(big);
    typicalBySort(want, null, 4, Math.fround(0.5), 2, -Infinity, new SortScratch(), null);
    expect(typicalBySelect(Float32Array.from(big), null, 4, Math.fround(0.5), 2, -Infinity, new TypicalScratch(), null)).not.toBe(DONE);
    expect(Array.from(typicalP(0.5, { minTokensToKeep: 2 })(Float32Array.from(big)))).toEqual(Array.from(want));
    // with 1, the row is decided without the histogram, as the sort-based rule decides it
    const want1 = Float32Array.from(big);
    typicalBySort(want1, null, 4, Math.fround(0.5), 1, -Infinity, new SortScratch(), null);
    expect(Array.from(typicalP(0.5)(Float32Array.from(big)))).toEqual(Array.from(want1));
  });
});
