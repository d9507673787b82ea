import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encoderNoRepeatNgram, noRepeatNgram } from '../../src/processors/no-repeat-ngram.js';
import { TokenHistory } from '../../src/core/token-history.js';
import { historyProperty, parity } from './history-parity.js';
import { noRepeatNgramRef } from './naive-references.js';

parity('NoRepeatNGramLogitsProcessor', (p) => noRepeatNgram(p.ngram_size), {}, { ngram_size: ['n'] });

parity('EncoderNoRepeatNGramLogitsProcessor', (p, r, rows) => {
  // 1-D encoder ids are one item; with B items, rows are grouped contiguously (beams): row r uses item r // (rows / B).
  const enc: number[][] = Array.isArray(p.encoder_input_ids[0]) ? p.encoder_input_ids : [p.encoder_input_ids];
  return encoderNoRepeatNgram(p.encoder_ngram_size, enc[Math.floor(r / (rows / enc.length))]);
}, {}, { encoder_ngram_size: ['n'] });

/** True when appending `t` to `ids` repeats an n-gram already in `ids`. */
function repeats(ids: number[], t: number, n: number): boolean {
  const seq = [...ids, t];
  const last = seq.slice(seq.length - n).join(',');
  if (seq.length < n) return false;
  for (let s = 0; s + n <= ids.length; s++) if (ids.slice(s, s + n).join(',') === last) return true;
  return false;
}

describe('noRepeatNgram', () => {
  for (const n of [1, 2, 3, 4]) historyProperty(`noRepeatNgram(${n})`, () => noRepeatNgram(n), noRepeatNgramRef(n), 5);

  it('bans exactly the tokens that would repeat an n-gram (brute-force reference)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 }),
        fc.boolean(),
        (n, ids, useHistory) => {
          const x = new Float32Array(5).fill(1);
          noRepeatNgram(n)(x, useHistory ? new TokenHistory(ids) : ids);
          for (let t = 0; t < 5; t++) {
            // never leaves a banned n-gram completable, and bans nothing else
            expect(x[t] === -Infinity).toBe(repeats(ids, t, n));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('follows a growing TokenHistory', () => {
    const proc = noRepeatNgram(2);
    const h = new TokenHistory([1, 2, 3]);
    const x = new Float32Array(4);
    proc(x, h);
    expect(Array.from(x)).toEqual([0, 0, 0, 0]);
    h.push(1);
    const y = new Float32Array(4);
    proc(y, h);
    expect(Array.from(y)).toEqual([0, 0, -Infinity, 0]);
  });

  it('rejects bad options and data', () => {
    expect(() => noRepeatNgram(0)).toThrow(RangeError);
    expect(() => noRepeatNgram(2.5)).toThrow(TypeError);
    expect(() => noRepeatNgram('2' as unknown as number)).toThrow(TypeError);
    const p = noRepeatNgram(2);
    expect(() => p(new Float32Array(3))).toThrow(TypeError);
    expect(() => p(new Float32Array(3), [1, -2, 1])).toThrow(RangeError);
    expect(p.label).toBe('noRepeatNgram(2)');
  });
});

describe('encoderNoRepeatNgram', () => {
  it('bans the followers of the history’s last n−1 tokens in the encoder ids', () => {
    const x = new Float32Array(8);
    encoderNoRepeatNgram(2, [5, 6, 7, 5, 4])(x, [1, 5]);
    expect(Array.from(x)).toEqual([0, 0, 0, 0, -Infinity, 0, -Infinity, 0]);
    const y = new Float32Array(8);
    encoderNoRepeatNgram(1, [5, 6])(y, []);
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 0, -Infinity, -Infinity, 0]);
  });

  it('rejects bad options, and banned ids outside the row (HF raises)', () => {
    expect(() => encoderNoRepeatNgram(0, [1, 2])).toThrow(RangeError);
    expect(() => encoderNoRepeatNgram(2, [1, -2])).toThrow(RangeError);
    expect(() => encoderNoRepeatNgram(2, 7 as unknown as number[])).toThrow(TypeError);
    expect(() => encoderNoRepeatNgram(2, [1, 9], { vocabSize: 8 })).toThrow(RangeError);
    expect(() => encoderNoRepeatNgram(2, [1, 2], { vocabSize: 8 })(new Float32Array(4), [1])).toThrow(RangeError);
    const p = encoderNoRepeatNgram(2, [1, 9]);
    expect(() => p(new Float32Array(4), [1])).toThrow(/9/);
    expect(Array.from(p(new Float32Array(4), [2]))).toEqual([0, 0, 0, 0]);
  });
});
