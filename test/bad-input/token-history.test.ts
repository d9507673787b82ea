/** TokenHistory: bad windows are refused, windowed indexes are bounded, pushAll is atomic. */
import { describe, expect, it } from 'vitest';
import { TokenHistory } from '../../src/index.js';

describe('TokenHistory bad input', () => {
  for (const w of [NaN, -5, 0, 1.5]) {
    it(`counts(${w}) throws naming window`, () => {
      const h = new TokenHistory([1, 2, 3]);
      expect(() => h.counts(w)).toThrow(/window/);
      expect(() => h.counts(w)).toThrow(w === 1.5 || Number.isNaN(w) ? TypeError : RangeError);
    });
  }
  it('counts(window, skip) with a bad skip throws naming skip', () => {
    const h = new TokenHistory([1, 2, 3]);
    expect(() => h.counts(Infinity, -1)).toThrow(/skip/);
    expect(() => h.counts(4, NaN)).toThrow(/skip/);
  });

  it('1,000 different windows keep at most 8 indexes that push updates', () => {
    const h = new TokenHistory([1, 2, 3]);
    for (let w = 1; w <= 1000; w++) h.counts(w);
    const indexes = (h as unknown as { countIndexes: unknown[] }).countIndexes;
    expect(indexes.length).toBeLessThanOrEqual(8);
  });

  it('a dropped index throws on get instead of going stale; requesting it again works', () => {
    const h = new TokenHistory([1, 2, 3]);
    const held = h.counts(2);
    for (let w = 10; w < 20; w++) h.counts(w);
    h.push(3);
    expect(() => held.get(3)).toThrow(/dropped/);
    expect(h.counts(2).get(3)).toBe(2);
  });

  it('the indexes in use stay current while others come and go', () => {
    const h = new TokenHistory([1, 2, 3]);
    const all = h.counts();
    for (let w = 1; w <= 50; w++) {
      h.counts(w);
      expect(h.counts()).toBe(all); // the most recently used survives
      h.push(w % 4);
    }
    expect(all.get(0)).toBe(12);
  });

  it('pushAll with a bad id part-way appends nothing', () => {
    const h = new TokenHistory([7]);
    const c = h.counts();
    expect(() => h.pushAll([1, 2, NaN, 4])).toThrow(/ids\[2\]/);
    expect(() => h.pushAll([1, -1])).toThrow(RangeError);
    expect(() => h.pushAll([1, 2 ** 31])).toThrow(RangeError);
    expect(Array.from(h.tokens)).toEqual([7]);
    expect(c.get(1)).toBe(0);
    expect(() => new TokenHistory([1, 2.5])).toThrow(/ids\[1\]/);
  });

  it('push names the bad id', () => {
    expect(() => new TokenHistory().push(-3)).toThrow(/-3/);
  });
});
