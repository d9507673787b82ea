/** sample, createRng and softmaxInto refuse what they cannot use. */
import { describe, expect, it } from 'vitest';
import { createRng, logSoftmaxInto, sample, softmaxInto, type Rng } from '../../src/index.js';

function rngReturning(value: number): Rng {
  const base = createRng(1);
  return { ...base, next: () => value, nextUint32: () => 0, getState: () => base.getState(), setState: () => {}, clone: () => base };
}

describe('sample with a broken rng', () => {
  for (const v of [NaN, 1, -0.5, Infinity, 2]) {
    it(`rng.next() = ${v}: RangeError naming rng`, () => {
      expect(() => sample(Float32Array.from([1, 2, 3]), rngReturning(v))).toThrow(RangeError);
      expect(() => sample(Float32Array.from([1, 2, 3]), rngReturning(v))).toThrow(/rng/);
      const cands = { ids: Int32Array.from([0, 2, 1]), size: 2 };
      expect(() => sample(Float32Array.from([1, 2, 3]), rngReturning(v), cands)).toThrow(/rng/);
    });
  }
  it('a draw of 0 and one just below 1 are fine', () => {
    expect(sample(Float32Array.from([1, 2, 3]), rngReturning(0))).toBe(0);
    expect(sample(Float32Array.from([1, 2, 3]), rngReturning(1 - 2 ** -53))).toBe(2);
  });
});

describe('createRng seeds', () => {
  for (const seed of [1.5, 0.1, -2.25, 2 ** 40 + 0.5]) {
    it(`createRng(${seed}) throws a RangeError naming seed`, () => {
      expect(() => createRng(seed)).toThrow(RangeError);
      expect(() => createRng(seed)).toThrow(/seed/);
    });
  }
  it('integer seeds keep their streams', () => {
    const r = createRng(1);
    expect([r.nextUint32(), r.nextUint32()]).toEqual([2442144158, 3238099751]);
    expect(createRng(-7).nextUint32()).toBe(742993631);
    expect(createRng(2 ** 40 + 3).nextUint32()).toBe(2848918883);
  });
});

describe('softmaxInto / logSoftmaxInto with a short output', () => {
  it('softmaxInto throws a RangeError naming out', () => {
    expect(() => softmaxInto(Float32Array.from([1, 2, 3]), new Float32Array(2))).toThrow(/out/);
    expect(() => softmaxInto(Float32Array.from([1, 2, 3]), new Float32Array(2))).toThrow(RangeError);
    expect(() => softmaxInto(Float32Array.from([1, 2, 3]), new Float64Array(3), 4)).toThrow(/n must/);
  });
  it('logSoftmaxInto throws a RangeError naming out', () => {
    expect(() => logSoftmaxInto(Float32Array.from([1, 2, 3]), new Float32Array(1))).toThrow(/out/);
  });
  it('a prefix n with a long enough out is fine', () => {
    const out = new Float32Array(2);
    expect(softmaxInto(Float32Array.from([0, 0, 5]), out, 2)).toBe(2);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
  });
});
