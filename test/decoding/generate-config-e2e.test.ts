/**
 * The config path end to end against Hugging Face `generate()`: each case of test/fixtures/hf-generate
 * (HF's generate() keyword arguments, run by scripts/hf-generate-e2e.py on the tiny model of tiny-lm.ts)
 * becomes a generation_config object, and `generate(model, prompt, { config: fromGenerationConfig(json) })`
 * must pick the same strategy, limits and processors and give HF's tokens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../helpers/fixtures.js';
import { generate } from '../../src/decoding/generate.js';
import { fromGenerationConfig } from '../../src/config/from-generation-config.js';
import { loadTinyWeights, tinyLM } from './tiny-lm.js';

interface Case {
  name: string;
  params: Record<string, number | boolean | string>;
  results: { prompt: number[]; tokens?: number[]; hypotheses?: { tokens: number[] }[] }[];
}

const weights = loadTinyWeights();
const model = tinyLM(weights);

const files = [
  ['greedy', 'greedy'],
  ['beam', 'beamSearch'],
  ['group-beam', 'beamSearch'],
  ['contrastive', 'contrastiveSearch'],
] as const;

for (const [file, strategy] of files) {
  describe(`generate({ config }) = HF generate(**kwargs): ${file}`, () => {
    const cases = (JSON.parse(readFileSync(join(fixturesDir, 'hf-generate', `${file}.json`), 'utf8')) as { cases: Case[] }).cases;
    it('has cases with expected tokens', () => {
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) for (const r of c.results) expect(r.tokens ?? r.hypotheses?.[0]?.tokens).toBeDefined();
    });
    for (const c of cases) {
      it(c.name, async () => {
        // every case ran with eos_token_id = pad_token_id = the model's EOS unless params say otherwise
        const config = { eos_token_id: weights.eos_token_id, pad_token_id: weights.eos_token_id, ...c.params };
        for (const r of c.results) {
          const out = await generate(model, r.prompt, { config: fromGenerationConfig(config) });
          // HF's get_generation_mode: penalty_alpha 0 is greedy search (contrastive search with α = 0 picks the same tokens)
          expect(out.strategy).toBe(c.params.penalty_alpha === 0 ? 'greedy' : strategy);
          if (r.hypotheses) expect(out.sequences!.map((s) => Array.from(s.tokens))).toEqual(r.hypotheses.map((h) => h.tokens));
          else expect(Array.from(out.tokens)).toEqual(r.tokens);
        }
      });
    }
  });
}
