import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapseRepeats } from '../../src/text/collapse-repeats.js';

describe('collapseRepeats: examples', () => {
  it('word, phrase and sentence loops keep their first copy', () => {
    expect(collapseRepeats('Plug it into the steckdose steckdose steckdose steckdose.').text).toBe('Plug it into the steckdose.');
    expect(collapseRepeats('I think that I think that I think that it works').text).toBe('I think that it works');
    expect(collapseRepeats('It was good. It was good. It was good. Then rain.').text).toBe('It was good. Then rain.');
    expect(collapseRepeats('a b a b c a b a b c d').text).toBe('a b c d');
  });

  it('Chinese (no spaces): repeated phrases and sentences', () => {
    const r = collapseRepeats('我爱你我爱你我爱你。今天天气很好。今天天气很好。');
    expect(r.text).toBe('我爱你。今天天气很好。');
    expect(r.removed.map((x) => x.text)).toEqual(['我爱你我爱你', '今天天气很好。']);
    expect(r.removed[0]).toMatchObject({ start: 3, end: 9, kind: 'repeat', copies: 2, of: { start: 0, end: 3 } });
  });

  it('normal repetition survives: "very very", "had had", 谢谢, 看看', () => {
    for (const t of ['It was very very good.', 'He had had enough.', '谢谢你的帮助', '我看看。', 'Wait... what?']) {
      expect(collapseRepeats(t)).toEqual({ text: t, removed: [] });
    }
    // … unless a single unit repeats shortRepeats (3) times.
    expect(collapseRepeats('no no no no way').text).toBe('no way');
    expect(collapseRepeats('no no no way', { shortRepeats: Infinity }).text).toBe('no no no way');
  });

  it('ignoreCase, NFC normalisation and astral characters', () => {
    expect(collapseRepeats('Hello world. hello world.').text).toBe('Hello world. hello world.');
    expect(collapseRepeats('Hello world. hello world.', { ignoreCase: true }).text).toBe('Hello world.');
    expect(collapseRepeats('caf\u00e9 au lait cafe\u0301 au lait').text).toBe('caf\u00e9 au lait');
    expect(collapseRepeats('😀🎉😀🎉😀🎉 ok').text).toBe('😀🎉 ok');
    expect(collapseRepeats('𠀀𠀁𠀀𠀁').text).toBe('𠀀𠀁');
  });

  it('near-duplicate sentences by n-gram Jaccard, only when asked', () => {
    const t = 'The cat sat on the mat. The cat sat on a mat! Dogs bark.';
    expect(collapseRepeats(t).text).toBe(t);
    const r = collapseRepeats(t, { similarity: 0.4 });
    expect(r.text).toBe('The cat sat on the mat. Dogs bark.');
    expect(r.removed[0]).toMatchObject({ kind: 'near-duplicate', text: ' The cat sat on a mat!', of: { start: 0, end: 23 } });
    expect(r.removed[0].similarity).toBeCloseTo(3 / 7, 12);
    expect(collapseRepeats(t, { similarity: 0.5 }).text).toBe(t);
    const zh = collapseRepeats('我喜欢吃苹果。我很喜欢吃苹果。我喜欢吃香蕉。', { similarity: 0.5 });
    expect(zh.text).toBe('我喜欢吃苹果。我喜欢吃香蕉。');
  });

  it('validates options', () => {
    expect(() => collapseRepeats('x', { minRepeats: 1 })).toThrow(/minRepeats/);
    expect(() => collapseRepeats('x', { similarity: 0 })).toThrow(/similarity/);
    expect(() => collapseRepeats('x', { maxUnits: 0 })).toThrow(/maxUnits/);
    expect(() => collapseRepeats(5 as unknown as string)).toThrow(TypeError);
  });
});

describe('collapseRepeats: properties', () => {
  const piece = fc.constantFrom('a', 'b', 'c', '中', '文', '.', ' ', ' ', '\n', '😀', 'Ab');
  const text = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(''));

  it('output + removed pieces account for every character; the output is a subsequence', () => {
    fc.assert(
      fc.property(text, fc.option(fc.double({ min: 0.2, max: 1, noNaN: true }), { nil: undefined }), (t, similarity) => {
        const r = collapseRepeats(t, { similarity });
        expect(r.text.length + r.removed.reduce((a, x) => a + x.text.length, 0)).toBe(t.length);
        let i = 0;
        for (const ch of r.text) {
          i = t.indexOf(ch, i);
          expect(i).toBeGreaterThanOrEqual(0);
          i += ch.length;
        }
        for (const x of r.removed) {
          expect(x.start).toBeGreaterThanOrEqual(0);
          expect(x.end).toBeLessThanOrEqual(t.length);
          expect(x.of.end).toBeLessThanOrEqual(x.start);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent, and a doubled block always collapses to one copy', () => {
    fc.assert(
      fc.property(text, fc.uniqueArray(fc.constantFrom('x', 'y', 'z', '字', 'w'), { minLength: 2, maxLength: 5 }), (t, block) => {
        const once = collapseRepeats(t).text;
        expect(collapseRepeats(once).text).toBe(once);
        const b = block.join(' ');
        expect(collapseRepeats(`${b} ${b}`).text).toBe(collapseRepeats(b).text);
      }),
      { numRuns: 1000 },
    );
  });
});
