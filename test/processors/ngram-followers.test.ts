/** ngramFollowers: the n-gram index attached to a TokenHistory, kept equal to a recount by every change. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type HistoryIndex, NgramFollowers, ngramFollowers, TokenHistory } from '../../src/index.js';

/** The distinct followers of `prefix` in `xs`, ascending (brute force). */
function refFollowers(xs: ArrayLike<number>, n: number, prefix: number[]): number[] {
  const out = new Set<number>();
  for (let s = 0; s + n <= xs.length; s++) {
    if (prefix.every((p, j) => xs[s + j] === p)) out.add(xs[s + n - 1]);
  }
  return [...out].sort((a, b) => a - b);
}

function followersOf(g: NgramFollowers, prefix: number[]): number[] {
  const got: number[] = [];
  for (let node = g.first(prefix, 0); node >= 0; node = g.nextOf(node)) got.push(g.tokenOf(node));
  return got.sort((a, b) => a - b);
}

/** Every (n−1)-gram over ids 0..3 compared with a recount of the history's tokens. */
function expectAllPrefixes(g: NgramFollowers, h: TokenHistory, n: number): void {
  const tokens = Array.from(h.tokens);
  for (let code = 0; code < 4 ** (n - 1); code++) {
    const prefix = Array.from({ length: n - 1 }, (_, j) => Math.floor(code / 4 ** j) % 4);
    expect(followersOf(g, prefix)).toEqual(refFollowers(tokens, n, prefix));
  }
}

type Op = { kind: 'push'; id: number } | { kind: 'truncate'; to: number } | { kind: 'reset'; ids: number[] } | { kind: 'clone' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }).map((id) => ({ kind: 'push', id }) as Op) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }).map((to) => ({ kind: 'truncate', to }) as Op) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }).map((ids) => ({ kind: 'reset', ids }) as Op) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clone' } as Op) },
);

describe('ngramFollowers', () => {
  it('equals a recount after every push, truncate, reset and clone (asked before or after the changes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }),
        fc.integer({ min: 2, max: 4 }),
        fc.array(op, { maxLength: 40 }),
        fc.boolean(),
        (start, n, ops, askFirst) => {
          let h = new TokenHistory(start);
          if (askFirst) ngramFollowers(h, n);
          for (const o of ops) {
            if (o.kind === 'push') h.push(o.id);
            else if (o.kind === 'truncate') h.truncate(o.to);
            else if (o.kind === 'reset') h.reset(o.ids);
            else {
              const before = Array.from(h.tokens);
              const c = h.clone();
              h.push(0); // the clone's index is its own
              expect(Array.from(c.tokens)).toEqual(before);
              h = c;
            }
            if (askFirst) expectAllPrefixes(ngramFollowers(h, n), h, n);
          }
          expectAllPrefixes(ngramFollowers(h, n), h, n);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('returns the same index on every request, one per n, kept up to date by push', () => {
    const h = new TokenHistory([1, 2, 1]);
    const g2 = ngramFollowers(h, 2);
    const g3 = ngramFollowers(h, 3);
    expect(ngramFollowers(h, 2)).toBe(g2);
    expect(g3).not.toBe(g2);
    expect(h.attached('ngramFollowers(3)')).toBe(g3);
    h.push(5);
    expect(followersOf(g2, [1])).toEqual([2, 5]);
    expect(followersOf(g3, [2, 1])).toEqual([5]);
    h.truncate(3);
    expect(ngramFollowers(h, 2)).toBe(g2);
    expect(followersOf(g2, [1])).toEqual([2]);
  });

  it('a clone owns copies of the attached indexes', () => {
    const h = new TokenHistory([1, 2]);
    const g = ngramFollowers(h, 2);
    const c = h.clone();
    const gc = ngramFollowers(c, 2);
    expect(gc).not.toBe(g);
    c.push(1);
    c.push(3);
    expect(followersOf(gc, [1])).toEqual([2, 3]);
    expect(followersOf(g, [1])).toEqual([2]);
  });

  it('attach replaces an index of the same key; attached is undefined for an unknown key', () => {
    const h = new TokenHistory([4, 4]);
    expect(h.attached('ngramFollowers(2)')).toBeUndefined();
    const a = h.attach(new NgramFollowers(2));
    expect(followersOf(a, [4])).toEqual([4]);
    const b = h.attach(new NgramFollowers(2));
    expect(h.attached('ngramFollowers(2)')).toBe(b);
    expect(ngramFollowers(h, 2)).toBe(b);
  });

  it('an index of another kind under the same key is replaced, not returned', () => {
    const h = new TokenHistory([1, 2]);
    const other: HistoryIndex = { key: 'ngramFollowers(2)', rebuild() {}, pushed() {}, copy: () => other };
    h.attach(other);
    const g = ngramFollowers(h, 2);
    expect(g).toBeInstanceOf(NgramFollowers);
    expect(followersOf(g, [1])).toEqual([2]);
  });

  it('refuses n < 2 and a history that is not a TokenHistory', () => {
    const h = new TokenHistory([1, 2]);
    expect(() => ngramFollowers(h, 1)).toThrow(/n must be ≥ 2, got 1/);
    expect(() => ngramFollowers(h, 2.5)).toThrow(TypeError);
    expect(() => new NgramFollowers(0)).toThrow(RangeError);
    expect(() => ngramFollowers([1, 2] as unknown as TokenHistory, 2)).toThrow(/history must be a TokenHistory, got 1,2/);
  });
});
