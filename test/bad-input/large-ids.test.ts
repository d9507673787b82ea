/**
 * One large token id must not allocate memory proportional to the id: the counts behind the
 * penalties are O(distinct ids) whatever their values (ids ≥ 2^18 go to a hash map).
 */
import { describe, expect, it } from 'vitest';
import { frequencyPenalty, presencePenalty, repetitionPenalty, TokenHistory } from '../../src/index.js';

const MAX_ID = 2 ** 31 - 1;

/** Bytes of ArrayBuffers allocated while `fn` runs and its result is alive. */
function arrayBytesDuring(fn: () => unknown): number {
  const before = process.memoryUsage().arrayBuffers;
  const keep = fn();
  const grew = process.memoryUsage().arrayBuffers - before;
  expect(keep).toBeDefined();
  return grew;
}

describe('large token ids', () => {
  for (const id of [2 ** 24 + 3, MAX_ID]) {
    it(`repetitionPenalty(1.2)(row, [5, ${id}]) allocates no table sized by the id`, () => {
      const row = Float32Array.from([1, 1, 1, 1, 1, 2, 1, 1]);
      const proc = repetitionPenalty(1.2);
      const grew = arrayBytesDuring(() => [proc, proc(row, [5, id])]);
      expect(grew).toBeLessThan(4 * 2 ** 20);
      expect(row[5]).toBe(Math.fround(2 / Math.fround(1.2)));
      expect(row[0]).toBe(1);
    });
    it(`frequencyPenalty and presencePenalty with id ${id}: no table sized by the id`, () => {
      const row = Float32Array.from([1, 1, 1, 1, 1, 1]);
      const f = frequencyPenalty(0.5);
      const p = presencePenalty(0.25);
      const grew = arrayBytesDuring(() => [f, p, f(row, [5, id, 5, id]), p(row, [id, 2])]);
      expect(grew).toBeLessThan(4 * 2 ** 20);
      expect(Array.from(row)).toEqual([1, 1, 0.75, 1, 1, 0]);
    });
    it(`new TokenHistory([${id}]).counts() allocates no table sized by the id, and counts it`, () => {
      let h: TokenHistory | null = null;
      const grew = arrayBytesDuring(() => {
        h = new TokenHistory([id, 3, id]);
        return h.counts();
      });
      expect(grew).toBeLessThan(4 * 2 ** 20);
      const c = h!.counts();
      // no dense table reaches the id (the ArrayBuffer check above can be blurred by a GC)
      const tables = c as unknown as { counts: Int32Array; where: Int32Array };
      expect(tables.counts.length).toBeLessThanOrEqual(2 ** 18);
      expect(tables.where.length).toBeLessThanOrEqual(2 ** 18);
      expect(c.get(id)).toBe(2);
      expect(c.get(3)).toBe(1);
      expect(c.get(id - 1)).toBe(0);
      expect(Array.from(c.ids.subarray(0, c.size)).sort()).toEqual([3, id].sort());
    });
  }

  it('large ids enter and leave a window like small ones (counts = a recount after every push)', () => {
    const big = [2 ** 31 - 1, 2 ** 30, 2 ** 18, 2 ** 18 - 1, 5, 2 ** 30 + 7];
    let s = 12345;
    const ids: number[] = [];
    const h = new TokenHistory();
    const c = h.counts(7, 2);
    const copy = () => h.clone().counts(7, 2);
    for (let i = 0; i < 400; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const id = big[s % big.length];
      h.push(id);
      ids.push(id);
      const want = new Map<number, number>();
      for (const x of ids.slice(Math.max(2, ids.length - 7))) want.set(x, (want.get(x) ?? 0) + 1);
      expect(c.size).toBe(want.size);
      for (const [x, n] of want) expect(c.get(x)).toBe(n);
      if (i % 50 === 0) for (const [x, n] of want) expect(copy().get(x)).toBe(n);
    }
  });
});
