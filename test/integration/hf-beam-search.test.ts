// beamSearch on transformersJsModel(model) against Hugging Face transformers' (PyTorch) beam search on
// the same weights (test/integration/make-hf-vectors.py; transformers.js has no beam search).
import { readFileSync } from 'node:fs';
import { beamSearch, noRepeatNgram } from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { describe, expect, it } from 'vitest';
import { realModel } from './real-model.js';

interface Case {
  name: string;
  prompt: string;
  prompt_ids: number[];
  kwargs: { num_beams: number; num_return_sequences: number; max_new_tokens: number; length_penalty?: number; early_stopping?: boolean; no_repeat_ngram_size?: number };
  sequences: number[][];
  scores: number[];
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/hf-real-model.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('beamSearch on the real model == HF transformers beam search (PyTorch, same weights)', () => {
  it('has the vectors', () => expect(vectors.cases.length).toBeGreaterThanOrEqual(12));
  for (const c of vectors.cases) {
    it(`${c.name}: ${c.prompt}`, async () => {
      const { model, tokenizer } = await realModel();
      expect(tokenizer.encode(c.prompt)).toEqual(c.prompt_ids);
      const k = c.kwargs;
      const out = await beamSearch(transformersJsModel(model), c.prompt_ids, {
        numBeams: k.num_beams,
        numReturnSequences: k.num_return_sequences,
        maxNewTokens: k.max_new_tokens,
        lengthPenalty: k.length_penalty ?? 1,
        earlyStopping: k.early_stopping ?? false,
        processors: k.no_repeat_ngram_size ? [noRepeatNgram(k.no_repeat_ngram_size)] : [],
        eosTokenIds: 0,
      });
      expect(out.sequences.map((s) => Array.from(s.tokens))).toEqual(c.sequences);
      // ONNX Runtime and PyTorch agree to ~1e-5 per logit
      out.sequences.forEach((s, i) => expect(Math.abs(s.score - c.scores[i])).toBeLessThan(1e-3));
    });
  }
});
