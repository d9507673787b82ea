// The examples of the TSDoc comments and docs/metrics.md, plus the documented edge behaviour.
import { describe, expect, it } from 'vitest';
import { CorpusMetrics } from '../../src/metrics/corpus-metrics.js';
import { distinct } from '../../src/metrics/distinct.js';
import { ngramRepeatMask } from '../../src/metrics/repeat-mask.js';
import { meanSeqRep, seqRep, uniqSeq } from '../../src/metrics/seq-rep.js';
import { diversity, repN, repNCounts, simctgMetrics } from '../../src/metrics/simctg.js';
import { splitWords, splitWordsAndPunct } from '../../src/metrics/split-words.js';
import { rep, repeatCounts, wrep } from '../../src/metrics/token-rep.js';
import { distinctNgramCount } from '../../src/metrics/distinct-ngrams.js';

describe('documented examples', () => {
  it('split words', () => {
    expect(splitWords('  a\tb\u3000c\n')).toEqual(['a', 'b', 'c']);
    expect(splitWords('a\ufeffb')).toEqual(['a\ufeffb']);
    expect(splitWordsAndPunct('Café, naïve!\n')).toEqual(['Café', ',', 'naïve', '!', '\n']);
  });

  it('seq-rep, uniq-seq, mask', () => {
    expect(seqRep([2, 3, 4, 2, 3], 2)).toBe(0.25);
    expect(seqRep(['a', 'b', 'a', 'b'], 1)).toBe(0.5);
    expect(seqRep([5, 6, 7, 8, 1, 9, 9], 1, { padId: 1 })).toBe(0);
    expect(seqRep([5, 6, 7, 8, 1, 9, 9], 1)).toBeCloseTo(1 / 7, 15);
    expect(meanSeqRep([[1, 2, 3, 4], [7, 7, 7, 7]], 1)).toBe(0.375);
    expect(uniqSeq([[1, 2, 2], [2, 3]])).toBe(3);
    expect(Array.from(ngramRepeatMask([1, 2, 3, 1, 2, 3], 3))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(distinctNgramCount([1, 2, 1, 2, 3], 5, 2)).toBe(3);
  });

  it('rep / wrep', () => {
    expect(repeatCounts([1, 2, 1, 2, 3, 1, 9, 2], [1, 2, 1, 3, 3, 4, 9, 2], 2)).toEqual({ repeat: 3, wrongRepeat: 1, humanRepeat: 2, tokens: 8 });
    expect(rep([5, 5, 5, 9], [5, 6, 7, 8], { window: 16 })).toBe(0.5);
    expect(wrep([5, 5, 6, 9], [5, 6, 6, 8], { window: 16 })).toBe(0.25);
  });

  it('SimCTG', () => {
    expect(repNCounts('a b c a b', 2)).toEqual({ unique: 3, total: 4 });
    expect(repNCounts('a b c a b', 2, { simctgCompat: true })).toEqual({ unique: 3, total: 3 });
    expect(repN(['hello world hello world hello world'], 2)).toBeCloseTo(60, 12);
    expect(repN(['hello world hello world hello world'], 2, { simctgCompat: true })).toBe(50);
    expect(simctgMetrics(['a b c d e f'])).toEqual({ rep2: 0, rep3: 0, rep4: 0, diversity: 1 });
    expect(diversity(['the cat sat on the mat'])).toBe(1);
  });

  it('distinct', () => {
    expect(distinct(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 2)).toBe(0.875);
    expect(distinct([[1, 2, 1, 2], [3, 4]], 1, { distinctMode: 'pooled' })).toBe(4 / 6);
    expect(distinct([[1, 2, 1, 2], [3, 4]], 2, { distinctMode: 'ratio' })).toBe(3 / 4);
  });

  it('CorpusMetrics', () => {
    const corpus = new CorpusMetrics();
    corpus.add([1, 2, 3, 1, 2, 3]);
    corpus.add([4, 5, 6, 7]);
    const s = corpus.summary();
    expect(s.seqRep[0]).toBe(0.25);
    expect(s.uniqSeq).toBe(7);
    expect(() => corpus.add(['a'])).toThrow(/do not mix/);
    expect(corpus.summary().sequences).toBe(2);
  });
});

describe('documented edge behaviour', () => {
  it('undefined values are NaN, bad input throws naming the argument', () => {
    expect(seqRep([], 1)).toBeNaN();
    expect(meanSeqRep([], 2)).toBeNaN();
    expect(rep([], [])).toBeNaN();
    expect(repN(['a b'], 4)).toBeNaN();
    expect(distinct([], 2)).toBe(0);
    expect(distinct([], 2, { distinctMode: 'ratio' })).toBeNaN();
    expect(() => seqRep('a b' as unknown as string[], 1)).toThrow(/splitWords/);
    expect(() => seqRep([1, 2.5], 1)).toThrow(/tokens\[1\]/);
    expect(() => seqRep(['a', 2] as unknown as string[], 1)).toThrow(/tokens\[1\]/);
    expect(() => seqRep([1], 0)).toThrow(/n must/);
    expect(() => rep([1, 2], [1])).toThrow(/length/);
    expect(() => rep([1], [1], { window: -1 })).toThrow(/window/);
    expect(() => distinct([1], 1, { distinctMode: 'x' as never })).toThrow(/distinctMode/);
    expect(() => meanSeqRep([[1]], 2, { tooShort: 'error' })).toThrow(/sequences\[0\]/);
  });
});
