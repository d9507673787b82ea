/** The shared argument checks: each throws the right class with a message naming the argument and the value. */
import { describe, expect, it } from 'vitest';
import {
  checkCandidates,
  checkFinite,
  checkInteger,
  checkLogits,
  checkNumber,
  checkRange,
  checkTokenIds,
  filterValueOption,
  minTokensOption,
} from '../../src/core/validate.js';
import { requireHistory, tokenIdList, vocabSizeOption } from '../../src/processors/options.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('validate', () => {
  it('checkNumber: NaN and non-numbers are TypeErrors naming the argument; ±Infinity pass', () => {
    expect(thrown(() => checkNumber('alpha', NaN))).toBeInstanceOf(TypeError);
    expect(thrown(() => checkNumber('alpha', '3')).message).toBe('alpha must be a number, got "3"');
    expect(checkNumber('alpha', -Infinity)).toBe(-Infinity);
  });
  it('checkFinite: ±Infinity is a RangeError', () => {
    const e = thrown(() => checkFinite('beta', Infinity));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('beta must be finite, got Infinity');
  });
  it('checkInteger: type, then range, with the bounds in the message', () => {
    expect(thrown(() => checkInteger('k', 1.5, 1)).message).toBe('k must be an integer, got 1.5');
    expect(thrown(() => checkInteger('k', 0, 1))).toBeInstanceOf(RangeError);
    expect(thrown(() => checkInteger('k', 0, 1)).message).toBe('k must be ≥ 1, got 0');
    expect(thrown(() => checkInteger('k', 9, 1, 4)).message).toBe('k must be in [1, 4], got 9');
    expect(thrown(() => checkInteger('k', [1] as unknown)).message).toBe('k must be an integer, got an array of length 1');
    expect(checkInteger('k', 4, 1, 4)).toBe(4);
  });
  it('checkRange: open and closed ends', () => {
    expect(checkRange('p', 0, 0, 1)).toBe(0);
    expect(thrown(() => checkRange('p', 0, 0, 1, 'low')).message).toBe('p must be in (0, 1], got 0');
    expect(thrown(() => checkRange('p', 1, 0, 1, 'high')).message).toBe('p must be in [0, 1), got 1');
    expect(thrown(() => checkRange('p', 1, 0, 1, 'both')).message).toBe('p must be in (0, 1), got 1');
    expect(thrown(() => checkRange('p', NaN, 0, 1))).toBeInstanceOf(TypeError);
  });
  it('checkLogits: Float32Array of the right, non-zero length', () => {
    expect(thrown(() => checkLogits([1, 2]))).toBeInstanceOf(TypeError);
    expect(thrown(() => checkLogits(new Float32Array(3), 4)).message).toBe('logits has length 3, expected the vocabulary size 4');
    expect(thrown(() => checkLogits(new Float32Array(0))).message).toBe('logits is empty');
    expect(thrown(() => checkLogits(new Float64Array(2), undefined, 'row')).message).toMatch(/^row must be a Float32Array/);
  });
  it('checkTokenIds: names the bad index and the vocabulary', () => {
    expect(thrown(() => checkTokenIds('ids', [0, -1])).message).toBe('ids[1] must be a token id (integer ≥ 0), got -1');
    expect(thrown(() => checkTokenIds('ids', [0, 7], 5)).message).toBe('ids[1] = 7 is outside the vocabulary of size 5');
    expect(thrown(() => checkTokenIds('ids', 'abc'))).toBeInstanceOf(TypeError);
    expect(checkTokenIds('ids', Int32Array.of(3, 1))).toEqual([3, 1]);
  });
  it('checkCandidates: shape and size against the row', () => {
    expect(thrown(() => checkCandidates({ ids: [1], size: 1 }, 4))).toBeInstanceOf(TypeError);
    expect(thrown(() => checkCandidates({ ids: new Int32Array(2), size: 3 }, 4)).message).toBe('cands.size must be an integer in [0, 2], got 3');
    expect(thrown(() => checkCandidates({ ids: new Int32Array(8), size: 5 }, 4)).message).toMatch(/do not belong to this row: they are 5 candidates/);
    expect(checkCandidates({ ids: new Int32Array(8), size: 4 }, 4)).toBe(4);
  });
  it('minTokensOption and filterValueOption: defaults and errors', () => {
    expect(minTokensOption(undefined)).toBe(1);
    expect(thrown(() => minTokensOption({ minTokensToKeep: 0 })).message).toBe('minTokensToKeep must be ≥ 1, got 0');
    expect(filterValueOption({})).toBe(-Infinity);
    expect(thrown(() => filterValueOption({ filterValue: NaN }))).toBeInstanceOf(TypeError);
  });
});

describe('token-id-options', () => {
  it('tokenIdList: one id or a list, distinct in first-seen order, checked against vocabSize', () => {
    expect(Array.from(tokenIdList('eosTokenIds', 3))).toEqual([3]);
    expect(Array.from(tokenIdList('eosTokenIds', [4, 2, 4, 1]))).toEqual([4, 2, 1]);
    expect(thrown(() => tokenIdList('eosTokenIds', [], undefined, false)).message).toBe('eosTokenIds must not be empty');
    expect(thrown(() => tokenIdList('eosTokenIds', [9], 5)).message).toMatch(/eosTokenIds\[0\] = 9 is outside the vocabulary of size 5/);
    expect(thrown(() => tokenIdList('ids', 3, undefined, true, false))).toBeInstanceOf(TypeError);
  });
  it('vocabSizeOption: integer ≥ 1 or undefined; with a where, unknown keys throw', () => {
    expect(vocabSizeOption(undefined)).toBeUndefined();
    expect(vocabSizeOption({ vocabSize: 8 }, 'x options')).toBe(8);
    expect(thrown(() => vocabSizeOption({ vocabSize: 0 })).message).toBe('vocabSize must be ≥ 1, got 0');
    expect(thrown(() => vocabSizeOption({ vocabsize: 8 } as never, 'x options')).message).toBe('x options: unknown option "vocabsize" (did you mean "vocabSize"?)');
  });
  it('requireHistory names what is wrong', () => {
    expect(thrown(() => requireHistory(undefined, 'minLength(3)')).message).toMatch(/^minLength\(3\) needs the history/);
  });
});
