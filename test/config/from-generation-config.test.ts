import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  beamSearch,
  contrastiveSearch,
  fromGenerationConfig,
  generate,
  pipeline,
  repetitionPenalty,
  topK,
  TokenHistory,
  type LanguageModel,
  type Processor,
} from '../../src/index.js';
import { decode, fixturesDir, sameFloat } from '../helpers/fixtures.js';
import { HF_CLASSES } from '../helpers/hf-classes.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ConfigCase {
  name: string;
  config: Record<string, unknown>;
  prompt_length: number;
  encoder_input_ids: number[] | null;
  custom: [string, Record<string, unknown>][];
  mode: string;
  max_length: number;
  min_length: number;
  processors: { class: string; params: Record<string, number> }[];
  rows: { input_ids: number[]; scores: number[]; expected: number[] }[];
}

const fixture = decode(JSON.parse(readFileSync(join(fixturesDir, 'hf', 'generation_config.json'), 'utf8'))) as {
  meta: { vocab_size: number };
  cases: ConfigCase[];
};
const V = fixture.meta.vocab_size;

const HF_CLASS_OF: Record<string, string> = {
  temperature: 'TemperatureLogitsWarper',
  topH: 'TopHLogitsWarper',
  topK: 'TopKLogitsWarper',
  topP: 'TopPLogitsWarper',
  minP: 'MinPLogitsWarper',
  typicalP: 'TypicalLogitsWarper',
  epsilonCutoff: 'EpsilonLogitsWarper',
  etaCutoff: 'EtaLogitsWarper',
  sequenceBias: 'SequenceBiasLogitsProcessor',
  repetitionPenalty: 'RepetitionPenaltyLogitsProcessor',
  encoderRepetitionPenalty: 'EncoderRepetitionPenaltyLogitsProcessor',
  noRepeatNgram: 'NoRepeatNGramLogitsProcessor',
  encoderNoRepeatNgram: 'EncoderNoRepeatNGramLogitsProcessor',
  badWords: 'NoBadWordsLogitsProcessor',
  minLength: 'MinLengthLogitsProcessor',
  minNewTokens: 'MinNewTokensLengthLogitsProcessor',
  forcedBos: 'ForcedBOSTokenLogitsProcessor',
  forcedEos: 'ForcedEOSTokenLogitsProcessor',
  removeInfNan: 'InfNanRemoveLogitsProcessor',
  exponentialDecayLengthPenalty: 'ExponentialDecayLengthPenalty',
  suppressTokens: 'SuppressTokensLogitsProcessor',
  suppressTokensAtBegin: 'SuppressTokensAtBeginLogitsProcessor',
  logSoftmax: 'LogitNormalization',
};

/** The parameters HF reports that our label shows too (the label's numbers, in order). */
function labelNumbers(cls: string, p: Record<string, number>): number[] | null {
  switch (cls) {
    case 'ForcedEOSTokenLogitsProcessor': return [p.max_length];
    case 'ForcedBOSTokenLogitsProcessor': return [p.bos_token_id];
    case 'SuppressTokensAtBeginLogitsProcessor': return [2, p.begin_index]; // "(2 ids, begin)" in every case here
    case 'MinLengthLogitsProcessor': return [p.min_length];
    case 'MinNewTokensLengthLogitsProcessor': return [p.prompt_length_to_skip, p.min_new_tokens];
    case 'TemperatureLogitsWarper': return [p.temperature];
    case 'RepetitionPenaltyLogitsProcessor': return [p.penalty];
    case 'NoRepeatNGramLogitsProcessor': return [p.ngram_size];
    case 'TopPLogitsWarper': return [p.top_p];
    case 'MinPLogitsWarper': return [p.min_p];
    case 'TypicalLogitsWarper': return [p.mass];
    default: return null;
  }
}

function setupFor(c: ConfigCase, promptLength?: number) {
  const custom: Processor[] = c.custom.map(([cls, params]) => HF_CLASSES[cls](params));
  return fromGenerationConfig(c.config, {
    ...(c.encoder_input_ids ? { encoderInputIds: c.encoder_input_ids } : {}),
    ...(custom.length ? { processors: custom } : {}),
    ...(promptLength !== undefined ? { promptLength } : {}),
  });
}

