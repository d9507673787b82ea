// The warm-up (src/core/warm-up.ts) runs each kind of row processor and sampler on small rows once per
// process. It must be invisible: a stateful processor is warmed through a clone, a sampler with a
// generator of its own. Each test here meets its kind for the first time in this file's module
// graph (vitest isolates test files), so the warm-up runs inside the call under test.
import { describe, expect, it } from 'vitest';
import { createRng, mirostatV2, sample, xtc } from '../../src/index.js';
import { warmOnce } from '../../src/core/warm-up.js';

describe('warm-up', () => {
  it('leaves the generator of a stateful processor alone: xtc is warmed through a clone', () => {
    const rng = createRng(5);
    const before = Array.from(rng.getState());
    const p = xtc({ probability: 1, rng });
    expect(Array.from(rng.getState())).toEqual(before);
    expect(Array.from(p.getState())).toEqual(before);
  });

  it('leaves μ and the generator of a Mirostat sampler alone', () => {
    const rng = createRng(9);
    const before = Array.from(rng.getState());
    const s = mirostatV2({ tau: 3, rng });
    expect(s.mu).toBe(6);
    expect(Array.from(rng.getState())).toEqual(before);
  });

  it("sample's first call draws once from the caller's generator, not during its warm-up", () => {
    const rng = createRng(11);
    const expected = createRng(11);
    expected.next();
    sample(Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i)), rng);
    expect(Array.from(rng.getState())).toEqual(Array.from(expected.getState()));
  });

  it('runs the steps of a kind once, on fresh rows of 512 finite cells with every id listed', () => {
    const seen: number[] = [];
    warmOnce('test-kind', [
      (row, cands) => {
        expect(row.length).toBe(512);
        expect(row.every(Number.isFinite)).toBe(true);
        expect(cands.size).toBe(512);
        expect(Array.from(cands.ids.subarray(0, 4))).toEqual([0, 1, 2, 3]);
        seen.push(row[0]);
        row.fill(-Infinity); // the next step still gets a fresh row
      },
    ]);
    warmOnce('test-kind', [() => seen.push(NaN)]);
    expect(seen.length).toBe(9);
    expect(seen.every(Number.isFinite)).toBe(true);
    // three shapes: the lifted first token differs between them
    expect(new Set(seen).size).toBe(3);
  });

  it('drops what a step throws: the real call reports its own errors', () => {
    expect(() =>
      warmOnce('throwing-kind', [
        () => {
          throw new RangeError('bad');
        },
      ]),
    ).not.toThrow();
  });
});
