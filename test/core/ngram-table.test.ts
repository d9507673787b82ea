import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NgramTable } from '../../src/index.js';

describe('NgramTable', () => {
  it('stores each distinct tuple once, with dense slots in insertion order', () => {
    const t = new NgramTable(2);
    const xs = [1, 2, 1, 2, 3, 1, 2];
    const slots = [];
    for (let i = 0; i + 2 <= xs.length; i++) slots.push(t.add(xs, i));
    expect(slots).toEqual([0, 1, 0, 2, 3, 0]);
    expect(t.size).toBe(4);
    expect(t.find([3, 1], 0)).toBe(3);
    expect(t.find([3, 3], 0)).toBe(-1);
    expect([t.keyAt(2, 0), t.keyAt(2, 1)]).toEqual([2, 3]);
  });

  it('agrees with a string-keyed Map on random streams (collisions never merge keys)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300, size: 'max' }),
        fc.integer({ min: 1, max: 4 }),
        (xs, n) => {
          const t = new NgramTable(n, 4);
          const ref = new Map<string, number>();
          for (let i = 0; i + n <= xs.length; i++) {
            const key = xs.slice(i, i + n).join(',');
            const slot = t.add(xs, i);
            if (!ref.has(key)) {
              expect(t.added).toBe(true);
              ref.set(key, slot);
            } else {
              expect(t.added).toBe(false);
              expect(slot).toBe(ref.get(key));
            }
          }
          expect(t.size).toBe(ref.size);
          const c = t.clone();
          t.clear();
          expect(t.size).toBe(0);
          for (const [key, slot] of ref) expect(c.find(key.split(',').map(Number), 0)).toBe(slot);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('handles the empty tuple (n = 0) as a single key', () => {
    const t = new NgramTable(0);
    expect(t.add([], 0)).toBe(0);
    expect(t.add([5], 1)).toBe(0);
    expect(t.size).toBe(1);
  });

  it('rejects a bad n', () => {
    expect(() => new NgramTable(-1)).toThrow(RangeError);
    expect(() => new NgramTable(1.5)).toThrow(/n must be/);
  });
});
