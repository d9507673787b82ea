/**
 * All the sequence-level metrics of a corpus in one streaming pass: feed continuations one at a
 * time, read the summary at the end. Memory does not grow with the number of sequences, except for
 * the set of distinct tokens behind uniq-seq (bounded by the vocabulary) and, in the pooled
 * distinct-n modes, the corpus-wide n-gram sets.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { addNgrams, distinctNgramCount } from './distinct-ngrams.js';
import { NgramTable } from '../core/ngram-table.js';
import { checkInteger } from '../core/validate.js';
import type { DistinctMode } from './distinct.js';
import { roundHalfEven } from './round-half-even.js';
import { checkPadForWords, Interner, lengthBeforePad, type Sequence } from './sequence-input.js';

export interface CorpusMetricsOptions {
  /** seq-rep-n and distinct-n for n = 1 … maxN. Default 4. */
  maxN?: number;
  /** distinct-n variant (see {@link distinct}). Default `'sentence'`. */
  distinctMode?: DistinctMode;
  /** rep-n / diversity as SimCTG's script computes them (see {@link simctgMetrics}). Default false. */
  simctgCompat?: boolean;
  /** Cut each id sequence at the first occurrence of this id (token ids only: `add` of words throws). */
  padId?: number;
}

export interface CorpusMetricsSummary {
  /** Sequences added. */
  sequences: number;
  /** Tokens in them (after padId cuts). */
  tokens: number;
  /** `seqRep[n-1]`: mean seq-rep-n over the sequences of at least n tokens (NaN if none). */
  seqRep: number[];
  /** `seqRepCounted[n-1]`: how many sequences entered seq-rep-n (the others were shorter than n). */
  seqRepCounted: number[];
  /** Distinct tokens over all sequences. */
  uniqSeq: number;
  /** `distinct[n-1]`: distinct-n in `distinctMode`. */
  distinct: number[];
  distinctMode: DistinctMode;
  /** SimCTG rep-2, rep-3, rep-4 in percent, and diversity. */
  rep2: number;
  rep3: number;
  rep4: number;
  diversity: number;
  simctgCompat: boolean;
}

/**
 * Streaming accumulator of seq-rep-n, uniq-seq, distinct-n, rep-n and diversity.
 * All sequences must be of one kind: token ids or words.
 *
 * @example
 * ```ts
 * import { CorpusMetrics, seqRep, uniqSeq } from 'degen-guard';
 *
 * const corpus = new CorpusMetrics();
 * corpus.add([1, 2, 3, 1, 2, 3]);
 * corpus.add([4, 5, 6, 7]);
 * const s = corpus.summary();
 * // (0.5 + 0) / 2
 * s.seqRep[0]; // → 0.25
 * s.uniqSeq; // → 7
 * ```
 */
export class CorpusMetrics {
  readonly maxN: number;
  readonly distinctMode: DistinctMode;
  readonly simctgCompat: boolean;
  readonly padId: number | undefined;
  private readonly interner = new Interner();
  private readonly uniqIds = new Set<number>();
  private readonly pooled: NgramTable[] = [];
  private sequences = 0;
  private tokens = 0;
  private readonly seqRepSum: number[];
  private readonly seqRepCount: number[];
  private readonly distinctSum: number[];
  private readonly ngramTotal: number[];
  private readonly repUnique = [0, 0, 0];
  private readonly repTotal = [0, 0, 0];

  constructor(options: CorpusMetricsOptions = {}) {
    checkOptionKeys('CorpusMetrics options', options, ['maxN', 'distinctMode', 'simctgCompat', 'padId']);
    options ??= {};
    this.maxN = checkInteger('maxN', options.maxN ?? 4, 1, 16);
    const mode = options.distinctMode ?? 'sentence';
    if (mode !== 'sentence' && mode !== 'pooled' && mode !== 'ratio') {
      throw new TypeError(`distinctMode must be 'sentence', 'pooled' or 'ratio', got ${JSON.stringify(mode)}`);
    }
    this.distinctMode = mode;
    this.simctgCompat = !!options.simctgCompat;
    this.padId = options.padId === undefined ? undefined : checkInteger('padId', options.padId);
    this.seqRepSum = new Array(this.maxN).fill(0);
    this.seqRepCount = new Array(this.maxN).fill(0);
    this.distinctSum = new Array(this.maxN).fill(0);
    this.ngramTotal = new Array(this.maxN).fill(0);
    if (mode !== 'sentence') for (let n = 1; n <= this.maxN; n++) this.pooled.push(new NgramTable(n, 1024));
  }

