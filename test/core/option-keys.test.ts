import { describe, expect, it } from 'vitest';
import { camelCase, checkOptionKeys, nearestKey } from '../../src/core/option-keys.js';

describe('checkOptionKeys', () => {
  const allowed = ['minTokensToKeep', 'filterValue'];
  it('accepts undefined, null and known keys', () => {
    expect(() => checkOptionKeys('x', undefined, allowed)).not.toThrow();
    expect(() => checkOptionKeys('x', null, allowed)).not.toThrow();
    expect(() => checkOptionKeys('x', { minTokensToKeep: 2, filterValue: -1 }, allowed)).not.toThrow();
  });
  it('rejects a misspelt key and suggests the valid one', () => {
    expect(() => checkOptionKeys('topP options', { minTokenToKeep: 3 }, allowed)).toThrow(
      'topP options: unknown option "minTokenToKeep" (did you mean "minTokensToKeep"?)',
    );
  });
  it('suggests the camelCase name of a snake_case key', () => {
    expect(() => checkOptionKeys('generate options', { max_new_tokens: 20 }, ['maxNewTokens', 'seed'])).toThrow(
      'did you mean "maxNewTokens"?',
    );
  });
  it('lists the valid keys when none is close', () => {
    expect(() => checkOptionKeys('o', { zzzzzzzz: 1 }, allowed)).toThrow('valid options: minTokensToKeep, filterValue');
  });
  it('rejects non-objects', () => {
    expect(() => checkOptionKeys('o', 3, allowed)).toThrow(TypeError);
    expect(() => checkOptionKeys('o', [1], allowed)).toThrow('must be an object, got an array');
  });
  it('camelCase and nearestKey', () => {
    expect(camelCase('no_repeat_ngram_size')).toBe('noRepeatNgramSize');
    expect(nearestKey('eosTokenId', ['eosTokenIds', 'maxNewTokens'])).toBe('eosTokenIds');
    expect(nearestKey('banana', ['eosTokenIds'])).toBeNull();
  });
});
