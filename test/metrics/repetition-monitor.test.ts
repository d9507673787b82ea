import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RepetitionMonitor } from '../../src/metrics/repetition-monitor.js';
import { seqRep } from '../../src/metrics/seq-rep.js';
import { splitWords } from '../../src/metrics/split-words.js';

const root = join(__dirname, '..', '..');

function toIds(tokens: string[], dict = new Map<string, number>()): number[] {
  return tokens.map((w) => {
    let id = dict.get(w);
    if (id === undefined) dict.set(w, (id = dict.size));
    return id;
  });
}

/** Brute force: the repeating suffixes of xs (period ≤ maxP with at least 2 whole blocks). */
function suffixes(xs: number[], maxP: number) {
  const out: { p: number; span: number; repeats: number }[] = [];
  const L = xs.length;
  for (let p = 1; p <= Math.min(maxP, L - 1); p++) {
    let run = 0;
    while (L - 1 - run - p >= 0 && xs[L - 1 - run] === xs[L - 1 - run - p]) run++;
    if (run >= p) out.push({ p, span: run + p, repeats: Math.floor((run + p) / p) });
  }
  return out;
}

function push(m: RepetitionMonitor, xs: ArrayLike<number>) {
  let s = m.push(xs[0]);
  for (let i = 1; i < xs.length; i++) s = m.push(xs[i]);
  return s;
}

describe('RepetitionMonitor: contract', () => {
  it('defaults and validation name the option', () => {
    const m = new RepetitionMonitor();
    expect([m.n, m.window, m.maxPeriod, m.minRepeats, m.minSpan, m.maxSeqRep]).toEqual([4, 128, 64, 2, 4, 0.5]);
    expect(() => new RepetitionMonitor({ n: 0 })).toThrow(/n must/);
    expect(() => new RepetitionMonitor({ n: 5, window: 4 })).toThrow(/window/);
    expect(() => new RepetitionMonitor({ maxPeriod: -1 })).toThrow(/maxPeriod/);
    expect(() => new RepetitionMonitor({ minRepeats: 1 })).toThrow(/minRepeats/);
    expect(() => new RepetitionMonitor({ minSpan: 0 })).toThrow(/minSpan/);
    expect(() => new RepetitionMonitor({ maxSeqRep: 1.5 })).toThrow(/maxSeqRep/);
    expect(() => new RepetitionMonitor({ maxSeqRep: NaN })).toThrow(TypeError);
    expect(() => new RepetitionMonitor({ window: 2.5 })).toThrow(TypeError);
    expect(() => m.push(1.5)).toThrow(/token/);
    expect(() => m.push(2 ** 31)).toThrow(/token/);
  });

  it('returns the same mutable state object and counts length; reset forgets', () => {
    const m = new RepetitionMonitor();
    const a = m.push(1);
    const b = m.push(2);
    expect(a).toBe(b);
    expect(b.length).toBe(2);
    expect(m.length).toBe(2);
    push(m, [1, 2, 1, 2, 1, 2]);
    expect(m.length).toBe(8);
    m.reset();
    expect(m.length).toBe(0);
    const s = m.push(1);
    expect(s).toMatchObject({ length: 1, seqRep: 0, period: 0, repeats: 0, loopStart: -1, triggered: false, reason: null });
  });

  it('the doc example', () => {
    const s = push(new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }), [5, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(s).toMatchObject({ period: 3, repeats: 3, loopStart: 1, span: 9, triggered: true, reason: 'loop' });
  });
});

