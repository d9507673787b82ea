/**
 * Cleaning up degenerate text after the fact: removes immediately repeated words, phrases and
 * sentences, and optionally near-duplicate sentences, keeping the first occurrence.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkInteger, checkRange } from '../core/validate.js';
import { PY_WHITESPACE } from '../metrics/split-words.js';

export interface CollapseRepeatsOptions {
  /** Copies in a row that make a repeat, for blocks of at least `minUnits` units. Default 2. */
  minRepeats?: number;
  /**
   * Blocks shorter than this many units need `shortRepeats` copies: "very very", "had had" or
   * Chinese reduplication (谢谢, 看看) are normal language. Default 2.
   */
  minUnits?: number;
  /** Copies in a row needed for a block shorter than `minUnits`. Default 3 (`Infinity`: never). */
  shortRepeats?: number;
  /** Longest block looked for, in units. Default 64. */
  maxUnits?: number;
  /** Compare units case-insensitively. Default false. */
  ignoreCase?: boolean;
  /**
   * When set (in (0, 1]), a sentence whose n-gram Jaccard similarity with an earlier kept sentence
   * is at least this is removed as a near-duplicate. Default: off.
   */
  similarity?: number;
  /** n of the unit n-grams compared by `similarity` (shorter sentences use their length). Default 2. */
  ngram?: number;
}

/** One removed piece of text. */
export interface Removal {
  /** Range `[start, end)` of the original text that the removed units span (it may enclose an earlier removal). */
  start: number;
  end: number;
  /** The removed text (with the whitespace that preceded each removed unit). */
  text: string;
  /** `'repeat'`: an immediate repetition; `'near-duplicate'`: a sentence similar to an earlier one. */
  kind: 'repeat' | 'near-duplicate';
  /** Range of the original text of the occurrence that was kept. */
  of: { start: number; end: number };
  /** Repeats: copies removed; near-duplicates: 1. */
  copies: number;
  /** Near-duplicates: the Jaccard similarity found. */
  similarity?: number;
}

export interface CollapseResult {
  text: string;
  removed: Removal[];
}

