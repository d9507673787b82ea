/**
 * Properties and examples of the llama.cpp-family processors (the reference vectors are in
 * llama-parity.test.ts and llama-vectors.test.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { dry } from '../../src/processors/dry/dry.js';
import { drySequenceBreakers } from '../../src/processors/dry/dry-breakers.js';
import { dynamicTemperature } from '../../src/processors/dynamic-temperature.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { topK } from '../../src/processors/top-k/top-k.js';
import { topKExact } from '../../src/processors/top-k/top-k-exact.js';
import { topNSigma } from '../../src/processors/top-n-sigma.js';
import { xtc } from '../../src/processors/xtc.js';
import { checkCandidateMethods, expectSameRow, f32, rowArb } from './warp-props.js';

const RUNS = { numRuns: 1000 };

/**
 * DRY written out from the spec, O(N²): for each shift k the longest common suffix of the window and
 * the window without its last k tokens, capped by the tokens after the most recent breaker.
 */
function dryReference(
  window: number[],
  V: number,
  o: { multiplier: number; base: number; allowedLength: number; breakers: number[][] },
): Map<number, number> {
  const N = window.length;
  const rat = (i: number) => window[N - 1 - i];
  let limit = N;
  outer: for (let i = 0; i < N; i++) {
    let best = -1;
    for (const b of o.breakers) {
      if (b[0] !== rat(i)) continue;
      const tail = b.slice(1);
      if (tail.length > i || tail.length <= best) continue;
      if (tail.every((t, j) => rat(i - 1 - j) === t)) best = tail.length;
    }
    if (best >= 0) {
      limit = i - best;
      break outer;
    }
  }
  const out = new Map<number, number>();
  if (N <= o.allowedLength || limit < o.allowedLength) return out;
  const L = new Map<number, number>();
  for (let k = 1; k < N; k++) {
    let n = 0;
    while (n + k < N && rat(n) === rat(n + k)) n++;
    const len = Math.min(n, limit);
    if (len < o.allowedLength) continue;
    const c = rat(k - 1);
    if (c >= V) continue;
    L.set(c, Math.max(L.get(c) ?? -1, len));
  }
  const single = new Set(o.breakers.filter((b) => b.length === 1).map((b) => b[0]));
  const bf = Math.fround(o.base);
  const maxExp = bf > Math.fround(1.000001) ? Math.trunc(Math.fround(Math.fround(88.7228391) / Math.fround(Math.log(bf)))) : 0;
  for (const [c, len] of L) {
    if (single.has(c)) continue;
    let e = len - o.allowedLength;
    if (maxExp > 0 && e > maxExp) e = maxExp;
    out.set(c, Math.fround(Math.fround(o.multiplier) * Math.pow(bf, e)));
  }
  return out;
}

const dryArb = fc.record({
  history: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 60 }),
  multiplier: fc.constantFrom(0.8, 1, 2.5),
  base: fc.constantFrom(1, 1.1, 1.75, 3),
  allowedLength: fc.integer({ min: 0, max: 4 }),
  penaltyLastN: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 40 })),
  breakers: fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
});

