/**
 * The setup a sampling-API translator (llama.cpp / Ollama, OpenAI / vLLM) returns: a processor chain,
 * then a token choice, one sequence (no beams), an optional new-token budget. One construction for
 * both translators, so their setups behave alike in `generate()`.
 */
import type { Candidates, Processor, Rng, Sampler } from '../core/types.js';
import { pipeline } from '../processors/pipeline.js';
import { greedy } from '../samplers/greedy.js';
import { sample } from '../samplers/sample.js';
import type { GenerationSetup } from './from-generation-config.js';

/** What differs between the translators' setups. */
export interface SamplingSetupParts {
  processors: Processor[];
  /** Sample (otherwise greedy) when no `sampler` is given. */
  doSample: boolean;
  /** A token choice that replaces sample/greedy (e.g. Mirostat). */
  sampler?: Sampler;
  eosTokenIds: number[];
  promptLength: number;
  /** New tokens at most; undefined: until EOS or a stop. */
  budget?: number;
  seed?: number;
  stopStrings?: string[];
}

/** Builds the {@link GenerationSetup} of a one-sequence sampling chain. */
export function samplingSetup(parts: SamplingSetupParts): GenerationSetup {
  const pipe = pipeline(...parts.processors);
  const sampler = parts.sampler;
  const choose = sampler
    ? (logits: Float32Array, rng?: Rng, cands?: Candidates | null) => sampler(logits, rng, cands)
    : parts.doSample
      ? (logits: Float32Array, rng?: Rng, cands?: Candidates | null) => sample(logits, rng, cands)
      : (logits: Float32Array, _rng?: Rng, cands?: Candidates | null) => greedy(logits, cands);
  const setup: GenerationSetup = {
    processors: parts.processors,
    pipeline: pipe,
    doSample: parts.doSample || sampler !== undefined,
    numBeams: 1,
    eosTokenIds: parts.eosTokenIds,
    maxLength: parts.budget === undefined ? Infinity : parts.promptLength + parts.budget,
    penaltyAlpha: null,
    choose,
    step(logits, history, rng) {
      pipe(logits, history);
      return choose(logits, rng, pipe.candidates);
    },
  };
  if (sampler) setup.sampler = sampler;
  if (parts.seed !== undefined) setup.seed = parts.seed;
  if (parts.budget !== undefined) setup.maxNewTokens = parts.budget;
  if (parts.stopStrings) setup.stopStrings = parts.stopStrings;
  return setup;
}

/** The `stop` option of the sampling APIs (a string or an array of strings) as a new array; else a TypeError. */
export function checkStop(stop: unknown): string[] {
  if (typeof stop === 'string') return [stop];
  if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string')) throw new TypeError(`stop must be a string or an array of strings, got ${String(stop)}`);
  return stop.slice();
}
