import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logSoftmaxWith, offerLogits, offerLogProbs, rowLogSumExp, rowTerms } from '../../src/decoding/beam-continuations.js';
import { TopEntries } from '../../src/core/top-entries.js';

const f = Math.fround;

/** A row of V cells from a seed: quantised values (many ties) or spread ones, some -Infinity, a few lifted. */
function makeRow(V: number, seed: number, quantum: number, spread: number, banned: number): Float32Array {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
  const row = new Float32Array(V);
  for (let t = 0; t < V; t++) {
    let v = (next() - 0.5) * spread;
    if (quantum > 0) v = Math.round(v / quantum) * quantum;
    if (next() < 0.01) v += spread; // a few tokens well above the rest
    row[t] = next() < banned ? -Infinity : v;
  }
  return row;
}

/** Every candidate of every row, value float32(float32(float32(x − max) − L) + score), sorted as the heap ranks them. */
function reference(rows: Float32Array[], scores: number[], keep: number): { values: number[]; indexes: number[] } {
  const all: [number, number][] = [];
  rows.forEach((row, i) => {
    const terms = rowTerms(row.length);
    rowLogSumExp(row, row.length, terms);
    if (Number.isNaN(terms.lse)) return;
    for (let t = 0; t < row.length; t++) {
      const s = f(f(f(row[t] - terms.max) - terms.lse) + scores[i]);
      if (!Number.isNaN(s)) all.push([s, i * row.length + t]);
    }
  });
  all.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const top = all.slice(0, keep);
  return { values: top.map((e) => e[0]), indexes: top.map((e) => e[1]) };
}

const rowsArb = fc.record({
  V: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 200, max: 1500 })),
  seeds: fc.array(fc.integer({ min: 1, max: 2 ** 31 }), { minLength: 1, maxLength: 4 }),
  quantum: fc.constantFrom(0, 0.25, 1, 2 ** -20),
  spread: fc.constantFrom(1, 8, 40, 300),
  banned: fc.constantFrom(0, 0.3, 0.95, 1),
  scores: fc.array(fc.oneof(fc.constant(0), fc.constant(-1e9), fc.float({ min: -50, max: 0, noNaN: true }).map(f)), { minLength: 4, maxLength: 4 }),
  keep: fc.integer({ min: 1, max: 12 }),
});

describe('beam continuations: from raw logits and from the log-softmax row', () => {
  it('offerLogits (raw row, block skipping) and logSoftmaxWith + offerLogProbs keep the same entries, which are the first `keep` of the stably sorted candidates (property)', () => {
    fc.assert(
      fc.property(rowsArb, ({ V, seeds, quantum, spread, banned, scores, keep }) => {
        const rows = seeds.map((seed) => makeRow(V, seed, quantum, spread, banned));
        const fast = new TopEntries(0);
        const full = new TopEntries(0);
        fast.reset(keep);
        full.reset(keep);
        const terms = rowTerms(V);
        const lp = new Float32Array(V);
        rows.forEach((row, i) => {
          rowLogSumExp(row, V, terms);
          if (!Number.isNaN(terms.lse)) offerLogits(fast, keep, row, V, terms, scores[i], i * V);
          logSoftmaxWith(row, lp, V, terms);
          offerLogProbs(full, keep, lp, V, scores[i], i * V);
        });
        fast.sorted();
        full.sorted();
        const want = reference(rows, scores, keep);
        expect(Array.from(fast.values.subarray(0, fast.size))).toEqual(want.values);
        expect(Array.from(fast.indexes.subarray(0, fast.size))).toEqual(want.indexes);
        expect(Array.from(full.values.subarray(0, full.size))).toEqual(want.values);
        expect(Array.from(full.indexes.subarray(0, full.size))).toEqual(want.indexes);
      }),
      { numRuns: 1000 },
    );
  });

  it('rowLogSumExp: L is within 2⁻²⁴ + half a float32 ulp of the exact log Σ exp(x − max), and no cell exceeds its block bound (property)', () => {
    fc.assert(
      fc.property(rowsArb, ({ V, seeds, quantum, spread, banned }) => {
        const row = makeRow(V, seeds[0], quantum, spread, banned);
        const terms = rowTerms(V);
        rowLogSumExp(row, V, terms);
        let m = -Infinity;
        for (const v of row) m = Math.max(m, v);
        expect(terms.max === m).toBe(true); // +0 and -0 are the same max
        if (m === -Infinity) {
          expect(terms.lse).toBeNaN();
          return;
        }
        let s = 0;
        for (const v of row) s += Math.exp(v - m);
        const exact = Math.log(s);
        const ulp = exact === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
        expect(Math.abs(terms.lse - exact)).toBeLessThanOrEqual(2 ** -24 + ulp / 2);
        expect(terms.blocks).toBe(Math.ceil(V / 256));
        let over = -1;
        for (let t = 0; t < V; t++) if (row[t] > terms.ceilings[t >> 8]) over = t;
        expect(over).toBe(-1);
      }),
      { numRuns: 1000 },
    );
  });

  it('a row of -Infinity has no log-softmax: L is NaN and the full row becomes NaN (as torch)', () => {
    const row = new Float32Array(3).fill(-Infinity);
    const terms = rowTerms(3);
    rowLogSumExp(row, 3, terms);
    expect(terms.lse).toBeNaN();
    const lp = new Float32Array(3);
    logSoftmaxWith(row, lp, 3, terms);
    expect(Array.from(lp).every(Number.isNaN)).toBe(true);
  });

  it('two equal rows: ties go to the smaller index, so to the first beam (as HF topk over the flattened scores)', () => {
    const row = Float32Array.from([0, 1, 1, 0]);
    const top = new TopEntries(0);
    top.reset(3);
    const terms = rowTerms(4);
    for (let i = 0; i < 2; i++) {
      rowLogSumExp(row, 4, terms);
      offerLogits(top, 3, row, 4, terms, 0, i * 4);
    }
    top.sorted();
    expect(Array.from(top.indexes.subarray(0, 3))).toEqual([1, 2, 5]);
  });
});
