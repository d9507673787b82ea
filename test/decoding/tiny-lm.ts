/**
 * The tiny causal LM of scripts/hf-generate-e2e.py, as a {@link LanguageModel}: the same formula and the
 * same weights (read from test/fixtures/hf-generate/model.json). Every weight is dyadic, so each logit
 * and hidden value is the exact float32 number torch computes.
 *
 *   h_t = relu(W1 [cur(x_t), prev(x_{t-1}), Σ_{s≤t} ctx(x_s)] + b1)   (prev = 0 at the first position)
 *   logits_t = W2 h_t + b2
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../helpers/fixtures.js';
import type { LanguageModel } from '../../src/decoding/language-model.js';

interface TinyWeights {
  vocab_size: number;
  hidden_size: number;
  eos_token_id: number;
  cur: number[][];
  prev: number[][];
  ctx: number[][];
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

export function loadTinyWeights(): TinyWeights {
  return JSON.parse(readFileSync(join(fixturesDir, 'hf-generate', 'model.json'), 'utf8')) as TinyWeights;
}

/** The model; `calls` counts forward calls. */
export function tinyLM(w: TinyWeights = loadTinyWeights()): LanguageModel & { calls: number; eos: number } {
  const V = w.vocab_size;
  const D = w.hidden_size;
  const E = w.cur[0].length;
  const x = new Float32Array(3 * E);
  const h = new Float32Array(D);
  /** Hidden state and logits of position t of `seq` into `hOut` / `lOut` (offsets given). */
  const position = (seq: ArrayLike<number>, t: number, hOut: Float32Array | null, hOff: number, lOut: Float32Array | null, lOff: number): void => {
    x.fill(0);
    for (let j = 0; j < E; j++) x[j] = w.cur[seq[t]][j];
    if (t > 0) for (let j = 0; j < E; j++) x[E + j] = w.prev[seq[t - 1]][j];
    for (let s = 0; s <= t; s++) for (let j = 0; j < E; j++) x[2 * E + j] = Math.fround(x[2 * E + j] + w.ctx[seq[s]][j]);
    for (let i = 0; i < D; i++) {
      let a = 0;
      for (let j = 0; j < 3 * E; j++) a = Math.fround(a + Math.fround(w.w1[i][j] * x[j]));
      h[i] = Math.max(0, Math.fround(a + w.b1[i]));
    }
    if (hOut) hOut.set(h, hOff);
    if (lOut) {
      for (let v = 0; v < V; v++) {
        let a = 0;
        for (let i = 0; i < D; i++) a = Math.fround(a + Math.fround(w.w2[v][i] * h[i]));
        lOut[lOff + v] = Math.fround(a + w.b2[v]);
      }
    }
  };
  const model = {
    vocabSize: V,
    hiddenSize: D,
    eos: w.eos_token_id,
    calls: 0,
    async forward(sequences: readonly Int32Array[], options?: { hidden?: boolean }) {
      model.calls++;
      const logits = new Float32Array(sequences.length * V);
      const hidden = options?.hidden ? new Float32Array(sequences.length * D) : undefined;
      sequences.forEach((s, b) => position(s, s.length - 1, hidden ?? null, b * D, logits, b * V));
      return { logits, hidden };
    },
    async hiddenStates(sequence: Int32Array) {
      const out = new Float32Array(sequence.length * D);
      for (let t = 0; t < sequence.length; t++) position(sequence, t, out, t * D, null, 0);
      return out;
    },
  };
  return model;
}
