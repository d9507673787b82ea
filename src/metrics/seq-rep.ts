/**
 * Welleck et al. 2019 ("Neural Text Generation with Unlikelihood Training"): seq-rep-n of a
 * continuation, its corpus mean, and uniq-seq.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { distinctNgramCount } from './distinct-ngrams.js';
import { checkInteger } from '../core/validate.js';
import { checkCorpus, checkPadForWords, Interner, lengthBeforePad, type Sequence } from './sequence-input.js';

export interface SeqRepOptions {
  /**
   * Cut each sequence of token ids at the first occurrence of this id (fairseq's padding). No
   * default: the reference's `pad=1` would silently cut at token id 1. Token ids only: with words
   * (strings) it throws a TypeError.
   */
  padId?: number;
}

export interface MeanSeqRepOptions extends SeqRepOptions {
  /**
   * What to do with a sequence of fewer than `n` tokens, which has no n-gram (the reference code
   * raises ZeroDivisionError for the whole batch): `'skip'` (default) leaves it out of the mean,
   * `'error'` throws a RangeError naming its index.
   */
  tooShort?: 'skip' | 'error';
}

const interner = /* @__PURE__ */ new Interner();

function padOption(options: SeqRepOptions | undefined, where: string, keys: readonly string[] = ['padId']): number | undefined {
  checkOptionKeys(where, options, keys);
  const pad = options?.padId;
  if (pad !== undefined) checkInteger('padId', pad);
  return pad;
}

function seqRepOf(ids: ArrayLike<number>, len: number, n: number): number {
  if (len < n) return NaN;
  return 1 - distinctNgramCount(ids, len, n) / (len - n + 1);
}

/**
 * seq-rep-n of one continuation (Welleck et al. 2019): the share of its n-grams that duplicate an
 * earlier one, `1 − |distinct n-grams| / |n-grams|`, in [0, 1). k identical n-grams score (k−1)/k.
 * Tokens are ids or words, compared exactly. A sequence of fewer than `n` tokens has no n-gram and
 * scores `NaN` (the reference raises ZeroDivisionError).
 *
 * @example
 * ```ts
 * import { seqRep } from 'degen-guard';
 *
 * // bigram (2,3) occurs twice among 4
 * seqRep([2, 3, 4, 2, 3], 2); // → 0.25
 * seqRep(['a', 'b', 'a', 'b'], 1); // → 0.5
 * // cut at the first 1
 * seqRep([5, 6, 7, 8, 1, 9, 9], 1, { padId: 1 }); // → 0
 * ```
 */
export function seqRep(tokens: Sequence, n: number, options?: SeqRepOptions): number {
  checkInteger('n', n, 1);
  const pad = padOption(options, 'seqRep options');
  checkPadForWords(pad, tokens, 'tokens');
  const ids = interner.ids(tokens, 'tokens');
  const value = seqRepOf(ids, lengthBeforePad(ids, pad), n);
  interner.words.clear();
  return value;
}

/**
 * The corpus seq-rep-n of Welleck et al.: the mean of the per-sequence values (a macro average, not
 * pooled). Sequences of fewer than `n` tokens are left out (`tooShort: 'skip'`, the default) or make
 * it throw (`tooShort: 'error'`). `NaN` when no sequence counts.
 *
 * @example
 * ```ts
 * import { meanSeqRep } from 'degen-guard';
 *
 * // (0 + 0.75) / 2
 * meanSeqRep([[1, 2, 3, 4], [7, 7, 7, 7]], 1); // → 0.375
 * ```
 */
export function meanSeqRep(sequences: Iterable<Sequence> | ArrayLike<Sequence>, n: number, options?: MeanSeqRepOptions): number {
  checkInteger('n', n, 1);
  const pad = padOption(options, 'meanSeqRep options', ['padId', 'tooShort']);
  const tooShort = options?.tooShort ?? 'skip';
  if (tooShort !== 'skip' && tooShort !== 'error') {
    throw new TypeError(`tooShort must be 'skip' or 'error', got ${JSON.stringify(tooShort)}`);
  }
  const corpus = checkCorpus('sequences', sequences);
  let sum = 0;
  let counted = 0;
  try {
    for (let s = 0; s < corpus.length; s++) {
      checkPadForWords(pad, corpus[s], `sequences[${s}]`);
      const ids = interner.ids(corpus[s], `sequences[${s}]`);
      const len = lengthBeforePad(ids, pad);
      if (len < n) {
        if (tooShort === 'error') {
          throw new RangeError(`sequences[${s}] has ${len} tokens, fewer than n = ${n}: it has no ${n}-gram`);
        }
        continue;
      }
      sum += seqRepOf(ids, len, n);
      counted++;
    }
  } finally {
    interner.words.clear();
  }
  return counted === 0 ? NaN : sum / counted;
}

/**
 * uniq-seq of Welleck et al.: the number of distinct tokens (ids or words) over all continuations
 * together (an integer, not a ratio).
 *
 * @example
 * ```ts
 * import { uniqSeq } from 'degen-guard';
 *
 * uniqSeq([[1, 2, 2], [2, 3]]); // → 3
 * ```
 */
export function uniqSeq(sequences: Iterable<Sequence> | ArrayLike<Sequence>, options?: SeqRepOptions): number {
  const pad = padOption(options, 'uniqSeq options');
  const corpus = checkCorpus('sequences', sequences);
  const seen = new Set<number | string>();
  const local = new Interner();
  for (let s = 0; s < corpus.length; s++) {
    const seq = corpus[s] as Sequence;
    checkPadForWords(pad, seq, `sequences[${s}]`);
    local.ids(seq, `sequences[${s}]`); // validates
    const len = typeof seq[0] === 'string' ? seq.length : lengthBeforePad(seq as ArrayLike<number>, pad);
    for (let i = 0; i < len; i++) seen.add(seq[i]);
  }
  return seen.size;
}
