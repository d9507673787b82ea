import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ngramFollowers, TokenHistory } from '../../src/index.js';

function refCounts(xs: number[], window: number, skip: number): Map<number, number> {
  const m = new Map<number, number>();
  const from = Math.max(skip, window === Infinity ? 0 : xs.length - window, 0);
  for (let i = from; i < xs.length; i++) m.set(xs[i], (m.get(xs[i]) ?? 0) + 1);
  return m;
}

function refFollowers(xs: number[], n: number, prefix: number[]): number[] {
  const out = new Set<number>();
  for (let s = 0; s + n <= xs.length; s++) {
    if (prefix.every((p, j) => xs[s + j] === p)) out.add(xs[s + n - 1]);
  }
  return [...out].sort((a, b) => a - b);
}

describe('TokenHistory', () => {
  it('keeps tokens and grows', () => {
    const h = new TokenHistory([1, 2]);
    for (let i = 0; i < 100; i++) h.push(i);
    expect(h.length).toBe(102);
    expect(h.at(0)).toBe(1);
    expect(h.at(-1)).toBe(99);
    expect(h.at(500)).toBeUndefined();
    expect(Array.from(h.tokens.slice(0, 3))).toEqual([1, 2, 0]);
  });

  it('counts over windows and skips stay equal to a recount after every push, truncate and clone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 80, size: 'max' }),
        fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 20 })),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 80 }),
        (xs, window, skip, cut) => {
          const h = new TokenHistory();
          const counts = h.counts(window, skip);
          for (let i = 0; i < xs.length; i++) {
            h.push(xs[i]);
            const ref = refCounts(xs.slice(0, i + 1), window, skip);
            expect(counts.size).toBe(ref.size);
            for (let j = 0; j < counts.size; j++) expect(counts.get(counts.ids[j])).toBe(ref.get(counts.ids[j]));
          }
          const c = h.clone();
          h.truncate(Math.min(cut, xs.length));
          const kept = xs.slice(0, Math.min(cut, xs.length));
          const after = h.counts(window, skip);
          const ref = refCounts(kept, window, skip);
          expect(after.size).toBe(ref.size);
          for (const [id, n] of ref) expect(after.get(id)).toBe(n);
          // the clone still has everything
          expect(c.counts(window, skip).size).toBe(refCounts(xs, window, skip).size);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('n-gram followers equal a brute-force scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 60, size: 'max' }),
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        (xs, n, probe) => {
          const h = new TokenHistory();
          const g = ngramFollowers(h, n);
          h.pushAll(xs);
          const prefix = probe.slice(0, n - 1);
          const got: number[] = [];
          for (let node = g.first(prefix, 0); node >= 0; node = g.nextOf(node)) got.push(g.tokenOf(node));
          expect(got.sort((a, b) => a - b)).toEqual(refFollowers(xs, n, prefix));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reset empties and refills', () => {
    const h = new TokenHistory([3, 3, 3]);
    const c = h.counts();
    expect(c.get(3)).toBe(3);
    h.reset([4]);
    expect(h.length).toBe(1);
    expect(c.get(3)).toBe(0);
    expect(c.get(4)).toBe(1);
  });

  it('rejects bad ids', () => {
    const h = new TokenHistory();
    expect(() => h.push(-1)).toThrow(RangeError);
    expect(() => h.push(1.5)).toThrow(/token id/);
    expect(() => ngramFollowers(h, 1)).toThrow(RangeError);
    expect(() => h.truncate(-2)).toThrow(RangeError);
  });
});