/** Scripts written without spaces between words: each character is a unit. */
const NOSPACE =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\p{Script=Bopomofo}';
const UNIT = /* @__PURE__ */ new RegExp(
  `[${NOSPACE}]\\p{M}*|(?:(?![${NOSPACE}])[\\p{L}\\p{N}\\p{M}_])+|[^${PY_WHITESPACE}\\p{L}\\p{N}\\p{M}_]\\p{M}*`,
  'gu',
);
const WORDISH = /^[\p{L}\p{N}]/u;
const PUNCT = /^\p{P}/u;
const TERMINATOR = /^[.!?。！？…‼⁇⁈⁉؟।॥]$/u;
const CLOSER = /^["'”’»」』】》）)\]]$/u;

interface Unit {
  start: number;
  end: number;
  /** Start of the gap (whitespace) before it. */
  gap: number;
  key: number;
  removed: boolean;
}

function options(o: CollapseRepeatsOptions | undefined) {
  if (o != null && typeof o !== 'object') throw new TypeError(`options must be an object, got ${String(o)}`);
  checkOptionKeys('collapseRepeats options', o, ['minRepeats', 'minUnits', 'shortRepeats', 'maxUnits', 'ignoreCase', 'similarity', 'ngram']);
  const shortRepeats = o?.shortRepeats ?? 3;
  return {
    minRepeats: checkInteger('minRepeats', o?.minRepeats ?? 2, 2),
    minUnits: checkInteger('minUnits', o?.minUnits ?? 2, 1),
    shortRepeats: shortRepeats === Infinity ? Infinity : checkInteger('shortRepeats', shortRepeats, 2),
    maxUnits: checkInteger('maxUnits', o?.maxUnits ?? 64, 1),
    ignoreCase: !!o?.ignoreCase,
    similarity: o?.similarity === undefined ? undefined : checkRange('similarity', o.similarity, 0, 1, 'low'),
    ngram: checkInteger('ngram', o?.ngram ?? 2, 1),
  };
}

/**
 * Removes immediately repeated words, phrases and sentences from `text`, keeping the first copy,
 * and (with `similarity`) sentences that are near-duplicates of an earlier one by n-gram Jaccard
 * similarity. Units are words (runs of letters, digits and marks), single punctuation marks, and
 * single characters of scripts written without spaces (Chinese, Japanese, Thai …), so CJK text
 * needs no spaces. Units compare after NFC normalisation (and case folding with `ignoreCase`).
 * Returns the cleaned text and what was removed, with positions in the original text.
 *
 * @example
 * ```ts
 * import { collapseRepeats } from 'degen-guard';
 *
 * collapseRepeats('Plug it into the steckdose steckdose steckdose steckdose.').text;
 * // 'Plug it into the steckdose.'
 * collapseRepeats('我爱你我爱你我爱你。').text; // → '我爱你。'
 * collapseRepeats('It was good. It was good. Then rain.').text; // → 'It was good. Then rain.'
 * ```
 */
export function collapseRepeats(text: string, opts?: CollapseRepeatsOptions): CollapseResult {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
  const o = options(opts);
  const { units, isPunct } = splitUnits(text, o.ignoreCase);
  const removed: Removal[] = [];
  removeRepeats(text, units, isPunct, o, removed);
  if (o.similarity !== undefined) removeNearDuplicates(text, units, o.similarity, o.ngram, removed);
  removed.sort((a, b) => a.start - b.start);
  return { text: rebuild(text, units), removed };
}

type Options = ReturnType<typeof options>;

/** The units of `text`, each with a dense key (equal keys: equal units), and which keys are punctuation. */
function splitUnits(text: string, ignoreCase: boolean): { units: Unit[]; isPunct: boolean[] } {
  const units: Unit[] = [];
  const dict = new Map<string, number>();
  let prevEnd = 0;
  for (const m of text.matchAll(UNIT)) {
    const start = m.index!;
    let k = m[0].normalize('NFC');
    if (ignoreCase) k = k.toLowerCase();
    let key = dict.get(k);
    if (key === undefined) dict.set(k, (key = dict.size));
    units.push({ start, end: start + m[0].length, gap: prevEnd, key, removed: false });
    prevEnd = start + m[0].length;
  }
  const isPunct: boolean[] = [];
  for (const [k, id] of dict) isPunct[id] = PUNCT.test(k);
  return { units, isPunct };
}

/** The text of `run`, each unit with the whitespace before it. */
function pieceOf(text: string, run: Unit[]): string {
  return run.map((u) => text.slice(u.gap, u.end)).join('');
}

/** Marks immediate repeats removed, repeated until nothing changes (collapsing inner loops can expose outer ones). */
function removeRepeats(text: string, units: Unit[], isPunct: boolean[], o: Options, removed: Removal[]): void {
  for (let pass = 0; pass < 16; pass++) {
    const live = units.filter((u) => !u.removed);
    const before = removed.length;
    const N = live.length;
    let i = 0;
    while (i < N) {
      const { period, copies } = longestRepeatAt(live, i, isPunct, o);
      if (period === 0) {
        i++;
        continue;
      }
      i += keptBlockShift(live, i, period, copies, isPunct);
      const run = live.slice(i + period, i + period * copies);
      for (const u of run) u.removed = true;
      removed.push({
        start: run[0].gap,
        end: run[run.length - 1].end,
        text: pieceOf(text, run),
        kind: 'repeat',
        of: { start: live[i].start, end: live[i + period - 1].end },
        copies: copies - 1,
      });
      i += period * copies;
    }
    if (removed.length === before) break;
  }
}

/**
 * The repeat starting at `live[i]` that covers the most units: a block of `period` units followed by
 * `copies − 1` copies of it (period 0: none). Blocks of punctuation only ("...", "!!") do not count.
 */
function longestRepeatAt(live: Unit[], i: number, isPunct: boolean[], o: Options): { period: number; copies: number } {
  const N = live.length;
  let bestP = 0;
  let bestR = 0;
  const maxP = Math.min(o.maxUnits, Math.floor((N - i) / 2));
  for (let p = 1; p <= maxP; p++) {
    let r = 1;
    for (;;) {
      const from = i + r * p;
      if (from + p > N) break;
      let j = 0;
      while (j < p && live[from + j].key === live[i + j].key) j++;
      if (j < p) break;
      r++;
    }
    if (r < 2 || r < (p >= o.minUnits ? o.minRepeats : o.shortRepeats)) continue;
    let words = false;
    for (let j = 0; j < p && !words; j++) words = !isPunct[live[i + j].key];
    if (!words) continue;
    if (p * r > bestP * bestR) {
      bestP = p;
      bestR = r;
    }
  }
  return { period: bestP, copies: bestR };
}

/**
 * A repeat can often be read at several rotations ("。A。A。" is "。A" twice or "A。" twice): the shift
 * (in units) of the rotation whose kept block ends a sentence or a clause, 0 when none does.
 */
function keptBlockShift(live: Unit[], i: number, period: number, copies: number, isPunct: boolean[]): number {
  const N = live.length;
  for (let s = 0; s < period; s++) {
    if (s > 0) {
      const k = i + period * copies + s - 1;
      if (k >= N || live[k].key !== live[i + s - 1].key) break;
    }
    if (isPunct[live[i + s + period - 1].key]) return s;
  }
  return 0;
}

/** The live units grouped into sentences: a sentence ends at a terminator (with its closers) or a newline. */
function splitSentences(text: string, live: Unit[]): Unit[][] {
  const sentences: Unit[][] = [];
  let cur: Unit[] = [];
  for (let i = 0; i < live.length; i++) {
    const u = live[i];
    if (cur.length > 0 && text.slice(u.gap, u.start).includes('\n')) {
      sentences.push(cur);
      cur = [];
    }
    cur.push(u);
    const s = text.slice(u.start, u.end);
    if (TERMINATOR.test(s)) {
      while (i + 1 < live.length && live[i + 1].gap === live[i + 1].start) {
        const nxt = text.slice(live[i + 1].start, live[i + 1].end);
        if (!TERMINATOR.test(nxt) && !CLOSER.test(nxt)) break;
        cur.push(live[++i]);
      }
      sentences.push(cur);
      cur = [];
    }
  }
  if (cur.length) sentences.push(cur);
  return sentences;
}

/** The distinct word n-grams of a sentence (n shrinks to the sentence's word count), as strings of keys. */
function wordNgrams(text: string, sentence: Unit[], ngram: number): Set<string> {
  const words = sentence.filter((u) => WORDISH.test(text.slice(u.start, u.end))).map((u) => u.key);
  const n = Math.min(ngram, words.length);
  const grams = new Set<string>();
  for (let i = 0; n > 0 && i + n <= words.length; i++) grams.add(words.slice(i, i + n).join(','));
  return grams;
}

/** Marks removed each sentence whose n-gram Jaccard similarity with an earlier kept one is ≥ `similarity`. */
function removeNearDuplicates(text: string, units: Unit[], similarity: number, ngram: number, removed: Removal[]): void {
  const kept: { grams: Set<string>; units: Unit[] }[] = [];
  for (const sentence of splitSentences(text, units.filter((u) => !u.removed))) {
    const grams = wordNgrams(text, sentence, ngram);
    let match: { sim: number; units: Unit[] } | null = null;
    if (grams.size > 0) {
      for (const k of kept) {
        let inter = 0;
        for (const g of grams) if (k.grams.has(g)) inter++;
        const sim = inter / (grams.size + k.grams.size - inter);
        if (sim >= similarity && (!match || sim > match.sim)) match = { sim, units: k.units };
      }
    }
    if (!match) {
      kept.push({ grams, units: sentence });
      continue;
    }
    for (const u of sentence) u.removed = true;
    removed.push({
      start: sentence[0].gap,
      end: sentence[sentence.length - 1].end,
      text: pieceOf(text, sentence),
      kind: 'near-duplicate',
      of: { start: match.units[0].start, end: match.units[match.units.length - 1].end },
      copies: 1,
      similarity: match.sim,
    });
  }
}

/** The text without the removed units; every removed unit takes the whitespace before it with it. */
function rebuild(text: string, units: Unit[]): string {
  let out = '';
  let pos = 0;
  for (const u of units) {
    if (!u.removed) continue;
    out += text.slice(pos, u.gap);
    pos = u.end;
  }
  return out + text.slice(pos);
}