describe('RepetitionMonitor: agrees with brute force', () => {
  it('seqRep over the window equals seqRep of the window slice; the suffix is the best brute-force one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (xs, n, extra, minRepeats, minSpan) => {
          const window = n + extra;
          const maxPeriod = 10;
          const m = new RepetitionMonitor({ n, window, maxPeriod, minRepeats, minSpan, maxSeqRep: 0.6 });
          for (let i = 0; i < xs.length; i++) {
            const s = m.push(xs[i]);
            const prefix = xs.slice(0, i + 1);
            const win = prefix.slice(-window);
            const want = win.length < n ? 0 : seqRep(win, n);
            expect(Math.abs(s.seqRep - want)).toBeLessThan(1e-12);
            const cands = suffixes(prefix, maxPeriod);
            const trig = cands.filter((c) => c.repeats >= minRepeats && c.p * c.repeats >= minSpan);
            const pool = trig.length ? trig : cands;
            const best = pool.reduce<(typeof pool)[0] | null>((a, c) => (!a || c.span > a.span ? c : a), null);
            if (!best) expect(s).toMatchObject({ period: 0, repeats: 0, loopStart: -1, span: 0 });
            else expect(s).toMatchObject({ period: best.p, repeats: best.repeats, span: best.span, loopStart: prefix.length - best.span });
            const seqTrig = prefix.length >= window && want > 0.6;
            expect(s.reason).toBe(trig.length ? 'loop' : seqTrig ? 'seqRep' : null);
            expect(s.triggered).toBe(s.reason !== null);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is invariant to renaming token ids', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 1000 }), (xs, k) => {
        const a = new RepetitionMonitor({ window: 16, maxPeriod: 8 });
        const b = new RepetitionMonitor({ window: 16, maxPeriod: 8 });
        for (const x of xs) {
          const sa = { ...a.push(x) };
          const sb = b.push(x * 7919 + k);
          expect(sb).toEqual(sa);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('RepetitionMonitor: catches loops', () => {
  it('a character-level loop ("steckdose steckdose …")', () => {
    const m = new RepetitionMonitor();
    const text = 'Die Steckdose ist hier: ' + 'steckdose '.repeat(5);
    let first = -1;
    let s;
    for (let i = 0; i < text.length; i++) {
      s = m.push(text.codePointAt(i)!);
      if (s.triggered && first < 0) first = i;
    }
    expect(s!.reason).toBe('loop');
    expect(s!.period).toBe(10);
    expect(s!.repeats).toBeGreaterThanOrEqual(4);
    // Fires as soon as a block has been seen twice: " steckdose" (the space before the first copy
    // included) twice ends at index 42, one character before "steckdose " twice would.
    expect(first).toBe(42);
  });

  it('a word-level loop of one word', () => {
    const ids = toIds(splitWords('I would like to plug it into the steckdose steckdose steckdose steckdose steckdose steckdose steckdose steckdose'));
    const s = push(new RepetitionMonitor(), ids);
    expect(s).toMatchObject({ triggered: true, reason: 'loop', period: 1, repeats: 8 });
    // With the defaults (minRepeats 2, minSpan 4) four repeats of one word trigger, three (span 3) do not.
    expect(push(new RepetitionMonitor(), ids.slice(0, 8 + 4))).toMatchObject({ triggered: true, period: 1, repeats: 4 });
    expect(push(new RepetitionMonitor(), ids.slice(0, 8 + 3)).triggered).toBe(false);
    // A stricter monitor (minRepeats 3, minSpan 8): seven repeats (span 7) do not trigger, eight do.
    expect(push(new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }), ids.slice(0, -1)).triggered).toBe(false);
    expect(push(new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }), ids).triggered).toBe(true);
  });

  it('a sentence-level loop', () => {
    const sentence = 'The results show that the model is robust to noise.';
    const ids = toIds(splitWords('We ran the experiment twice. ' + (sentence + ' ').repeat(3)));
    const s = push(new RepetitionMonitor(), ids);
    expect(s).toMatchObject({ triggered: true, reason: 'loop', period: splitWords(sentence).length, repeats: 3 });
    expect(s.loopStart).toBe(5);
  });

  it('a long-period loop (period 50) and one longer than maxPeriod via seqRep', () => {
    const block = Array.from({ length: 50 }, (_, i) => 1000 + i);
    const s = push(new RepetitionMonitor(), [1, 2, 3, ...block, ...block, ...block]);
    expect(s).toMatchObject({ triggered: true, reason: 'loop', period: 50, repeats: 3, loopStart: 3 });
    const long = Array.from({ length: 150 }, (_, i) => 5000 + i);
    const m = new RepetitionMonitor({ window: 512 });
    const s2 = push(m, [...long, ...long, ...long, ...long]);
    expect(s2.period).toBe(0);
    expect(s2.seqRep).toBeGreaterThan(0.6);
    expect(s2).toMatchObject({ triggered: true, reason: 'seqRep' });
  });
});

describe('RepetitionMonitor: no false alarm on ordinary text (KJV Genesis)', () => {
  const text = readFileSync(join(root, 'data', 'kjv-genesis.txt'), 'utf8');

  it('word level, one continuous stream of ~38,000 words', () => {
    const ids = toIds(splitWords(text));
    expect(ids.length).toBeGreaterThan(30000);
    const m = new RepetitionMonitor();
    let maxSeqRep = 0;
    for (let i = 0; i < ids.length; i++) {
      const s = m.push(ids[i]);
      expect(s.triggered, `word ${i}`).toBe(false);
      if (s.length >= m.window) maxSeqRep = Math.max(maxSeqRep, s.seqRep);
    }
    expect(maxSeqRep).toBeGreaterThan(0.1); // the genealogies are repetitive, yet stay under 0.5
  });

  it('character level, with the stricter loop rule characters need (n = 8, minRepeats 3, minSpan 8)', () => {
    // A character 4-gram is far more common than a token 4-gram, and doubled syllables are ordinary
    // ("is is ", "alal" in Mahalaleel): the token defaults (minRepeats 2, minSpan 4) are not for characters.
    const m = new RepetitionMonitor({ n: 8, minRepeats: 3, minSpan: 8 });
    let alarms = 0;
    let loops = 0;
    for (const ch of text) {
      const s = m.push(ch.codePointAt(0)!);
      if (s.triggered) alarms++;
      if (s.reason === 'loop') loops++;
    }
    expect(alarms).toBe(0);
    // With n = 4 only the windowed seq-rep (never that loop rule) comes near 0.5 on characters.
    const d = new RepetitionMonitor({ minRepeats: 3, minSpan: 8 });
    for (const ch of text) if (d.push(ch.codePointAt(0)!).reason === 'loop') loops++;
    expect(loops).toBe(0);
    // The token defaults do fire on characters (doubled syllables), which is why they are not used here.
    const t = new RepetitionMonitor();
    let tokenDefaultLoops = 0;
    for (const ch of text) if (t.push(ch.codePointAt(0)!).reason === 'loop') tokenDefaultLoops++;
    expect(tokenDefaultLoops).toBeGreaterThan(0);
  });
});
