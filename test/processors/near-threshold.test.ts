// Which cells the probability-based warpers may decide differently from torch, and nothing else.
//
// torch computes each probability from a float32 exp (its SIMD exp is not correctly rounded) and a
// float32 sum whose order depends on the CPU's vector width; the library rounds exp(x − max) / S,
// S summed in double, once to float32. The two can differ only where the keep/drop statistic lies
// within (n + 4) · 2⁻²⁴ (relative; n = finite cells of the row) of its threshold. Tested both ways:
// every HF cell the library decides differently lies inside that margin (and is one of the cells
// the fixture flags near_threshold), and outside it the library's decision is the exact one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Processor } from '../../src/core/types.js';
import { epsilonCutoff, minP, topP, typicalP } from '../../src/index.js';
import { loadHf, row, sameFloat, type HfCase } from '../helpers/fixtures.js';
import { warperOptions, type Params } from './warp-parity.js';

const U = 2 ** -24;
const margin = (n: number) => (n + 4) * U;

interface Finite {
  n: number;
  m: number;
  p: Float64Array; // exact probabilities (double)
}
function exactProbs(x: ArrayLike<number>): Finite {
  let m = -Infinity;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > m) m = x[i];
    if (x[i] > -Infinity) n++;
  }
  const p = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += p[i] = Math.exp(x[i] - m);
  for (let i = 0; i < x.length; i++) p[i] /= s;
  return { n, m, p };
}

/** Relative distance of a cell's statistic from its threshold, in exact arithmetic. */
type Distance = (x: ArrayLike<number>, col: number, params: Params) => number;

const minPDistance: Distance = (x, col, params) => {
  const { m } = exactProbs(x);
  const t = Math.fround(params.min_p);
  return Math.abs(Math.exp(x[col] - m) - t) / t;
};
const epsilonDistance: Distance = (x, col, params) => {
  const { p } = exactProbs(x);
  const t = Math.fround(params.epsilon);
  return Math.abs(p[col] - t) / t;
};
/** typicalP: the nearest cumulative mass (in the order of the shifts) to `mass`, or the nearest shift tie. */
const typicalDistance: Distance = (x, _col, params) => {
  const { p } = exactProbs(x);
  const ids = Array.from(x, (_, i) => i).filter((i) => x[i] > -Infinity);
  let h = 0;
  for (const i of ids) h -= p[i] > 0 ? p[i] * Math.log(p[i]) : 0;
  const shift = (i: number) => Math.abs(-Math.log(p[i]) - h);
  ids.sort((a, b) => shift(a) - shift(b));
  const mass = Math.fround(params.mass ?? 0.9);
  let best = Infinity;
  let cum = 0;
  for (let k = 0; k < ids.length; k++) {
    cum += p[ids[k]];
    best = Math.min(best, Math.abs(cum - mass) / mass);
    // shifts are differences of −log p and H: their rounding errors scale with those
    const scale = Math.max(h, -Math.log(p[ids[k]]), k > 0 ? -Math.log(p[ids[k - 1]]) : 0, 1e-300);
    if (k > 0) best = Math.min(best, Math.abs(shift(ids[k]) - shift(ids[k - 1])) / scale);
  }
  return best;
};

const warpers: { fixture: string; make: (p: Params) => Processor; distance: Distance; differing: number; flagged: number }[] = [
  { fixture: 'MinPLogitsWarper', make: (p) => minP(p.min_p, warperOptions(p)), distance: minPDistance, differing: 3, flagged: 8 },
  { fixture: 'EpsilonLogitsWarper', make: (p) => epsilonCutoff(p.epsilon, warperOptions(p)), distance: epsilonDistance, differing: 2, flagged: 3 },
  { fixture: 'TypicalLogitsWarper', make: (p) => typicalP(p.mass ?? 0.9, warperOptions(p)), distance: typicalDistance, differing: 1, flagged: 4 },
  { fixture: 'TopPLogitsWarper', make: (p) => topP(p.top_p, warperOptions(p)), distance: () => 0, differing: 0, flagged: 12 },
];

/** The cells of a case where the library's keep/drop differs from HF's (tie_split groups excluded). */
function differingCells(c: HfCase, proc: Processor): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r < (c.scores ?? []).length; r++) {
    const x = row(c.scores![r]);
    const got = proc(Float32Array.from(x));
    const tied = new Set((c.tie_split ?? []).filter((t) => t.row === r).flatMap((t) => t.tied_cols));
    for (let col = 0; col < x.length; col++) {
      if (!tied.has(col) && !sameFloat(got[col], c.expected![r][col])) out.push([r, col]);
    }
  }
  return out;
}

