/** HistoryScratch (arrays into a reusable TokenHistory), historyLength and checkHistoryTail. */
import { describe, expect, it } from 'vitest';
import { checkHistoryTail, HistoryScratch, historyLength } from '../../src/processors/history.js';
import { TokenHistory } from '../../src/index.js';

describe('HistoryScratch', () => {
  it('passes a TokenHistory through and copies an array into one reused scratch history', () => {
    const s = new HistoryScratch();
    const h = new TokenHistory([1, 2]);
    expect(s.from(h)).toBe(h);
    const a = s.from([5, 6, 5]);
    expect(Array.from(a.tokens)).toEqual([5, 6, 5]);
    expect(a.counts().get(5)).toBe(2);
    const b = s.from(Int32Array.of(7));
    expect(b).toBe(a); // reused, no allocation per call
    expect(Array.from(b.tokens)).toEqual([7]);
    expect(b.counts().get(5)).toBe(0);
  });
  it('names the caller argument for a bad id or a missing history', () => {
    const s = new HistoryScratch();
    expect(() => s.from([1, NaN], 'history')).toThrow(/^history\[1\] must be a token id/);
    expect(() => s.from(undefined)).toThrow(TypeError);
    expect(() => s.from(5 as never, 'context')).toThrow(/^context must be a TokenHistory/);
  });
});

describe('historyLength and checkHistoryTail', () => {
  it('historyLength: 0 for undefined', () => {
    expect(historyLength(undefined)).toBe(0);
    expect(historyLength([1, 2, 3])).toBe(3);
    expect(historyLength(new TokenHistory([1]))).toBe(1);
  });
  it('checkHistoryTail reads only the last ids of an array', () => {
    expect(() => checkHistoryTail([NaN, 1, 2], 2)).not.toThrow();
    expect(() => checkHistoryTail([0, 1, -2], 2)).toThrow(/^history\[2\] must be a token id .*got -2/);
    expect(() => checkHistoryTail([0, 2 ** 31], 1, 'ctx')).toThrow(/^ctx\[1\]/);
    expect(() => checkHistoryTail(new TokenHistory([1, 2]), 5)).not.toThrow();
  });
});
