/** Tiny deterministic language models for the decoding tests. */
import type { LanguageModel } from '../../src/decoding/language-model.js';

/** A model whose next-token log-probabilities depend only on the last token: `probs[last][t]`. */
export function bigramModel(probs: number[][], hiddenOf?: (seq: Int32Array) => number[]): LanguageModel & { calls: number } {
  const V = probs.length;
  const hiddenSize = hiddenOf ? hiddenOf(Int32Array.of(0)).length : undefined;
  const model = {
    vocabSize: V,
    hiddenSize,
    calls: 0,
    async forward(sequences: readonly Int32Array[], options?: { hidden?: boolean }) {
      model.calls++;
      const logits = new Float32Array(sequences.length * V);
      sequences.forEach((s, b) => {
        const p = probs[s[s.length - 1]];
        for (let t = 0; t < V; t++) logits[b * V + t] = Math.log(p[t]);
      });
      if (!options?.hidden || !hiddenOf) return { logits };
      const hidden = new Float32Array(sequences.length * hiddenSize!);
      sequences.forEach((s, b) => hidden.set(hiddenOf(s), b * hiddenSize!));
      return { logits, hidden };
    },
  };
  return model;
}

/** A model whose logits depend on the last two tokens: `table[(a * V + b)][t]` (a = 0 when length 1). */
export function trigramModel(V: number, table: Float32Array): LanguageModel {
  return {
    vocabSize: V,
    async forward(sequences) {
      const logits = new Float32Array(sequences.length * V);
      sequences.forEach((s, r) => {
        const a = s.length > 1 ? s[s.length - 2] : 0;
        const b = s[s.length - 1];
        logits.set(table.subarray((a * V + b) * V, (a * V + b + 1) * V), r * V);
      });
      return { logits };
    },
  };
}

/** Bigram probabilities that loop 1 2 3 1 2 3 … greedily, with 0 and 4 as weaker alternatives. */
export const loopingBigram: number[][] = [
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.1, 0.1, 0.6, 0.1, 0.1],
  [0.1, 0.1, 0.1, 0.6, 0.1],
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.2, 0.2, 0.2, 0.2, 0.2],
];
