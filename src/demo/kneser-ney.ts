/**
 * The demo language model: a word-level interpolated Kneser-Ney n-gram model (Chen & Goodman 1998,
 * absolute discounting with continuation counts for the lower orders), trained in well under a second,
 * with a hidden state per position (a fixed random embedding of the last few tokens, decayed) so that
 * contrastive search can run on it.
 */
import { createRng } from '../core/rng.js';
import { checkInteger, checkRange } from '../core/validate.js';
import type { ForwardOptions, LanguageModel, ModelOutput } from '../decoding/language-model.js';

/** Options of {@link KneserNeyModel.train}. */
export interface KneserNeyOptions {
  /** n of the n-gram model (2 … 5), default 3. */
  order?: number;
  /** Absolute discount D in (0, 1), default 0.75. */
  discount?: number;
  /** Length of the hidden state, default 64. */
  hiddenSize?: number;
  /** Tokens that make up a hidden state (the last ones, weights 1, ½, ¼ …), default 3. */
  hiddenSpan?: number;
  /** Seed of the fixed random embeddings, default 1. */
  seed?: number;
}

interface Context {
  total: number; // Σ counts over followers
  ids: Int32Array;
  counts: Float64Array;
}

/**
 * An interpolated Kneser-Ney model as a {@link LanguageModel}: logits are log-probabilities.
 *
 * @example
 * ```ts
 * import { KneserNeyModel } from './kneser-ney.js';
 * import { WordTokenizer } from './tokenizer.js';
 *
 * const text = 'And God said, Let there be light: and there was light. And God saw the light.';
 * const tok = WordTokenizer.fromText(text);
 * const model = KneserNeyModel.train(tok.encode(text), tok.size, { order: 3 });
 * const { logits } = await model.forward([tok.encode('And God said')]);
 * // the next word after "And God said" is ",", as in the text
 * tok.decode([logits.indexOf(Math.max(...logits))]); // → ','
 * ```
 */
export class KneserNeyModel implements LanguageModel {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly order: number;
  readonly discount: number;
  private readonly unigram: Float64Array;
  /** tables[n] maps a context of n tokens (n = 1 … order − 1) to its followers. */
  private readonly tables: Map<number, Context>[];
  private readonly embeddings: Float32Array;
  private readonly span: number;
  private readonly dist: Float64Array;

