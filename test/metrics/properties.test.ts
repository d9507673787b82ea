import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NgramCounter } from '../../src/metrics/ngram-counter.js';
import { distinct } from '../../src/metrics/distinct.js';
import { ngramRepeatMask } from '../../src/metrics/repeat-mask.js';
import { roundHalfEven } from '../../src/metrics/round-half-even.js';
import { meanSeqRep, seqRep, uniqSeq } from '../../src/metrics/seq-rep.js';
import { diversity, repN, simctgMetrics } from '../../src/metrics/simctg.js';
import { splitWords } from '../../src/metrics/split-words.js';
import { rep, tokenRepCounts, wrep } from '../../src/metrics/token-rep.js';

const RUNS = { numRuns: 1000 };
const ids = (max = 5, maxLength = 40) => fc.array(fc.integer({ min: 0, max }), { maxLength });
const rename = (xs: number[], k: number) => xs.map((x) => x * 7919 + k);

/** Straightforward reference: |set of n-gram strings|. */
function distinctRef(xs: ArrayLike<unknown>, n: number): number {
  const set = new Set<string>();
  for (let i = 0; i + n <= xs.length; i++) set.add(JSON.stringify(Array.from(xs).slice(i, i + n)));
  return set.size;
}

describe('seq-rep-n', () => {
  it('matches the definition, stays in [0, 1), NaN only when shorter than n', () => {
    fc.assert(
      fc.property(ids(), fc.integer({ min: 1, max: 5 }), (xs, n) => {
        const v = seqRep(xs, n);
        if (xs.length < n) {
          expect(v).toBeNaN();
          return;
        }
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
        expect(v).toBe(1 - distinctRef(xs, n) / (xs.length - n + 1));
      }),
      RUNS,
    );
  });

  it('is 0 without a repeated n-gram, (k−1)/k for k identical n-grams, and 1 − m/(km−n+1) for a k-fold block', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), (m, k, n) => {
        const block = Array.from({ length: m }, (_, i) => 100 + i);
        expect(seqRep(block, 1)).toBe(m >= 1 ? 0 : NaN);
        const seq = Array.from({ length: k }, () => block).flat();
        expect(seqRep(seq, 1)).toBeCloseTo((k - 1) / k, 12);
        if (k * m >= n && m >= n) expect(seqRep(seq, n)).toBeCloseTo(1 - Math.min(m, k * m - n + 1) / (k * m - n + 1), 12);
        const same = Array.from({ length: k + n - 1 }, () => 7);
        expect(seqRep(same, n)).toBeCloseTo((k - 1) / k, 12);
      }),
      RUNS,
    );
  });

  it('is invariant to renaming ids, and the same on words as on ids', () => {
    fc.assert(
      fc.property(ids(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }), (xs, n, k) => {
        expect(seqRep(rename(xs, k), n)).toEqual(seqRep(xs, n));
        expect(seqRep(xs.map((x) => `w${x}`), n)).toEqual(seqRep(xs, n));
        expect(seqRep(Int32Array.from(xs), n)).toEqual(seqRep(xs, n));
      }),
      RUNS,
    );
  });

  it('meanSeqRep is the mean over sequences of at least n tokens; uniqSeq counts distinct tokens', () => {
    fc.assert(
      fc.property(fc.array(ids(4, 12), { maxLength: 6 }), fc.integer({ min: 1, max: 4 }), (seqs, n) => {
        const kept = seqs.filter((s) => s.length >= n);
        const want = kept.length ? kept.reduce((a, s) => a + seqRep(s, n), 0) / kept.length : NaN;
        expect(meanSeqRep(seqs, n)).toEqual(want);
        expect(uniqSeq(seqs)).toBe(new Set(seqs.flat()).size);
        if (kept.length < seqs.length) expect(() => meanSeqRep(seqs, n, { tooShort: 'error' })).toThrow(RangeError);
      }),
      RUNS,
    );
  });

  it('ngramRepeatMask marks exactly the windows seen before', () => {
    fc.assert(
      fc.property(ids(3, 30), fc.integer({ min: 1, max: 4 }), (xs, n) => {
        const want = new Array(xs.length).fill(0);
        const seen = new Set<string>();
        for (let j = 0; j + n <= xs.length; j++) {
          const key = xs.slice(j, j + n).join(',');
          if (seen.has(key)) want.fill(1, j, j + n);
          seen.add(key);
        }
        expect(Array.from(ngramRepeatMask(xs, n))).toEqual(want);
      }),
      RUNS,
    );
  });
});