describe('dry: properties', () => {
  it('equals the O(N²) reference written from the spec (windows, breakers, exponent cap); TokenHistory = array', () => {
    fc.assert(
      fc.property(dryArb, (c) => {
        const V = 6;
        const proc = dry({ multiplier: c.multiplier, base: c.base, allowedLength: c.allowedLength, penaltyLastN: c.penaltyLastN, sequenceBreakers: c.breakers });
        const row = new Float32Array(V).fill(1);
        proc(row, c.history);
        const window = c.penaltyLastN < 0 ? c.history : c.history.slice(-c.penaltyLastN);
        const ref = dryReference(window, V, { ...c, breakers: c.breakers });
        for (let id = 0; id < V; id++) expect(row[id]).toBe(Math.fround(1 - (ref.get(id) ?? 0)));
        const row2 = new Float32Array(V).fill(1);
        proc(row2, new TokenHistory(c.history));
        expectSameRow(row2, row);
      }),
      RUNS,
    );
  });

  it('never penalises a token whose repeat would be ≤ allowedLength, nor across the most recent breaker', () => {
    fc.assert(
      fc.property(dryArb, fc.integer({ min: 0, max: 5 }), (c, brk) => {
        const V = 6;
        const proc = dry({ multiplier: 1, base: c.base, allowedLength: Math.max(1, c.allowedLength), penaltyLastN: -1, sequenceBreakers: [[brk]] });
        const allowed = Math.max(1, c.allowedLength);
        const h = c.history;
        const row = new Float32Array(V);
        proc(row, h);
        // tokens after the most recent breaker
        const lastBreak = h.lastIndexOf(brk);
        const after = h.slice(lastBreak + 1);
        for (let id = 0; id < V; id++) {
          if (row[id] === 0) continue;
          expect(id).not.toBe(brk);
          // a penalised id extends a repeat: the last `allowed` tokens (all after the breaker)
          // occurred earlier followed by id
          expect(after.length).toBeGreaterThanOrEqual(allowed);
          const suffix = h.slice(h.length - allowed);
          let found = false;
          for (let j = allowed; j < h.length; j++) {
            if (h[j] === id && suffix.every((t, q) => h[j - allowed + q] === t)) found = true;
          }
          expect(found).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('the window is what counts: the same last N tokens give the same penalties whatever came before', () => {
    fc.assert(
      fc.property(dryArb, fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 }), (c, prefix) => {
        const n = Math.max(1, c.penaltyLastN);
        const proc = dry({ multiplier: 1, penaltyLastN: n, allowedLength: c.allowedLength, sequenceBreakers: c.breakers });
        const a = new Float32Array(6);
        const b = new Float32Array(6);
        proc(a, [...prefix, ...c.history].slice(-n));
        proc(b, [...prefix, ...c.history]);
        expectSameRow(a, b);
      }),
      RUNS,
    );
  });
});

describe('dry: examples and errors', () => {
  it('penalises the token that would continue "0 1" (llama.cpp test case 2)', () => {
    const row = new Float32Array(4);
    dry({ multiplier: 1, base: 1.1, allowedLength: 2, penaltyLastN: 5 })(row, [0, 1, 2, 0, 1]);
    expect(Array.from(row)).toEqual([0, 0, -1, 0]);
  });
  it('a multi-token breaker caps the repeat at the tokens after its end', () => {
    // "7 8" is a breaker: the repeat "1 2 3" only counts from after it ("1 2 3" → limit 3)
    const row = new Float32Array(10);
    dry({ multiplier: 1, base: 2, allowedLength: 2, penaltyLastN: -1, sequenceBreakers: [[7, 8]] })(row, [1, 2, 3, 4, 7, 8, 1, 2, 3]);
    expect(row[4]).toBe(-2); // "1 2 3" repeats (length 3 → 2^(3−2))
    const row2 = new Float32Array(10);
    dry({ multiplier: 1, base: 2, allowedLength: 2, penaltyLastN: -1, sequenceBreakers: [[7, 8]] })(row2, [1, 2, 3, 4, 7, 8, 2, 3]);
    expect(row2[4]).toBe(-1); // only "2 3" is after the breaker
  });
  it('validates options', () => {
    expect(() => dry({ multiplier: 1, base: 0.5 })).toThrow(/base must be ≥ 1/);
    expect(() => dry({ multiplier: 1, penaltyLastN: -2 })).toThrow(RangeError);
    expect(() => dry({ multiplier: 1, sequenceBreakers: [[]] })).toThrow(/empty/);
    expect(() => dry({ multiplier: 1, allowedLenght: 2 } as never)).toThrow(/allowedLength/);
    expect(() => dry({ multiplier: NaN })).toThrow(/multiplier/);
    expect(() => dry({ multiplier: 1 })(new Float32Array(2))).toThrow(/history/);
  });
  it('drySequenceBreakers: whole-token, partial (head + tokenized rest) and byte-level matches', () => {
    const vocab = ['a', 'b', '\n', 'x:', '*', '*a', 'é'];
    const encode = (s: string) => (vocab.includes(s) ? [vocab.indexOf(s)] : Array.from(s, (ch) => vocab.indexOf(ch)));
    expect(drySequenceBreakers(['\n', ':', '*a'], { vocabSize: 7, decode: (id) => vocab[id], encode })).toEqual([[2], [3], [4, 0], [5]]);
    // a token holding the first byte of "é" alone starts a breaker "é!"
    const bytes = [Uint8Array.of(0xc3), Uint8Array.of(0xa9), Uint8Array.of(0x21)];
    const out = drySequenceBreakers(['é!'], { vocabSize: 3, decode: (id) => bytes[id], encode: () => [1, 2] });
    expect(out).toEqual([[0, 1, 2]]);
    expect(() => drySequenceBreakers(['x'], { vocabSize: 1, decode: () => 'x', encode: () => [], vocab: 1 } as never)).toThrow(/unknown option "vocab"/);
  });
});

describe('xtc: properties', () => {
  it('probability 0 (or threshold > 0.5) is the identity and draws nothing', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 1, noNaN: true }), (vals, t) => {
        const rng = createRng(1);
        const x = f32(vals);
        xtc({ probability: 0, threshold: t, rng })(x);
        expectSameRow(x, f32(vals));
        const y = f32(vals);
        xtc({ probability: 1, threshold: 0.5 + 1e-6, rng })(y);
        expectSameRow(y, f32(vals));
        expect(rng.getState()).toEqual(createRng(1).getState());
      }),
      RUNS,
    );
  });

  it('removes only tokens ≥ threshold, never the least probable of them, keeps ≥ minTokensToKeep', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer({ min: 0, max: 8 }), fc.integer(), (vals, t, mtk, seed) => {
        const x = f32(vals);
        const before = f32(vals);
        xtc({ probability: 1, threshold: t, minTokensToKeep: mtk, rng: createRng(seed) })(x);
        let m = -Infinity;
        for (const v of before) if (v > m) m = v;
        let s = 0;
        for (const v of before) s += Math.exp(v - m);
        const p = Array.from(before, (v) => Math.exp(v - m) / s);
        const removed = [...x.keys()].filter((i) => x[i] !== before[i]);
        const finite = before.filter((v) => v !== -Infinity).length;
        if (removed.length === 0) return;
        for (const i of removed) {
          expect(x[i]).toBe(-Infinity);
          expect(p[i]).toBeGreaterThanOrEqual(Math.fround(t) * (1 - 1e-6));
        }
        // the least probable token at or above the threshold stays
        const above = p.map((q, i) => [q, i] as const).filter(([q, i]) => before[i] !== -Infinity && q >= Math.fround(t) * (1 - 1e-6));
        const kept = above.filter(([, i]) => x[i] !== -Infinity);
        expect(kept.length).toBeGreaterThanOrEqual(1);
        expect(finite - removed.length).toBeGreaterThanOrEqual(Math.max(1, mtk));
      }),
      RUNS,
    );
  });

  it('sparse on a candidate superset leaves the plain row', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: 0, max: 0.5, noNaN: true }), fc.integer(), (vals, t, seed) => {
        checkCandidateMethods(() => xtc({ probability: 0.7, threshold: t, rng: createRng(seed) }), vals, seed);
      }),
      RUNS,
    );
  });

  it('validates options', () => {
    expect(() => xtc({ probability: 1.5 })).toThrow(/probability/);
    expect(() => xtc({ probability: 0.5, threshold: -1 })).toThrow(/threshold/);
    expect(() => xtc({ probability: 0.5, rng: {} as never })).toThrow(/rng/);
    expect(() => xtc({ probabilty: 0.5 } as never)).toThrow(/did you mean "probability"/);
  });
});

