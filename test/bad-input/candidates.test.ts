/** Candidates belong to one row; a pipeline that throws leaves none behind. */
import { describe, expect, it } from 'vitest';
import { createRng, greedy, pipeline, sample, temperature, topK, type Processor } from '../../src/index.js';

function bigRow(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i) * 3;
  x[n - 5] = 10;
  return x;
}

describe('candidates used on another row', () => {
  it('sample and greedy say the candidates do not belong to this row', () => {
    const p = pipeline(topK(20));
    p(bigRow(1000));
    const cands = p.candidates!;
    expect(cands).not.toBeNull();
    const small = bigRow(500);
    expect(() => sample(small, createRng(1), cands)).toThrow(/do not belong to this row/);
    expect(() => greedy(small, cands)).toThrow(/do not belong to this row/);
    expect(() => greedy(small, cands)).toThrow(RangeError);
  });
  it('a candidate count beyond the ids or the row is refused', () => {
    const x = Float32Array.from([1, 2, 3]);
    expect(() => sample(x, createRng(1), { ids: Int32Array.from([0, 1]), size: 3 })).toThrow(/size/);
    expect(() => greedy(x, { ids: new Int32Array(8), size: 5 })).toThrow(/do not belong/);
    expect(() => greedy(x, { ids: [0, 1] as unknown as Int32Array, size: 2 })).toThrow(TypeError);
  });
});

describe('a pipeline that throws part-way', () => {
  it('leaves .candidates null, not those of the previous call', () => {
    let fail = false;
    const boom: Processor = (logits) => {
      if (fail) throw new Error('boom');
      return logits;
    };
    const p = pipeline(boom, temperature(0.5), topK(3));
    p(bigRow(100));
    expect(p.candidates).not.toBeNull();
    fail = true;
    expect(() => p(bigRow(100))).toThrow('boom');
    expect(p.candidates).toBeNull();
    expect(() => p(new Float32Array(0))).toThrow(/logits/);
    expect(p.candidates).toBeNull();
  });
});