  private constructor(vocabSize: number, order: number, discount: number, unigram: Float64Array, tables: Map<number, Context>[], hiddenSize: number, span: number, seed: number) {
    this.vocabSize = vocabSize;
    this.order = order;
    this.discount = discount;
    this.unigram = unigram;
    this.tables = tables;
    this.hiddenSize = hiddenSize;
    this.span = span;
    this.dist = new Float64Array(vocabSize);
    const rng = createRng(seed);
    this.embeddings = new Float32Array(vocabSize * hiddenSize);
    for (let i = 0; i < this.embeddings.length; i++) {
      // Box-Muller normal
      const u = rng.next() || 1e-12;
      this.embeddings[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    }
  }

  /** Trains on a token stream (ids in `[0, vocabSize)`). */
  static train(tokens: ArrayLike<number>, vocabSize: number, options: KneserNeyOptions = {}): KneserNeyModel {
    checkInteger('vocabSize', vocabSize, 1);
    const order = checkInteger('order', options.order ?? 3, 2, 5);
    const D = checkRange('discount', options.discount ?? 0.75, 0, 1, 'both');
    const hiddenSize = checkInteger('hiddenSize', options.hiddenSize ?? 64, 1);
    const span = checkInteger('hiddenSpan', options.hiddenSpan ?? 3, 1);
    const seed = options.seed ?? 1;
    const N = tokens.length;
    for (let i = 0; i < N; i++) {
      const t = tokens[i];
      if (!Number.isInteger(t) || t < 0 || t >= vocabSize) throw new RangeError(`tokens[${i}] = ${t} is outside the vocabulary of size ${vocabSize}`);
    }
    const V = vocabSize;
    const keyOf = (start: number, len: number): number => {
      let k = 0;
      for (let i = 0; i < len; i++) k = k * V + tokens[start + i];
      return k;
    };
    // raw counts of the highest order; continuation counts below: N1+(· h w) for the n-gram (h, w)
    const gramCounts: Map<number, Map<number, number>>[] = [];
    for (let n = 1; n <= order; n++) gramCounts[n] = new Map();
    const add = (n: number, ctx: number, w: number, by: number) => {
      let m = gramCounts[n].get(ctx);
      if (!m) gramCounts[n].set(ctx, (m = new Map()));
      m.set(w, (m.get(w) ?? 0) + by);
    };
    const seenGram: Set<string>[] = [];
    for (let n = 2; n <= order; n++) seenGram[n] = new Set();
    for (let i = 0; i + order <= N; i++) add(order, keyOf(i, order - 1), tokens[i + order - 1], 1);
    for (let n = order; n >= 2; n--) {
      // every distinct n-gram (x, h, w) adds 1 to the continuation count of (h, w)
      for (let i = 0; i + n <= N; i++) {
        const k = `${keyOf(i, n - 1)},${tokens[i + n - 1]}`;
        if (seenGram[n].has(k)) continue;
        seenGram[n].add(k);
        add(n - 1, keyOf(i + 1, n - 2), tokens[i + n - 1], 1);
      }
    }
    // unigram: continuation counts, interpolated with uniform
    const uni = new Float64Array(V);
    const m1 = gramCounts[1].get(0) ?? new Map<number, number>();
    let total1 = 0;
    for (const c of m1.values()) total1 += c;
    const lambda1 = total1 > 0 ? (D * m1.size) / total1 : 1;
    for (let w = 0; w < V; w++) uni[w] = lambda1 / V;
    for (const [w, c] of m1) uni[w] += Math.max(c - D, 0) / total1;
    const tables: Map<number, Context>[] = [];
    for (let n = 2; n <= order; n++) {
      const t = new Map<number, Context>();
      for (const [ctx, m] of gramCounts[n]) {
        const ids = Int32Array.from(m.keys());
        const counts = Float64Array.from(m.values());
        let total = 0;
        for (const c of counts) total += c;
        t.set(ctx, { total, ids, counts });
      }
      tables[n - 1] = t;
    }
    return new KneserNeyModel(V, order, D, uni, tables, hiddenSize, span, seed);
  }

  /** P(w | the last order − 1 tokens of `seq`) for every w, into `out`. */
  probabilities(seq: ArrayLike<number>, out: Float64Array = new Float64Array(this.vocabSize)): Float64Array {
    out.set(this.unigram);
    const V = this.vocabSize;
    const L = seq.length;
    for (let n = 1; n < this.order && n <= L; n++) {
      let key = 0;
      for (let i = L - n; i < L; i++) key = key * V + seq[i];
      const ctx = this.tables[n].get(key);
      if (!ctx) break; // a longer context was not seen either
      const gamma = (this.discount * ctx.ids.length) / ctx.total;
      for (let w = 0; w < V; w++) out[w] *= gamma;
      const inv = 1 / ctx.total;
      for (let j = 0; j < ctx.ids.length; j++) out[ctx.ids[j]] += Math.max(ctx.counts[j] - this.discount, 0) * inv;
    }
    return out;
  }

  async forward(sequences: readonly Int32Array[], options?: ForwardOptions): Promise<ModelOutput> {
    const V = this.vocabSize;
    const logits = new Float32Array(sequences.length * V);
    sequences.forEach((s, b) => {
      if (s.length === 0) throw new RangeError(`sequences[${b}] is empty`);
      const p = this.probabilities(s, this.dist);
      for (let w = 0; w < V; w++) logits[b * V + w] = Math.log(p[w]);
    });
    if (!options?.hidden) return { logits };
    const H = this.hiddenSize;
    const hidden = new Float32Array(sequences.length * H);
    sequences.forEach((s, b) => this.hiddenAt(s, s.length - 1, hidden, b * H));
    return { logits, hidden };
  }

  async hiddenStates(sequence: Int32Array): Promise<Float32Array> {
    const H = this.hiddenSize;
    const out = new Float32Array(sequence.length * H);
    for (let i = 0; i < sequence.length; i++) this.hiddenAt(sequence, i, out, i * H);
    return out;
  }

  /** Hidden state at position `pos`: Σ_j 2^−j · embedding(token at pos − j), j < hiddenSpan. */
  private hiddenAt(seq: ArrayLike<number>, pos: number, out: Float32Array, off: number): void {
    const H = this.hiddenSize;
    let w = 1;
    for (let j = 0; j < this.span && pos - j >= 0; j++, w /= 2) {
      const e = seq[pos - j] * H;
      for (let d = 0; d < H; d++) out[off + d] += w * this.embeddings[e + d];
    }
  }
}
