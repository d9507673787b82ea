/** The decoding settings the demo compares, each a function from (model, prompt, seed) to new tokens. */
import { beamSearch } from '../decoding/beam-search.js';
import { contrastiveSearch } from '../decoding/contrastive-search.js';
import { generate } from '../decoding/generate.js';
import { RepetitionMonitor } from '../metrics/repetition-monitor.js';
import { noRepeatNgram } from '../processors/no-repeat-ngram.js';
import { repetitionPenalty } from '../processors/repetition-penalty.js';
import { temperature } from '../processors/temperature.js';
import { topK } from '../processors/top-k/top-k.js';
import { topP } from '../processors/top-p/top-p.js';
import type { LanguageModel } from '../decoding/language-model.js';
import { createRng } from '../core/rng.js';
import { dry } from '../processors/dry/dry.js';
import { xtc } from '../processors/xtc.js';
import { mirostatV2 } from '../samplers/mirostat.js';

/** One row of the demo: an id, a name, its settings in HF terms, and how to decode with it. */
export interface DemoStrategy {
  /** What `--only` takes: lower case, no spaces. */
  id: string;
  name: string;
  /** The strategy needs the model's hidden states (contrastive search). */
  needsHidden?: boolean;
  /** The settings, spelled as HF `generate()` keyword arguments. */
  settings: string;
  decode(model: LanguageModel, prompt: Int32Array, maxNewTokens: number, seed: number): Promise<Int32Array>;
}

const sampled = (procs: () => Parameters<typeof generate>[2]) => async (m: LanguageModel, p: Int32Array, n: number, seed: number) =>
  (await generate(m, p, { ...procs(), maxNewTokens: n, seed })).tokens;

/** The strategies of the demo table, in order. */
export function demoStrategies(): DemoStrategy[] {
  return [
    { id: 'greedy', name: 'greedy', settings: 'do_sample=False', decode: sampled(() => ({})) },
    {
      id: 'beam', name: 'beam search',
      settings: 'num_beams=4',
      decode: async (m, p, n) => (await beamSearch(m, p, { numBeams: 4, maxNewTokens: n })).sequences[0].tokens,
    },
    {
      id: 'beam-no-repeat-ngram', name: 'beam + no-repeat-ngram',
      settings: 'num_beams=4, no_repeat_ngram_size=3',
      decode: async (m, p, n) => (await beamSearch(m, p, { numBeams: 4, maxNewTokens: n, processors: [noRepeatNgram(3)] })).sequences[0].tokens,
    },
    { id: 'temperature', name: 'temperature', settings: 'do_sample=True, temperature=0.8, top_k=0', decode: sampled(() => ({ doSample: true, processors: [temperature(0.8)] })) },
    { id: 'top-k', name: 'top-k', settings: 'do_sample=True, top_k=40', decode: sampled(() => ({ doSample: true, processors: [topK(40)] })) },
    { id: 'top-p', name: 'top-p', settings: 'do_sample=True, top_p=0.9, top_k=0', decode: sampled(() => ({ doSample: true, processors: [topP(0.9)] })) },
    { id: 'repetition-penalty', name: 'repetition penalty', settings: 'repetition_penalty=1.3 (greedy)', decode: sampled(() => ({ processors: [repetitionPenalty(1.3)] })) },
    { id: 'no-repeat-ngram', name: 'no-repeat-ngram', settings: 'no_repeat_ngram_size=3 (greedy)', decode: sampled(() => ({ processors: [noRepeatNgram(3)] })) },
    {
      id: 'contrastive', name: 'contrastive search', needsHidden: true,
      settings: 'penalty_alpha=0.6, top_k=5',
      decode: async (m, p, n) => (await contrastiveSearch(m, p, { topK: 5, penaltyAlpha: 0.6, maxNewTokens: n })).tokens,
    },
    {
      id: 'monitor', name: 'monitor-guarded greedy',
      settings: 'greedy; on a loop: rewind, then sample 48 tokens (twice as many at each later loop) with no_repeat_ngram_size=3, top_p=0.9',
      decode: sampled(() => ({
        monitor: new RepetitionMonitor(),
        onRepetition: { processors: [noRepeatNgram(3), topP(0.9)], doSample: true },
      })),
    },
    // llama.cpp family (docs/llama-cpp.md); settings spelled as llama.cpp options
    {
      id: 'dry', name: 'DRY',
      settings: 'dry_multiplier=0.8, dry_base=1.75, dry_allowed_length=2, dry_penalty_last_n=-1 (greedy)',
      decode: sampled(() => ({ processors: [dry({ multiplier: 0.8, base: 1.75, allowedLength: 2, penaltyLastN: -1 })] })),
    },
    {
      id: 'xtc', name: 'XTC',
      settings: 'xtc_probability=0.5, xtc_threshold=0.1, temperature=1',
      decode: async (m, p, n, seed) =>
        (await generate(m, p, { processors: [xtc({ threshold: 0.1, probability: 0.5, rng: createRng(seed + 1) })], doSample: true, maxNewTokens: n, seed })).tokens,
    },
    {
      id: 'mirostat', name: 'Mirostat 2',
      settings: 'mirostat=2, mirostat_tau=5, mirostat_eta=0.1',
      decode: async (m, p, n, seed) => (await generate(m, p, { sampler: mirostatV2({ tau: 5, eta: 0.1 }), maxNewTokens: n, seed })).tokens,
    },
  ];
}