/** A deterministic toy model over the fixture's vocabulary, with hidden states for contrastive search. */
const toyModel: LanguageModel = {
  vocabSize: V,
  hiddenSize: 3,
  async forward(seqs, options) {
    const logits = new Float32Array(seqs.length * V);
    const hidden = new Float32Array(seqs.length * 3);
    seqs.forEach((s, b) => {
      const last = s[s.length - 1];
      for (let t = 0; t < V; t++) logits[b * V + t] = ((last * 7 + t * 5) % 13) / 4 + t / 64;
      hidden.set([1, last / V, (s.length % 5) / 5], b * 3);
    });
    return options?.hidden ? { logits, hidden } : { logits };
  },
};

const STRATEGY: Record<string, string> = {
  greedy_search: 'greedy',
  sample: 'sample',
  beam_search: 'beamSearch',
  group_beam_search: 'beamSearch',
  contrastive_search: 'contrastiveSearch',
};

describe('fromGenerationConfig against HF generate() (generation_config.json, from scripts/hf-generation-config.py)', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      expect(c.rows.length).toBeGreaterThan(0);
      const setup = setupFor(c).forPrompt!(c.prompt_length);
      // the processors, in HF's order, with the parameters HF computed (begin index, max length, min length …)
      const ours = setup.processors.map((p) => p.label ?? '');
      expect(ours.map((l) => HF_CLASS_OF[l.slice(0, l.indexOf('('))])).toEqual(c.processors.map((p) => p.class));
      c.processors.forEach((p, i) => {
        const nums = labelNumbers(p.class, p.params);
        if (nums) expect((ours[i].match(/-?[\d.]+/g) ?? []).map(Number)).toEqual(nums);
      });
      expect(setup.maxLength).toBe(c.max_length);
      // the whole list on rows at several lengths, as HF's LogitsProcessorList leaves them
      for (const r of c.rows) {
        const x = Float32Array.from(r.scores);
        setup.pipeline(x, new TokenHistory(r.input_ids));
        // logSoftmax (LogitNormalization) may differ from torch by one ulp of the row's log-sum-exp
        // (|lse| < 8 on these rows: 2^-20); every other cell is exact
        const tol = c.processors.some((p) => p.class === 'LogitNormalization') ? 2 ** -20 : 0;
        const bad = r.expected.flatMap((e, i) => (sameFloat(x[i], e) || Math.abs(x[i] - e) <= tol ? [] : [`${i}: ${x[i]} ≠ ${e}`]));
        expect(bad, `length ${r.input_ids.length}`).toEqual([]);
      }
      // the strategy and its limits, as generate() runs them
      const prompt = Array.from({ length: c.prompt_length }, (_, i) => (3 * i + 5) % V);
      if (c.mode === 'beam_sample') {
        expect(() => generate(toyModel, prompt, { config: setupFor(c) })).toThrow(/beam sampling/);
        return;
      }
      const out = await generate(toyModel, prompt, { config: setupFor(c) });
      expect(out.strategy).toBe(STRATEGY[c.mode]);
      expect(out.tokens.length).toBeLessThanOrEqual(c.max_length - c.prompt_length);
      if (!('eos_token_id' in c.config)) expect(out.tokens.length).toBe(c.max_length - c.prompt_length);
    });
  }
});

