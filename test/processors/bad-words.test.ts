import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { badWords } from '../../src/processors/bad-words.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { historyProperty, parity } from './history-parity.js';
import { badWordsRef } from './naive-references.js';

parity(
  'NoBadWordsLogitsProcessor',
  (p) => badWords(p.bad_words_ids, p.eos_token_id === undefined ? {} : { eosTokenIds: p.eos_token_id }),
  {},
  { bad_words_ids: ['sequences'] },
);

describe('badWords', () => {
  historyProperty('badWords', () => badWords([[4], [1, 2], [0, 1, 3], [2, 2], [0]], { eosTokenIds: 0 }), badWordsRef([[4], [1, 2], [0, 1, 3], [2, 2], [0]], [0]), 5);

  it('bans exactly the last ids of the sequences whose prefix ends the history', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 10 }),
        fc.boolean(),
        (seqs, ids, useHistory) => {
          const x = Float32Array.from([1, 2, 3, 4, 5]);
          badWords(seqs)(x, useHistory ? new TokenHistory(ids) : ids);
          const banned = new Set<number>();
          for (const s of seqs) {
            const pre = s.slice(0, -1);
            if (pre.length > ids.length) continue;
            const tail = ids.slice(ids.length - pre.length);
            if (pre.every((t, i) => t === tail[i])) banned.add(s[s.length - 1]);
          }
          for (let t = 0; t < 5; t++) expect(x[t]).toBe(banned.has(t) ? -Infinity : t + 1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a banned +Infinity or NaN cell becomes -Infinity (HF gives NaN; documented deviation)', () => {
    const x = Float32Array.from([Infinity, NaN, 1]);
    badWords([[0], [1]])(x, []);
    expect(Array.from(x)).toEqual([-Infinity, -Infinity, 1]);
  });

  it('dropping eos-only entries can leave nothing to ban', () => {
    const x = Float32Array.from([1, 2]);
    badWords([[1]], { eosTokenIds: [1] })(x, [0]);
    expect(Array.from(x)).toEqual([1, 2]);
    // an eos-only entry outside the row is dropped before the vocabulary check (as HF)
    expect(() => badWords([[9]], { eosTokenIds: 9 })(new Float32Array(3), [])).not.toThrow();
  });

  it('rejects bad options; ids outside the row throw at the call', () => {
    expect(() => badWords([])).toThrow(RangeError);
    expect(() => badWords([[]])).toThrow(RangeError);
    expect(() => badWords([[-1]])).toThrow(RangeError);
    expect(() => badWords('1' as never)).toThrow(TypeError);
    expect(() => badWords([[1]], { eosTokenIds: -1 })).toThrow(RangeError);
    expect(() => badWords([[1]], { eosTokenIds: 1.5 })).toThrow(RangeError);
    expect(() => badWords([[7]], { vocabSize: 6 })).toThrow(RangeError);
    expect(() => badWords([[1]], { vocabSize: 6 })(new Float32Array(5), [])).toThrow(RangeError);
    expect(() => badWords([[9]])(new Float32Array(6), [0])).toThrow(/9/);
  });
});
