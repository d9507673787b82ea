import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, sample, softmaxInto } from '../../src/index.js';

// Upper 0.999 quantile of chi-square for df degrees of freedom (Wilson–Hilferty approximation).
function chi2Quantile999(df: number): number {
  const z = 3.090232;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

describe('sample', () => {
  it('is reproducible with a fixed seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), { minLength: 1, maxLength: 40 }),
        fc.integer(),
        (xs, seed) => {
          const x = Float32Array.from(xs);
          const a = createRng(seed);
          const b = createRng(seed);
          for (let i = 0; i < 5; i++) expect(sample(x, a)).toBe(sample(x, b));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never draws a -Infinity token and equals the candidate path draw for draw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(-Infinity), fc.float({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer(),
        (xs, seed) => {
          const x = Float32Array.from(xs);
          const finite = xs.map((v, i) => (v > -Infinity ? i : -1)).filter((i) => i >= 0);
          if (finite.length === 0) return;
          const ids = Int32Array.from([...finite].reverse());
          const a = createRng(seed);
          const b = createRng(seed);
          for (let i = 0; i < 5; i++) {
            const id = sample(x, a);
            expect(x[id]).toBeGreaterThan(-Infinity);
            expect(sample(x, b, { ids, size: ids.length })).toBe(id);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('over many blocks (rising maxima, banned runs), the candidate path draws the dense id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1500 }),
        fc.integer(),
        fc.integer({ min: 0, max: 3 }),
        (n, seed, shape) => {
          const g = createRng(seed);
          const x = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            // shape 0: rising trend (the running max moves often); 1: wide range; 2: banned runs; 3: near-ties
            const z = g.next();
            x[i] =
              shape === 0 ? i / 50 + z * 3 : shape === 1 ? (z - 0.5) * 250 : shape === 2 ? (((i >> 6) & 1) === 1 ? -Infinity : z * 8) : Math.fround(1 + (z < 0.5 ? 0 : 1e-7));
          }
          if (!x.some((v) => v > -Infinity)) x[n - 1] = 0;
          const ids: number[] = [];
          for (let i = 0; i < n; i++) if (x[i] > -Infinity || g.next() < 0.1) ids.push(i);
          for (let i = ids.length - 1; i > 0; i--) {
            const j = Math.floor(g.next() * (i + 1));
            [ids[i], ids[j]] = [ids[j], ids[i]];
          }
          const cands = { ids: Int32Array.from(ids), size: ids.length };
          const a = createRng(seed ^ 0x5bd1e995);
          const b = a.clone();
          for (let k = 0; k < 4; k++) {
            const id = sample(x, a);
            expect(x[id]).toBeGreaterThan(-Infinity);
            expect(sample(x, b, cands)).toBe(id);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('consumes one rng.next() per draw', () => {
    const x = Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 4);
    const a = createRng(99);
    const b = createRng(99);
    sample(x, a);
    b.next();
    expect(a.next()).toBe(b.next());
  });

  it('frequencies over a 2,000-token row (several blocks) pass a chi-square test', () => {
    const rng = createRng(77);
    const n = 2000;
    // mass spread over a few hundred ids in different blocks, a rising max late in the row
    const x = Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 3 + (i / n) * 2 : -6 + Math.cos(i)));
    const p = new Float64Array(n);
    softmaxInto(x, p);
    // pool the tail into one bucket so every expected count is large
    const heavy = Array.from({ length: n }, (_, i) => i).filter((i) => p[i] * 60_000 >= 20);
    const bucket = new Map(heavy.map((id, k) => [id, k]));
    const pb = new Float64Array(heavy.length + 1);
    for (let i = 0; i < n; i++) pb[bucket.get(i) ?? heavy.length] += p[i];
    const counts = new Float64Array(heavy.length + 1);
    const draws = 60_000;
    for (let d = 0; d < draws; d++) counts[bucket.get(sample(x, rng)) ?? heavy.length]++;
    let chi = 0;
    for (let k = 0; k < pb.length; k++) chi += (counts[k] - draws * pb[k]) ** 2 / (draws * pb[k]);
    expect(chi).toBeLessThan(chi2Quantile999(pb.length - 1));
  });

  it('frequencies pass a chi-square test against the exact softmax', () => {
    const rng = createRng(2024);
    for (const xs of [
      [0, 1, 2, 3],
      [5, 5, 5, 5, 5, 5],
      [-2, 0.5, 3, 1, -Infinity, 2.5, 0],
      Array.from({ length: 50 }, (_, i) => Math.log(1 / (i + 1))),
    ]) {
      const x = Float32Array.from(xs);
      const p = new Float64Array(x.length);
      softmaxInto(x, p);
      const n = 200_000;
      const counts = new Array(x.length).fill(0);
      for (let i = 0; i < n; i++) counts[sample(x, rng)]++;
      let chi = 0;
      let df = -1;
      for (let i = 0; i < x.length; i++) {
        if (p[i] === 0) {
          expect(counts[i]).toBe(0);
          continue;
        }
        chi += (counts[i] - n * p[i]) ** 2 / (n * p[i]);
        df++;
      }
      expect(chi).toBeLessThan(chi2Quantile999(df));
    }
  });

  it('the chi-square test can fail: a biased sampler is caught', () => {
    const x = Float32Array.from([0, 1, 2, 3]);
    const p = new Float64Array(4);
    softmaxInto(x, p);
    const n = 200_000;
    // a sampler that always returns the argmax 10% of the time too often
    const rng = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[rng.next() < 0.1 ? 3 : sample(x, rng)]++;
    const chi = counts.reduce((s, c, i) => s + (c - n * p[i]) ** 2 / (n * p[i]), 0);
    expect(chi).toBeGreaterThan(chi2Quantile999(3));
  });

  it('refuses rows it cannot sample from', () => {
    expect(() => sample(Float32Array.from([-Infinity, -Infinity]))).toThrow(/all -Infinity/);
    expect(() => sample(Float32Array.from([0, NaN]))).toThrow(/logits\[1\] is NaN/);
    expect(() => sample(Float32Array.from([0, Infinity]))).toThrow(/Infinity/);
    expect(() => sample([0, 1] as unknown as Float32Array)).toThrow(TypeError);
  });
});

describe('sample over candidates leaves them as given', () => {
  it('does not reorder cands.ids, and draws as from the sorted ids', () => {
    const x = new Float32Array(600).fill(-Infinity);
    const given = Int32Array.of(512, 3, 300, 7, 0, 0, 0);
    for (const id of [512, 3, 300, 7]) x[id] = (id % 5) - 2;
    const cands = { ids: given.slice(), size: 4 };
    const sorted = { ids: Int32Array.of(3, 7, 300, 512), size: 4 };
    for (let seed = 0; seed < 50; seed++) {
      expect(sample(x, createRng(seed), cands)).toBe(sample(x, createRng(seed), sorted));
      expect(Array.from(cands.ids)).toEqual(Array.from(given));
    }
  });
});