describe('topNSigma: properties', () => {
  it('keeps the max, keeps exactly the cells ≥ max − n·σ, and sparse = plain', () => {
    fc.assert(
      fc.property(rowArb(), fc.double({ min: -1, max: 4, noNaN: true }), fc.integer(), (vals, n, seed) => {
        const x = f32(vals);
        topNSigma(n)(x);
        const finite = vals.filter((v) => v !== -Infinity);
        if (finite.length > 0) {
          const m = Math.max(...f32(finite));
          expect(Array.from(x)).toContain(m);
        }
        if (!(Math.fround(n) > 0)) expectSameRow(x, f32(vals));
        // kept set: float64 σ agrees with the float32 one except at the boundary
        const nf = Math.fround(n);
        if (finite.length > 1 && nf > 0) {
          const fv = Array.from(f32(finite));
          const mean = fv.reduce((a, b) => a + b, 0) / fv.length;
          const sd = Math.sqrt(fv.reduce((a, b) => a + (b - mean) ** 2, 0) / fv.length);
          const cut = Math.max(...fv) - nf * sd;
          const input = f32(vals);
          for (let i = 0; i < x.length; i++) {
            if (input[i] === -Infinity) continue;
            if (input[i] > cut + 1e-4 * (1 + Math.abs(cut))) expect(x[i]).toBe(input[i]);
            if (input[i] < cut - 1e-4 * (1 + Math.abs(cut))) expect(x[i]).toBe(-Infinity);
          }
        }
        checkCandidateMethods(() => topNSigma(n), vals, seed);
      }),
      RUNS,
    );
  });

  it('is invariant to a temperature before it (on logits, as the paper says)', () => {
    const row = Float32Array.from([4, 2, 1, 0.5, -1]);
    const a = topNSigma(1)(Float32Array.from(row)).map((v) => (v === -Infinity ? 0 : 1));
    const b = topNSigma(1)(row.map((v) => v / 2)).map((v) => (v === -Infinity ? 0 : 1));
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('dynamicTemperature: properties', () => {
  it('range ≤ 0 is a plain temperature; T stays in [temp − range, temp + range]; sparse = plain', () => {
    fc.assert(
      fc.property(rowArb({ negInf: true }), fc.double({ min: 0.1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (vals, t, r, seed) => {
        const x = f32(vals);
        dynamicTemperature({ temp: t, range: 0 })(x);
        const ft = Math.fround(t);
        expectSameRow(x, f32(vals).map((v) => v / ft));
        const y = f32(vals);
        dynamicTemperature({ temp: t, range: r, exponent: 1 })(y);
        const input = f32(vals);
        if (Math.fround(r) > 0 && input.filter((v) => v !== -Infinity).length <= 1) expectSameRow(y, input); // llama.cpp: no-op
        else for (let i = 0; i < y.length; i++) {
          if (input[i] === -Infinity || Math.abs(input[i]) < 1e-3 || y[i] === -Infinity) continue;
          const T = input[i] / y[i];
          if (T > 0) {
            expect(T).toBeGreaterThanOrEqual(Math.max(0, t - r) * (1 - 1e-4));
            expect(T).toBeLessThanOrEqual((t + r) * (1 + 1e-4));
          }
        }
        checkCandidateMethods(() => dynamicTemperature({ temp: t, range: r }), vals, seed);
      }),
      RUNS,
    );
  });
  it('the division by T is exact: every float32 cell (subnormal, huge, ±0, ±Infinity) comes out as v / T rounded to float32', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 64 }),
        fc.float({ min: Math.fround(1e-45), max: Math.fround(3e38), noNaN: true }),
        (vals, t) => {
          const x = f32(vals);
          dynamicTemperature({ temp: t, range: 0 })(x);
          expectSameRow(x, f32(vals).map((v) => v / t));
        },
      ),
      RUNS,
    );
  });
  it('temp 0 keeps the first largest logit only (llama.cpp greedy)', () => {
    expect(Array.from(dynamicTemperature({ temp: 0 })(Float32Array.from([1, 3, 3, 2])))).toEqual([-Infinity, 3, -Infinity, -Infinity]);
  });
  it('temp ≤ 0 keeps the first largest cell, every other one -Infinity; the candidate paths agree (property)', () => {
    fc.assert(
      fc.property(rowArb(), fc.constantFrom(0, -0.5), fc.integer(), (vals, t, seed) => {
        const x = f32(vals);
        let best = 0;
        for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        const want = x.map((v, i) => (i === best ? v : -Infinity));
        dynamicTemperature({ temp: t })(x);
        expectSameRow(x, want);
        checkCandidateMethods(() => dynamicTemperature({ temp: t }), vals, seed);
      }),
      RUNS,
    );
  });
});

describe('topKExact (llama.cpp top-k)', () => {
  it('keeps exactly min(k, finite) tokens, those topK keeps, ties to the lower ids; candidate paths agree', () => {
    fc.assert(
      fc.property(rowArb(), fc.integer({ min: 1, max: 10 }), fc.integer(), (vals, k, seed) => {
        const x = f32(vals);
        topKExact(k)(x);
        const y = f32(vals);
        topK(k)(y);
        const finite = vals.filter((v) => v !== -Infinity).length;
        const kept = [...x.keys()].filter((i) => x[i] !== -Infinity);
        expect(kept.length).toBe(Math.min(k, finite));
        for (const i of kept) expect(y[i]).toBe(x[i]);
        checkCandidateMethods(() => topKExact(k), vals, seed);
        const z = f32(vals);
        pipeline(topKExact(k), topNSigma(1))(z);
        const w = f32(vals);
        topNSigma(1)(topKExact(k)(w));
        expectSameRow(z, w);
      }),
      RUNS,
    );
  });
});
