/**
 * End to end against Hugging Face `generate()`: the vectors in test/fixtures/hf-generate come from
 * scripts/hf-generate-e2e.py, which runs HF on the tiny model that tiny-lm.ts defines identically.
 * Each case runs the library on every prompt and compares the tokens exactly and the scores within
 * 1e-6 (relative): the float32 log-softmax can differ from torch's by an ulp of the log-sum-exp, so the
 * sums differ by up to 2e-7.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../helpers/fixtures.js';
import { beamSearch } from '../../src/decoding/beam-search.js';
import { contrastiveSearch } from '../../src/decoding/contrastive-search.js';
import { generate } from '../../src/decoding/generate.js';
import { noRepeatNgram } from '../../src/processors/no-repeat-ngram.js';
import { repetitionPenalty } from '../../src/processors/repetition-penalty.js';
import { loadTinyWeights, tinyLM } from './tiny-lm.js';

interface Hypothesis {
  tokens: number[];
  score: number;
}
interface Result {
  prompt: number[];
  tokens?: number[];
  hypotheses?: Hypothesis[];
}
interface Case {
  name: string;
  params: Record<string, number | boolean | string>;
  results: Result[];
}

function load(name: string): Case[] {
  const cases = (JSON.parse(readFileSync(join(fixturesDir, 'hf-generate', `${name}.json`), 'utf8')) as { cases: Case[] }).cases;
  if (cases.length === 0) throw new Error(`${name}.json holds no case`);
  for (const c of cases) {
    if (c.results.length === 0) throw new Error(`${c.name}: no result to compare`);
    for (const r of c.results) if (!r.tokens && !r.hypotheses?.length) throw new Error(`${c.name}: a result without expected tokens`);
  }
  return cases;
}

const weights = loadTinyWeights();
const model = tinyLM(weights);
const EOS = weights.eos_token_id;

/** The processors HF builds from these parameters, in HF's order. */
function processors(p: Case['params']) {
  const list = [];
  if (p.repetition_penalty !== undefined) list.push(repetitionPenalty(p.repetition_penalty as number));
  if (p.no_repeat_ngram_size !== undefined) list.push(noRepeatNgram(p.no_repeat_ngram_size as number));
  return list;
}

describe('tiny model: the TypeScript copy computes the float32 numbers torch computed', () => {
  for (const p of (weights as unknown as { probes: { tokens: number[]; logits: number[]; hidden: number[] }[] }).probes) {
    it(`prompt [${p.tokens.join(', ')}]`, async () => {
      const out = await model.forward([Int32Array.from(p.tokens)], { hidden: true });
      expect(Array.from(out.logits)).toEqual(p.logits);
      expect(Array.from(out.hidden!)).toEqual(p.hidden);
    });
  }
});

describe('HF generate() end to end: greedy', () => {
  for (const c of load('greedy')) {
    for (const r of c.results) {
      it(`${c.name}, prompt [${r.prompt.join(', ')}]`, async () => {
        const out = await generate(model, r.prompt, { maxNewTokens: c.params.max_new_tokens as number, eosTokenIds: EOS, processors: processors(c.params) });
        expect(Array.from(out.tokens)).toEqual(r.tokens);
      });
    }
  }
});

function beamOptions(p: Case['params']) {
  return {
    numBeams: p.num_beams as number,
    numReturnSequences: p.num_return_sequences as number,
    earlyStopping: p.early_stopping as boolean | 'never',
    lengthPenalty: p.length_penalty as number,
    maxNewTokens: p.max_new_tokens as number,
    eosTokenIds: EOS,
    processors: processors(p),
    ...(p.pad_token_id === undefined ? {} : { padTokenId: p.pad_token_id as number }),
    ...(p.num_beam_groups === undefined ? {} : { numBeamGroups: p.num_beam_groups as number, diversityPenalty: p.diversity_penalty as number }),
  };
}

for (const [file, title] of [['beam', 'beam search'], ['group-beam', 'group (diverse) beam search']] as const) {
  describe(`HF generate() end to end: ${title}`, () => {
    for (const c of load(file)) {
      for (const r of c.results) {
        it(`${c.name}, prompt [${r.prompt.join(', ')}]`, async () => {
          const out = await beamSearch(model, r.prompt, beamOptions(c.params));
          expect(out.sequences.map((s) => Array.from(s.tokens))).toEqual(r.hypotheses!.map((h) => h.tokens));
          out.sequences.forEach((s, i) => {
            const want = r.hypotheses![i].score;
            expect(Math.abs(s.score - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
          });
        });
      }
    }
  });
}

describe('HF generate() end to end: contrastive search', () => {
  for (const c of load('contrastive')) {
    for (const r of c.results) {
      it(`${c.name}, prompt [${r.prompt.join(', ')}]`, async () => {
        const out = await contrastiveSearch(model, r.prompt, {
          topK: c.params.top_k as number,
          penaltyAlpha: c.params.penalty_alpha as number,
          maxNewTokens: c.params.max_new_tokens as number,
          eosTokenIds: EOS,
        });
        expect(Array.from(out.tokens)).toEqual(r.tokens);
      });
    }
  }
});
