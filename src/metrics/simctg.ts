/**
 * Su et al. 2022 (SimCTG, "A Contrastive Framework for Neural Text Generation"): rep-n and
 * diversity = ∏ (1 − rep-n / 100) over n = 2, 3, 4.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { distinctNgramCount } from './distinct-ngrams.js';
import { checkInteger } from '../core/validate.js';
import { roundHalfEven } from './round-half-even.js';
import { checkCorpus, Interner, type Sequence } from './sequence-input.js';
import { splitWords } from './split-words.js';

export interface RepNOptions {
  /**
   * Reproduce the published script (`simctg/evaluation.py`) exactly: the last n-gram of each text
   * is never counted, rep-n is rounded to 2 decimals as Python rounds (half to even), and
   * diversity is computed from the rounded values. Default false: every n-gram counts, no rounding.
   */
  simctgCompat?: boolean;
}

/** A text (split with Python's `str.split()`), or an already tokenised sequence of ids or words. */
export type TextOrSequence = string | Sequence;

/** SimCTG's three rep-n values (percent) and diversity (a fraction in [0, 1]). */
export interface SimctgMetrics {
  rep2: number;
  rep3: number;
  rep4: number;
  diversity: number;
}

const interner = /* @__PURE__ */ new Interner();

function idsOf(text: unknown, name: string): ArrayLike<number> {
  if (typeof text === 'string') return interner.ids(splitWords(text), name);
  return interner.ids(text, name);
}

/**
 * Distinct and total n-grams of one text, as SimCTG's `eval_text` (with `simctgCompat`: the last
 * n-gram is not counted, so a text of exactly n words has none) or every n-gram (default).
 *
 * @example
 * ```ts
 * import { repNCounts } from 'degen-guard';
 *
 * repNCounts('a b c a b', 2); // → { unique: 3, total: 4 }
 * repNCounts('a b c a b', 2, { simctgCompat: true }); // → { unique: 3, total: 3 }
 * ```
 */
const REPN_KEYS = ['simctgCompat'] as const;

export function repNCounts(text: TextOrSequence, n: number, options?: RepNOptions): { unique: number; total: number } {
  checkInteger('n', n, 1);
  checkOptionKeys('repNCounts options', options, REPN_KEYS);
  const ids = idsOf(text, 'text');
  const end = options?.simctgCompat ? ids.length - 1 : ids.length;
  const total = Math.max(0, end - n + 1);
  const unique = distinctNgramCount(ids, end, n);
  interner.words.clear();
  return { unique, total };
}

function pooledCounts(texts: unknown, ns: readonly number[], compat: boolean): { unique: number[]; total: number[] } {
  const corpus = checkCorpus('texts', texts);
  const unique = ns.map(() => 0);
  const total = ns.map(() => 0);
  try {
    for (let s = 0; s < corpus.length; s++) {
      const ids = idsOf(corpus[s], `texts[${s}]`);
      const end = compat ? ids.length - 1 : ids.length;
      for (let k = 0; k < ns.length; k++) {
        const n = ns[k];
        if (end < n) continue;
        unique[k] += distinctNgramCount(ids, end, n);
        total[k] += end - n + 1;
      }
      interner.words.clear();
    }
  } finally {
    interner.words.clear();
  }
  return { unique, total };
}

function repFrom(unique: number, total: number, compat: boolean): number {
  if (total === 0) return NaN;
  const r = (1 - unique / total) * 100;
  return compat ? roundHalfEven(r, 2) : r;
}

/**
 * SimCTG rep-n in percent: `100 × (1 − Σ unique / Σ total)`, where each text's n-grams are
 * de-duplicated within that text only (two identical texts do not raise it) and the sums run over
 * texts. Texts shorter than n contribute nothing; `NaN` when no text has an n-gram (the script
 * raises ZeroDivisionError).
 *
 * @example
 * ```ts
 * import { repN } from 'degen-guard';
 *
 * // 5 bigrams, 2 distinct
 * repN(['hello world hello world hello world'], 2); // → 60
 * repN(['hello world hello world hello world'], 2, { simctgCompat: true }); // → 50
 * ```
 */
export function repN(texts: Iterable<TextOrSequence> | ArrayLike<TextOrSequence>, n: number, options?: RepNOptions): number {
  checkInteger('n', n, 1);
  checkOptionKeys('repN options', options, REPN_KEYS);
  const compat = !!options?.simctgCompat;
  const c = pooledCounts(texts, [n], compat);
  return repFrom(c.unique[0], c.total[0], compat);
}

/**
 * rep-2, rep-3, rep-4 (percent) and diversity in one pass, as SimCTG's
 * `measure_repetition_and_diversity`. Diversity = (1 − rep-2/100)(1 − rep-3/100)(1 − rep-4/100),
 * from the rounded values when `simctgCompat` is set (as the script does), from the exact ratios
 * otherwise.
 *
 * @example
 * ```ts
 * import { simctgMetrics } from 'degen-guard';
 *
 * simctgMetrics(['a b c d e f']); // → { rep2: 0, rep3: 0, rep4: 0, diversity: 1 }
 * ```
 */
export function simctgMetrics(texts: Iterable<TextOrSequence> | ArrayLike<TextOrSequence>, options?: RepNOptions): SimctgMetrics {
  checkOptionKeys('simctgMetrics options', options, REPN_KEYS);
  const compat = !!options?.simctgCompat;
  const c = pooledCounts(texts, [2, 3, 4], compat);
  const rep2 = repFrom(c.unique[0], c.total[0], compat);
  const rep3 = repFrom(c.unique[1], c.total[1], compat);
  const rep4 = repFrom(c.unique[2], c.total[2], compat);
  const diversity = compat
    ? (1 - rep2 / 100) * (1 - rep3 / 100) * (1 - rep4 / 100)
    : (c.unique[0] / c.total[0]) * (c.unique[1] / c.total[1]) * (c.unique[2] / c.total[2]);
  return { rep2, rep3, rep4, diversity: c.total[2] === 0 ? NaN : diversity };
}

/**
 * SimCTG diversity, ∏ over n = 2..4 of (1 − rep-n / 100), in [0, 1]; 1 when nothing repeats.
 * `NaN` when no text has a 4-gram.
 *
 * @example
 * ```ts
 * import { diversity } from 'degen-guard';
 *
 * diversity(['the cat sat on the mat']); // → 1
 * ```
 */
export function diversity(texts: Iterable<TextOrSequence> | ArrayLike<TextOrSequence>, options?: RepNOptions): number {
  return simctgMetrics(texts, options).diversity;
}