describe('rep/ℓ and wrep/ℓ', () => {
  it('match a brute-force count, stay in [0, 1], wrep ≤ rep, and blocks do not share context', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 16 }),
        (pairs, l, blockSize) => {
          const p = pairs.map((x) => x[0]);
          const t = pairs.map((x) => x[1]);
          let r = 0;
          let w = 0;
          for (let from = 0; from < t.length; from += blockSize) {
            for (let i = from; i < Math.min(t.length, from + blockSize); i++) {
              const ctx = t.slice(Math.max(from, i - l), i);
              if (ctx.includes(p[i])) {
                r++;
                if (p[i] !== t[i]) w++;
              }
            }
          }
          expect(rep(p, t, { window: l, blockSize })).toBe(r / t.length);
          expect(wrep(p, t, { window: l, blockSize })).toBe(w / t.length);
          const blocks = [];
          const tblocks = [];
          for (let from = 0; from < t.length; from += blockSize) {
            blocks.push(p.slice(from, from + blockSize));
            tblocks.push(t.slice(from, from + blockSize));
          }
          expect(tokenRepCounts(blocks, tblocks, { window: l })).toEqual(tokenRepCounts(p, t, { window: l, blockSize }));
          expect(rep(rename(p, 3), rename(t, 3), { window: l })).toBe(rep(p, t, { window: l }));
        },
      ),
      RUNS,
    );
  });
});

describe('SimCTG rep-n and diversity', () => {
  it('rep-n is 100·(1 − Σunique/Σtotal) in [0, 100]; diversity is the product, in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(ids(3, 15), { minLength: 1, maxLength: 5 }), (seqs) => {
        const texts = seqs.map((s) => s.map((x) => `w${x}`).join(' '));
        const m = simctgMetrics(texts);
        const per = [2, 3, 4].map((n) => {
          let u = 0;
          let t = 0;
          for (const s of seqs) {
            u += distinctRef(s, n);
            t += Math.max(0, s.length - n + 1);
          }
          return t === 0 ? NaN : 100 * (1 - u / t);
        });
        if (Number.isNaN(per[0])) expect(m.rep2).toBeNaN();
        else expect(m.rep2).toBeCloseTo(per[0], 9);
        expect(repN(texts, 3)).toEqual(m.rep3);
        if (Number.isNaN(per[2])) expect(m.diversity).toBeNaN();
        else {
          expect(m.rep4).toBeCloseTo(per[2], 9);
          expect(m.diversity).toBeGreaterThanOrEqual(0);
          expect(m.diversity).toBeLessThanOrEqual(1);
          expect(diversity(texts)).toBeCloseTo((1 - per[0] / 100) * (1 - per[1] / 100) * (1 - per[2] / 100), 9);
        }
        // Same counts on ids as on the words.
        expect(simctgMetrics(seqs)).toEqual(m);
      }),
      RUNS,
    );
  });

  it('no repeated n-gram → 0; a k-fold repeated block of one word → 100·(k−1)/k for rep-2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 20 }), fc.integer({ min: 2, max: 10 }), (len, k) => {
        const words = Array.from({ length: len }, (_, i) => `w${i}`).join(' ');
        expect(simctgMetrics([words])).toEqual({ rep2: 0, rep3: 0, rep4: 0, diversity: 1 });
        const same = Array.from({ length: k + 1 }, () => 'x').join(' ');
        expect(repN([same], 2)).toBeCloseTo((100 * (k - 1)) / k, 9);
      }),
      RUNS,
    );
  });
});