  /** Adds one continuation (token ids or words). Throws (adding nothing) if it is malformed. */
  add(sequence: Sequence): void {
    checkPadForWords(this.padId, sequence, 'sequence');
    const ids = this.interner.ids(sequence, 'sequence', true);
    const words = sequence.length > 0 && typeof sequence[0] === 'string';
    this.addIds(ids, words ? ids.length : lengthBeforePad(ids, this.padId), words);
  }

  /**
   * @internal The id of `word` in this accumulator's dictionary, for a caller that streams a
   * sequence of words too long to hold as strings (see {@link addWordIds}).
   */
  wordId(word: string): number {
    const dict = this.interner.words;
    let id = dict.get(word);
    if (id === undefined) {
      id = dict.size;
      dict.set(word, id);
    }
    return id;
  }

  /** @internal Adds the sequence of words `ids[0..len)`, each from {@link wordId}. */
  addWordIds(ids: Int32Array, len: number): void {
    if (len === 0) {
      this.addIds(ids, 0, false);
      return;
    }
    if (this.padId !== undefined) {
      throw new TypeError(`padId = ${this.padId} applies to token ids only, but sequence holds words (strings): drop padId or pass token ids`);
    }
    if (this.interner.kind === 'ids') {
      throw new TypeError('sequence holds words but earlier sequences held ids: do not mix words and token ids');
    }
    this.interner.kind = 'words';
    this.addIds(ids, len, true);
  }

  private addIds(ids: ArrayLike<number>, len: number, words: boolean): void {
    this.sequences++;
    this.tokens += len;
    if (!words) for (let i = 0; i < len; i++) this.uniqIds.add(ids[i]);
    for (let n = 1; n <= this.maxN; n++) {
      if (len < n) continue;
      const d = distinctNgramCount(ids, len, n);
      this.seqRepSum[n - 1] += 1 - d / (len - n + 1);
      this.seqRepCount[n - 1]++;
      this.distinctSum[n - 1] += d / len;
      this.ngramTotal[n - 1] += len - n + 1;
      if (n >= 2 && n <= 4 && !this.simctgCompat) {
        this.repUnique[n - 2] += d;
        this.repTotal[n - 2] += len - n + 1;
      }
      if (this.distinctMode !== 'sentence') addNgrams(this.pooled[n - 1], ids, len);
    }
    if (this.simctgCompat) {
      for (let n = 2; n <= 4; n++) {
        if (len - 1 < n) continue;
        this.repUnique[n - 2] += distinctNgramCount(ids, len - 1, n);
        this.repTotal[n - 2] += len - n;
      }
    }
  }

  /** The metrics of everything added so far. */
  summary(): CorpusMetricsSummary {
    const compat = this.simctgCompat;
    const reps = [0, 1, 2].map((k) => {
      const t = this.repTotal[k];
      if (t === 0) return NaN;
      const r = (1 - this.repUnique[k] / t) * 100;
      return compat ? roundHalfEven(r, 2) : r;
    });
    const div = compat
      ? (1 - reps[0] / 100) * (1 - reps[1] / 100) * (1 - reps[2] / 100)
      : this.repTotal[2] === 0
        ? NaN
        : (this.repUnique[0] / this.repTotal[0]) * (this.repUnique[1] / this.repTotal[1]) * (this.repUnique[2] / this.repTotal[2]);
    const distinct = this.distinctSum.map((sum, k) => {
      if (this.distinctMode === 'sentence') return this.sequences === 0 ? 0 : sum / this.sequences;
      const den = this.distinctMode === 'pooled' ? this.tokens : this.ngramTotal[k];
      return den === 0 ? NaN : this.pooled[k].size / den;
    });
    return {
      sequences: this.sequences,
      tokens: this.tokens,
      seqRep: this.seqRepSum.map((s, k) => (this.seqRepCount[k] === 0 ? NaN : s / this.seqRepCount[k])),
      seqRepCounted: this.seqRepCount.slice(),
      uniqSeq: this.uniqIds.size + this.interner.words.size,
      distinct,
      distinctMode: this.distinctMode,
      rep2: reps[0],
      rep3: reps[1],
      rep4: reps[2],
      diversity: div,
      simctgCompat: compat,
    };
  }
}
