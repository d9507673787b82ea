import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrefixCache } from '../../../src/integrations/transformers-js/prefix-cache.js';

const lcp = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

type Op = { kind: 'set' | 'lookup' | 'delete'; seq: number[] };

const seqArb = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 });
const opArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom('set' as const, 'lookup' as const, 'lookup' as const, 'delete' as const), seq: seqArb });

describe('PrefixCache', () => {
  it('finds a key sharing the longest prefix, keeps at most `capacity` values and evicts the least recently used', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.array(opArb, { maxLength: 40 }), (capacity, ops) => {
        const evicted: string[] = [];
        const cache = new PrefixCache<string>(capacity, (v) => evicted.push(v));
        // the model: keys by recency, least recent first
        let model: number[][] = [];
        const expectEvicted: string[] = [];
        for (const { kind, seq } of ops) {
          const name = seq.join(',');
          const at = model.findIndex((k) => k.join(',') === name);
          if (kind === 'set') {
            cache.set(seq, name);
            if (capacity === 0) {
              expectEvicted.push(name);
              continue;
            }
            if (at >= 0) model.splice(at, 1); // replaced by the same value: nothing evicted
            model.push(seq);
            while (model.length > capacity) expectEvicted.push(model.shift()!.join(','));
          } else if (kind === 'delete') {
            cache.delete(seq);
            if (at >= 0) {
              model.splice(at, 1);
              expectEvicted.push(name);
            }
          } else {
            const hit = cache.lookup(seq);
            const best = Math.max(0, ...model.map((k) => lcp(k, seq)));
            if (model.length === 0) {
              expect(hit).toEqual({ value: null, length: 0, depth: 0 });
              continue;
            }
            const key = hit.value!.split(',').map(Number);
            expect(hit.depth).toBe(best);
            expect(lcp(key, seq)).toBe(best);
            expect(hit.length).toBe(key.length);
            // a key that is exactly the shared prefix is preferred
            if (model.some((k) => k.length === best && lcp(k, seq) === best)) expect(key.length).toBe(best);
            const i = model.findIndex((k) => k.join(',') === hit.value);
            model.push(...model.splice(i, 1));
          }
          expect(cache.size).toBe(model.length);
        }
        expect(evicted).toEqual(expectEvicted);
      }),
      { numRuns: 1000 },
    );
  });

  it('clear() evicts everything', () => {
    const out: number[] = [];
    const cache = new PrefixCache<number>(4, (v) => out.push(v));
    cache.set([1, 2], 1);
    cache.set([1, 3], 2);
    cache.clear();
    expect(out.sort()).toEqual([1, 2]);
    expect(cache.lookup([1, 2])).toEqual({ value: null, length: 0, depth: 0 });
  });

  it('delete(tokens, value) removes only that value', () => {
    const cache = new PrefixCache<string>(4);
    cache.set([1], 'a');
    cache.delete([1], 'b');
    expect(cache.size).toBe(1);
    cache.delete([1], 'a');
    expect(cache.size).toBe(0);
  });
});