describe('distinct-n', () => {
  it('the three modes match their definitions, stay in [0, 1], and ignore id renaming', () => {
    fc.assert(
      fc.property(fc.array(ids(4, 12), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 99 }), (seqs, n, k) => {
        const sentence = seqs.reduce((a, s) => a + (s.length ? distinctRef(s, n) / s.length : 0), 0) / seqs.length;
        const all = new Set<string>();
        let tokens = 0;
        let ngrams = 0;
        for (const s of seqs) {
          for (let i = 0; i + n <= s.length; i++) all.add(s.slice(i, i + n).join(','));
          tokens += s.length;
          ngrams += Math.max(0, s.length - n + 1);
        }
        expect(distinct(seqs, n)).toBeCloseTo(sentence, 12);
        expect(distinct(seqs, n, { distinctMode: 'pooled' })).toEqual(tokens ? all.size / tokens : NaN);
        expect(distinct(seqs, n, { distinctMode: 'ratio' })).toEqual(ngrams ? all.size / ngrams : NaN);
        for (const mode of ['sentence', 'pooled', 'ratio'] as const) {
          const v = distinct(seqs, n, { distinctMode: mode });
          if (!Number.isNaN(v)) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
          expect(distinct(seqs.map((s) => rename(s, k)), n, { distinctMode: mode })).toEqual(v);
        }
      }),
      RUNS,
    );
  });
});

describe('roundHalfEven', () => {
  it('rounds the exact binary value: a non-tie agrees with toFixed, a tie goes to even', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, d) => {
        const got = roundHalfEven(x, d);
        const up = Number(x.toFixed(d));
        // toFixed is exact except that it sends ties away from zero; a tie is exactly representable.
        const scaled = Math.abs(x) * 10 ** d;
        const isTie = Number.isInteger(scaled * 2) && !Number.isInteger(scaled) && Number(Math.abs(x).toFixed(d + 30 > 100 ? 100 : d + 30)) === Math.abs(x);
        if (!isTie) expect(Object.is(got, up) || got === up).toBe(true);
        expect(Math.abs(got - x)).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-9 * Math.max(1, Math.abs(x)));
      }),
      RUNS,
    );
  });

  it('matches Python on ties and near-ties', () => {
    expect(roundHalfEven(0.03125, 4)).toBe(0.0312);
    expect(roundHalfEven(3.125, 2)).toBe(3.12);
    expect(roundHalfEven(3.375, 2)).toBe(3.38);
    expect(roundHalfEven(2.675, 2)).toBe(2.67);
    expect(roundHalfEven(0.5)).toBe(0);
    expect(roundHalfEven(1.5)).toBe(2);
    expect(roundHalfEven(2.5)).toBe(2);
    expect(roundHalfEven(-2.5)).toBe(-2);
    expect(Object.is(roundHalfEven(-0.001, 2), -0)).toBe(true);
    expect(roundHalfEven(1e-320, 2)).toBe(0);
    expect(roundHalfEven(33.33333333, 2)).toBe(33.33);
    expect(roundHalfEven(Infinity, 2)).toBe(Infinity);
    expect(() => roundHalfEven(1, -1)).toThrow(/digits/);
  });
});

describe('splitWords', () => {
  const PY_WS = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
  it('splits on exactly Python’s whitespace set', () => {
    const alphabet = [...PY_WS, 'a', 'b', '\ufeff', '\u200b', 'é', '中', '😀'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (chars) => {
        const words: string[] = [];
        let cur = '';
        for (const c of chars) {
          if (PY_WS.includes(c)) {
            if (cur) words.push(cur);
            cur = '';
          } else cur += c;
        }
        if (cur) words.push(cur);
        expect(splitWords(chars.join(''))).toEqual(words);
      }),
      RUNS,
    );
  });
});

describe('NgramCounter (sliding multiset)', () => {
  it('agrees with a Map under random increments and decrements', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 })), { maxLength: 200 }), (ops) => {
        const c = new NgramCounter(2, 1);
        const ref = new Map<string, number>();
        for (const [inc, key] of ops) {
          const k = key.join(',');
          const have = ref.get(k) ?? 0;
          if (inc || have === 0) {
            expect(c.increment(key, 0)).toBe(have + 1);
            ref.set(k, have + 1);
          } else {
            expect(c.decrement(key, 0)).toBe(have - 1);
            if (have === 1) ref.delete(k);
            else ref.set(k, have - 1);
          }
          expect(c.distinct).toBe(ref.size);
        }
        for (const [k, v] of ref) expect(c.count(k.split(',').map(Number), 0)).toBe(v);
        expect(c.decrement([9, 9], 0)).toBe(-1);
      }),
      RUNS,
    );
  });
});