describe('generate runs the strategy the config picks, with the config limits', () => {
  const prompt = [5, 8];
  it('num_beams → beamSearch with length_penalty, early_stopping, num_return_sequences, eos', async () => {
    const config = { num_beams: 3, length_penalty: 0.5, early_stopping: true, num_return_sequences: 2, eos_token_id: 2, max_new_tokens: 6 };
    const out = await generate(toyModel, prompt, { config: fromGenerationConfig(config) });
    const ref = await beamSearch(toyModel, prompt, { numBeams: 3, lengthPenalty: 0.5, earlyStopping: true, numReturnSequences: 2, eosTokenIds: 2, maxNewTokens: 6 });
    expect(out.sequences).toEqual(ref.sequences);
    expect(out.sequences!.length).toBe(2);
    expect(out.tokens).toEqual(ref.sequences[0].tokens);
    expect(out.steps).toBe(ref.steps);
  });

  it('num_beam_groups and diversity_penalty reach the search', async () => {
    const config = { num_beams: 4, num_beam_groups: 2, diversity_penalty: 0.5, num_return_sequences: 4, max_length: 7 };
    const out = await generate(toyModel, prompt, { config: fromGenerationConfig(config) });
    const ref = await beamSearch(toyModel, prompt, { numBeams: 4, numBeamGroups: 2, diversityPenalty: 0.5, numReturnSequences: 4, maxNewTokens: 5 });
    expect(out.sequences).toEqual(ref.sequences);
  });

  it('penalty_alpha with top_k → contrastiveSearch (HF default top_k 50 when unset), processors included', async () => {
    for (const [config, k] of [[{ penalty_alpha: 0.6, top_k: 4, repetition_penalty: 1.3 }, 4], [{ penalty_alpha: 0.4, repetition_penalty: 1.3 }, 50]] as const) {
      const out = await generate(toyModel, prompt, { config: fromGenerationConfig(config), maxNewTokens: 8 });
      const ref = await contrastiveSearch(toyModel, prompt, { topK: k, penaltyAlpha: config.penalty_alpha, maxNewTokens: 8, processors: [repetitionPenalty(1.3)] });
      expect(out.strategy).toBe('contrastiveSearch');
      expect(out.tokens).toEqual(ref.tokens);
    }
  });

  it('max_length counts the prompt; max_new_tokens wins; a prompt as long as max_length is an error', async () => {
    expect((await generate(toyModel, [1, 2, 3], { config: fromGenerationConfig({ max_length: 7 }) })).tokens.length).toBe(4);
    expect((await generate(toyModel, [1, 2, 3], { config: fromGenerationConfig({ max_length: 7, max_new_tokens: 2 }) })).tokens.length).toBe(2);
    expect((await generate(toyModel, [1, 2, 3], { config: fromGenerationConfig({}) })).tokens.length).toBe(20);
    expect((await generate(toyModel, [1, 2, 3], { config: fromGenerationConfig({ max_length: 7 }), maxNewTokens: 9 })).tokens.length).toBe(9);
    expect(() => generate(toyModel, [1, 2, 3], { config: fromGenerationConfig({ max_length: 3 }) })).toThrow(/max_length is 3/);
  });

  it('prompt-length parts are completed for the actual prompt (property: same as building with promptLength)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (p, minNew, start) => {
          const config = { min_new_tokens: minNew, eos_token_id: [6, 11], exponential_decay_length_penalty: [start, 1.3] as [number, number], begin_suppress_tokens: [2], forced_eos_token_id: 9, max_new_tokens: 6 };
          const lazy = await generate(toyModel, p, { config: fromGenerationConfig(config) });
          const eager = await generate(toyModel, p, { config: fromGenerationConfig(config, { promptLength: p.length }), maxNewTokens: 6 });
          expect(lazy.tokens).toEqual(eager.tokens);
          // and by hand: the built pipeline applied step by step
          const setup = fromGenerationConfig(config, { promptLength: p.length });
          const h = new TokenHistory(p);
          for (let i = 0; i < lazy.tokens.length; i++) {
            const { logits } = await toyModel.forward([h.tokens]);
            h.push(setup.step(logits, h));
          }
          expect(h.tokens.slice(p.length)).toEqual(lazy.tokens);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('before the prompt length is known, the prompt-dependent parts throw instead of being silently left out', () => {
    const s = fromGenerationConfig({ min_new_tokens: 3, eos_token_id: 1 });
    expect(() => s.processors).toThrow(/min_new_tokens/);
    expect(() => s.pipeline).toThrow(/promptLength/);
    expect(() => s.step(new Float32Array(4), [0])).toThrow(/generate\(\)/);
    expect(s.maxLength).toBe(null);
    expect(s.maxNewTokens).toBe(20);
    expect(s.forPrompt!(2).processors.map((p) => p.label)).toEqual(['minLength(5)', 'minNewTokens(2, 3)']);
    expect(fromGenerationConfig({ max_length: 30, forced_eos_token_id: 2 }).processors.map((p) => p.label)).toEqual(['forcedEos(30)']);
  });

  it('beam sampling and num_return_sequences without beams are refused, naming the key', () => {
    expect(() => generate(toyModel, [1], { config: fromGenerationConfig({ do_sample: true, num_beams: 2 }) })).toThrow(/beam sampling/);
    expect(() => generate(toyModel, [1], { config: fromGenerationConfig({ num_return_sequences: 2 }) })).toThrow(/num_return_sequences/);
    expect(() => generate(toyModel, [1], { config: fromGenerationConfig({ num_beams: 2 }), monitor: { push: () => ({ triggered: false, reason: null, loopStart: -1, period: 0 }), reset() {} } })).toThrow(/monitor does not apply to beam search/);
  });
});

describe('context.processors: HF merge rule (the first user processor of a kind replaces the default; the rest are appended before the warpers)', () => {
  it('replaces in place, appends a second processor of the same kind, keeps warpers last', () => {
    const mine = [repetitionPenalty(3), topK(2), repetitionPenalty(1.1)];
    const s = fromGenerationConfig({ do_sample: true, repetition_penalty: 1.2, top_k: 6 }, { processors: mine });
    expect(s.processors.map((p) => p.label)).toEqual(['repetitionPenalty(3)', 'topK(2)', 'repetitionPenalty(1.1)', 'topK(6)']);
    expect(s.processors[0]).toBe(mine[0]);
  });
});

describe('type checks: every key it reads, the error names the key and the value', () => {
  const bad: [string, unknown][] = [
    ['do_sample', 'true'], ['do_sample', 1], ['num_beams', '4'], ['num_beams', 1.5], ['num_beam_groups', 'x'],
    ['diversity_penalty', '1'], ['length_penalty', 'x'], ['early_stopping', 'yes'], ['num_return_sequences', '2'],
    ['max_length', '20'], ['max_new_tokens', '5'], ['min_length', '1'], ['min_new_tokens', '1'], ['temperature', '0.7'],
    ['top_k', '5'], ['top_p', '0.9'], ['min_p', '0.1'], ['top_h', '0.5'], ['typical_p', '0.9'], ['epsilon_cutoff', '0.1'],
    ['eta_cutoff', '0.1'], ['repetition_penalty', '1.2'], ['encoder_repetition_penalty', '1.2'], ['no_repeat_ngram_size', '3'],
    ['encoder_no_repeat_ngram_size', '3'], ['bad_words_ids', '[[1]]'], ['sequence_bias', 5], ['eos_token_id', '2'],
    ['forced_bos_token_id', '1'], ['forced_eos_token_id', 'a'], ['remove_invalid_values', 'true'],
    ['exponential_decay_length_penalty', 5], ['suppress_tokens', 3], ['begin_suppress_tokens', '1'],
    ['renormalize_logits', 1], ['penalty_alpha', '0.6'], ['stop_strings', 7], ['pad_token_id', '0'],
  ];
  for (const [key, value] of bad) {
    it(`${key}: ${JSON.stringify(value)}`, () => {
      let err: unknown = null;
      try {
        fromGenerationConfig({ [key]: value }, { promptLength: 2 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message).toContain(key);
      expect((err as Error).message).toContain(typeof value === 'string' ? JSON.stringify(value) : String(value));
    });
  }

  it('values of the right type but out of range, and nested values', () => {
    expect(() => fromGenerationConfig({ bad_words_ids: [[1.5]] })).toThrow(/bad_words_ids\[0\]/);
    expect(() => fromGenerationConfig({ eos_token_id: [-1] })).toThrow(/eos_token_id/);
    expect(() => fromGenerationConfig({ exponential_decay_length_penalty: ['1', 2] } as never)).toThrow(/exponential_decay_length_penalty\[0\]/);
    expect(() => fromGenerationConfig({ sequence_bias: { x: 1 } })).toThrow(/sequence_bias key "x"/);
    expect(() => fromGenerationConfig({ do_sample: true, temperature: 0 })).toThrow(/temperature = 0/);
    expect(() => fromGenerationConfig({ penalty_alpha: 2 })).toThrow(/penalty_alpha/);
    expect(() => fromGenerationConfig({ stop_strings: ['ok', ''] })).toThrow(/stop_strings/);
    expect(() => fromGenerationConfig({}, { promptLenght: 3 } as never)).toThrow(/did you mean "promptLength"/);
  });

  it('null means unset, as HF writes it; unknown keys are ignored', () => {
    const s = fromGenerationConfig({ do_sample: null, top_k: null, temperature: null, eos_token_id: null, transformers_version: '5.18.0', _from_model_config: true });
    expect(s.doSample).toBe(false);
    expect(s.eosTokenIds).toEqual([]);
    expect(fromGenerationConfig({ do_sample: true, top_k: null }).processors).toEqual([]);
  });

  it('the bundled model\'s generation_config.json reads as HF reads it', () => {
    const json = { _from_model_config: true, bos_token_id: 0, eos_token_id: 0, output_attentions: false, output_hidden_states: false, pad_token_id: 0, transformers_version: '5.18.0', use_cache: true };
    const s = fromGenerationConfig(json).forPrompt!(4);
    expect([s.doSample, s.numBeams, s.eosTokenIds, s.maxLength, s.penaltyAlpha, s.processors.length]).toEqual([false, 1, [0], 24, null, 0]);
    expect(pipeline).toBeTypeOf('function');
  });
});
