/** padId is a token id: it applies to id sequences and is refused for words. */
import { describe, expect, it } from 'vitest';
import { CorpusMetrics, meanSeqRep, seqRep, uniqSeq } from '../../src/index.js';

describe('padId with words', () => {
  it('seqRep, meanSeqRep and uniqSeq throw a TypeError naming padId', () => {
    // the word numbering gives 'b' the internal id 1: it used to cut the text there
    expect(() => seqRep(['a', 'b', 'a', 'b'], 1, { padId: 1 })).toThrow(TypeError);
    expect(() => seqRep(['a', 'b', 'a', 'b'], 1, { padId: 1 })).toThrow(/padId/);
    expect(() => meanSeqRep([['a', 'b', 'c', 'd']], 4, { padId: 0 })).toThrow(/padId/);
    expect(() => uniqSeq([['x', 'y']], { padId: 1 })).toThrow(/padId/);
  });
  it('CorpusMetrics.add of words with padId throws naming padId and adds nothing', () => {
    const c = new CorpusMetrics({ padId: 1 });
    expect(() => c.add(['a', 'b', 'c'])).toThrow(/padId/);
    expect(c.summary().sequences).toBe(0);
  });
  it('ids are still cut at padId, and words without padId are scored whole', () => {
    expect(seqRep([5, 6, 7, 8, 1, 9, 9], 1, { padId: 1 })).toBe(0);
    expect(seqRep(['a', 'b', 'a', 'b'], 1)).toBe(0.5);
    expect(meanSeqRep([[2, 2, 1, 3, 4]], 1, { padId: 1 })).toBe(0.5);
  });
});
