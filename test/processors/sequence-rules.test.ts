/** compileSequenceRules + SequenceRuleScratch.apply against the plain reference of HF's loop. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileSequenceRules, SequenceRuleScratch } from '../../src/processors/sequence-rules.js';
import { TokenHistory } from '../../src/index.js';
import { sequenceBiasRef } from './naive-references.js';

const rules = fc.array(
  fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), fc.double({ min: -4, max: 4, noNaN: true })),
  { minLength: 1, maxLength: 8 },
);

describe('sequence rules', () => {
  it('apply adds the biases exactly as the reference, on arrays and TokenHistory; ban mode bans the same ids', () => {
    fc.assert(
      fc.property(rules, fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 8 }), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 5, maxLength: 5 }), (entries, ids, row) => {
        const compiled = compileSequenceRules(entries);
        const want = Float32Array.from(row);
        sequenceBiasRef(entries)(want, ids);
        const scratch = new SequenceRuleScratch();
        for (const h of [ids, new TokenHistory(ids)]) {
          const got = Float32Array.from(row);
          scratch.apply(compiled, got, h, false);
          expect(Array.from(got)).toEqual(Array.from(want));
        }
        const banned = Float32Array.from(row);
        scratch.apply(compiled, banned, ids, true);
        const biased = new Set<number>();
        for (const [seq] of entries) {
          const prefix = seq.slice(0, -1);
          if (prefix.length <= ids.length && prefix.every((p, j) => ids[ids.length - prefix.length + j] === p)) biased.add(seq[seq.length - 1]);
        }
        for (let i = 0; i < 5; i++) expect(banned[i]).toBe(biased.has(i) ? -Infinity : Math.fround(row[i]));
      }),
      { numRuns: 1000 },
    );
  });
  it('compile: a repeated sequence keeps its last bias; maxId and maxPrefix are recorded', () => {
    const c = compileSequenceRules([[[1, 2], 1], [[3], 2], [[1, 2], 5], [[0, 0, 4], 1]]);
    expect(c.maxId).toBe(4);
    expect(c.maxPrefix).toBe(2);
    expect(Array.from(c.biases)).toEqual([5, 1]);
    expect(Array.from(c.singleIds)).toEqual([3]);
  });
  it('multi-id rules need the history; its tail ids are checked', () => {
    const c = compileSequenceRules([[[1, 2], 1]]);
    const s = new SequenceRuleScratch();
    expect(() => s.apply(c, new Float32Array(4), undefined, false, 'sequenceBias(1 rules)')).toThrow(/sequenceBias\(1 rules\) needs the history/);
    expect(() => s.apply(c, new Float32Array(4), [0, 1.5], false)).toThrow(/history\[1\]/);
    const single = compileSequenceRules([[[1], 1]]);
    const x = new Float32Array(4);
    s.apply(single, x, undefined, false);
    expect(Array.from(x)).toEqual([0, 1, 0, 0]);
  });
});