describe('HF vectors: the cells decided differently from torch', () => {
  for (const w of warpers) {
    it(`${w.fixture}: ${w.differing} of the ${w.flagged} near_threshold cells, each within (n + 4)·2⁻²⁴ of its threshold; no other cell`, () => {
      let differing = 0;
      let flagged = 0;
      for (const c of loadHf(w.fixture).cases) {
        if (!c.scores || !c.expected) continue;
        flagged += (c.near_threshold ?? []).length;
        const proc = w.make(c.params);
        for (const [r, col] of differingCells(c, proc)) {
          differing++;
          const isFlagged = (c.near_threshold ?? []).some(([rr, cc]) => rr === r && cc === col);
          expect(isFlagged, `${c.name} [${r}, ${col}] is not flagged near_threshold`).toBe(true);
          const x = row(c.scores[r]);
          const n = x.filter((v) => v > -Infinity).length;
          expect(w.distance(x, col, c.params), `${c.name} [${r}, ${col}]`).toBeLessThanOrEqual(margin(n));
        }
      }
      expect([differing, flagged]).toEqual([w.differing, w.flagged]);
    });
  }
});

describe('outside the margin the decision is the exact one (random rows)', () => {
  const rows = fc
    .tuple(fc.array(fc.float({ min: -12, max: 12, noNaN: true }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 3 }))
    .map(([vals, mode]) => {
      // mode 1: logits that are logs of round probabilities (statistics exactly at thresholds)
      const x = Float32Array.from(vals, (v, i) => (mode === 1 ? Math.log(((i % 9) + 1) / 20) : v));
      if (mode === 2) for (let i = 0; i < x.length; i += 3) x[i] = -Infinity;
      if (!x.some((v) => v > -Infinity)) x[0] = 0;
      return x;
    });
  const level = fc.constantFrom(0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 0.01, 0.001);

  it('minP: a cell is removed iff exp(x − max) < fround(p), wherever |exp(x − max) / fround(p) − 1| > (n + 4)·2⁻²⁴', () => {
    fc.assert(
      fc.property(rows, level, (x, p) => {
        const { n, m } = exactProbs(x);
        const out = minP(p)(Float32Array.from(x));
        const t = Math.fround(p);
        for (let i = 0; i < x.length; i++) {
          if (x[i] === m || !(x[i] > -Infinity)) continue;
          const r = Math.exp(x[i] - m);
          if (Math.abs(r - t) / t <= margin(n)) continue;
          expect(out[i] === -Infinity, `cell ${i}`).toBe(r < t);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('epsilonCutoff: a cell is removed iff p < fround(ε), wherever |p / fround(ε) − 1| > (n + 4)·2⁻²⁴', () => {
    fc.assert(
      fc.property(rows, level, (x, eps) => {
        const { n, m, p } = exactProbs(x);
        const out = epsilonCutoff(eps)(Float32Array.from(x));
        const t = Math.fround(eps);
        for (let i = 0; i < x.length; i++) {
          if (x[i] === m || !(x[i] > -Infinity)) continue;
          if (Math.abs(p[i] - t) / t <= margin(n)) continue;
          expect(out[i] === -Infinity, `cell ${i}`).toBe(p[i] < t);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('typicalP: the kept set is the exact one unless a cumulative mass or a shift tie is within (n + 4)·2⁻²⁴', () => {
    fc.assert(
      fc.property(rows, fc.constantFrom(0.2, 0.5, 0.9, 0.95), (x, mass) => {
        const { n, p } = exactProbs(x);
        if (typicalDistance(x, 0, { mass }) <= margin(n)) return;
        const ids = Array.from(x, (_, i) => i).filter((i) => x[i] > -Infinity);
        let h = 0;
        for (const i of ids) h -= p[i] > 0 ? p[i] * Math.log(p[i]) : 0;
        const shift = (i: number) => Math.abs(-Math.log(p[i]) - h);
        ids.sort((a, b) => shift(a) - shift(b) || a - b);
        // HF: last = count(cum < mass), clamped; keep shift ≤ shift[last]
        let cum = 0;
        let last = 0;
        for (const i of ids) if ((cum += p[i]) < Math.fround(mass)) last++;
        last = Math.min(last, ids.length - 1);
        const keep = new Set(ids.filter((i) => shift(i) <= shift(ids[last])));
        const out = typicalP(mass)(Float32Array.from(x));
        for (const i of ids) expect(out[i] > -Infinity, `cell ${i}`).toBe(keep.has(i));
      }),
      { numRuns: 1000 },
    );
  });
});
