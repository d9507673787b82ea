/** padTokenId is a token id: it applies to id sequences and is refused for words. */
import { describe, expect, it } from 'vitest';
import { CorpusMetrics, meanSeqRep, seqRep, uniqSeq } from '../../src/index.js';

describe('padTokenId with words', () => {
  it('seqRep, meanSeqRep and uniqSeq throw a TypeError naming padTokenId', () => {
    // the word numbering gives 'b' the internal id 1: it used to cut the text there
    expect(() => seqRep(['a', 'b', 'a', 'b'], 1, { padTokenId: 1 })).toThrow(TypeError);
    expect(() => seqRep(['a', 'b', 'a', 'b'], 1, { padTokenId: 1 })).toThrow(/padTokenId/);
    expect(() => meanSeqRep([['a', 'b', 'c', 'd']], 4, { padTokenId: 0 })).toThrow(/padTokenId/);
    expect(() => uniqSeq([['x', 'y']], { padTokenId: 1 })).toThrow(/padTokenId/);
  });
  it('CorpusMetrics.add of words with padTokenId throws naming padTokenId and adds nothing', () => {
    const c = new CorpusMetrics({ padTokenId: 1 });
    expect(() => c.add(['a', 'b', 'c'])).toThrow(/padTokenId/);
    expect(c.summary().sequences).toBe(0);
  });
  it('ids are still cut at padTokenId, and words without padTokenId are scored whole', () => {
    expect(seqRep([5, 6, 7, 8, 1, 9, 9], 1, { padTokenId: 1 })).toBe(0);
    expect(seqRep(['a', 'b', 'a', 'b'], 1)).toBe(0.5);
    expect(meanSeqRep([[2, 2, 1, 3, 4]], 1, { padTokenId: 1 })).toBe(0.5);
  });
});
