/**
 * From OpenAI / vLLM sampling parameters to processors and a token choice, with their semantics:
 * additive penalties over the generated tokens only, `temperature: 0` = greedy, vLLM's `top_k`,
 * `min_p`, `repetition_penalty` and `min_tokens`. Returns the same setup as `fromGenerationConfig`.
 */
import { checkStop, samplingSetup } from './sampling-setup.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Processor } from '../core/types.js';
import { checkFinite, checkInteger, checkRange, checkTokenIds } from '../core/validate.js';
import { frequencyPenalty, presencePenalty } from '../processors/additive-penalties.js';
import type { GenerationSetup } from './from-generation-config.js';
import { minNewTokens } from '../processors/min-length.js';
import { minP } from '../processors/min-p.js';
import { repetitionPenalty } from '../processors/repetition-penalty.js';
import { logitBias } from '../processors/sequence-bias.js';
import { temperature } from '../processors/temperature.js';
import { topK } from '../processors/top-k/top-k.js';
import { topP } from '../processors/top-p/top-p.js';

/** OpenAI (and vLLM's extra) sampling parameters, as they spell them. */
export interface OpenAIParams {
  temperature?: number | null;
  top_p?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  seed?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  /** vLLM: -1 (or 0) = off. */
  top_k?: number | null;
  min_p?: number | null;
  repetition_penalty?: number | null;
  min_tokens?: number | null;
}

/** What the translator needs besides the parameters. */
export interface OpenAIContext {
  /** Prompt length: the additive penalties count generated tokens only; min_tokens counts from here. Default 0. */
  promptLength?: number;
  /** End-of-sequence ids (needed by min_tokens). */
  eosTokenIds?: number[];
  /** Vocabulary size (checks logit_bias ids). */
  vocabSize?: number;
}

const KEYS = [
  'temperature', 'top_p', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'seed', 'max_tokens',
  'max_completion_tokens', 'stop', 'top_k', 'min_p', 'repetition_penalty', 'min_tokens',
];
const CONTEXT_KEYS = ['promptLength', 'eosTokenIds', 'vocabSize'];

/**
 * Builds the processors and token choice that OpenAI-compatible servers (vLLM) apply for these
 * parameters, in vLLM's order: `logit_bias`, `min_tokens`, `repetition_penalty`, `frequency_penalty`,
 * `presence_penalty`, `temperature`, `min_p`, `top_k`, `top_p`, then a draw (`temperature: 0` = greedy).
 * Defaults are OpenAI's (temperature 1, top_p 1, penalties 0). The additive penalties count only the
 * generated tokens (`context.promptLength` on), `repetition_penalty` the whole sequence (HF semantics),
 * `top_k`/`top_p`/`min_p` have HF semantics. Unknown keys throw. See docs/llama-cpp.md.
 *
 * @example
 * ```ts
 * import { fromOpenAIParams } from 'degen-guard';
 * const setup = fromOpenAIParams({ temperature: 0.7, frequency_penalty: 0.5, max_tokens: 64 }, { promptLength: 12 });
 * setup.processors.map((p) => p.label);  // → ['frequencyPenalty(0.5)', 'temperature(0.7)']
 * setup.maxNewTokens;  // → 64
 * ```
 */
export function fromOpenAIParams(params: OpenAIParams, context: OpenAIContext = {}): GenerationSetup {
  if (params == null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TypeError(`params must be an object of OpenAI sampling parameters, got ${Array.isArray(params) ? 'an array' : String(params)}`);
  }
  checkOptionKeys('OpenAI params', params, KEYS);
  checkOptionKeys('OpenAI context', context, CONTEXT_KEYS);
  const p = params;
  const vocab = context.vocabSize === undefined ? undefined : checkInteger('vocabSize', context.vocabSize, 1);
  const promptLength = context.promptLength === undefined ? 0 : checkInteger('promptLength', context.promptLength, 0);
  const eos = context.eosTokenIds === undefined ? [] : checkTokenIds('eosTokenIds', context.eosTokenIds, vocab);
  const temp = has(p, 'temperature') ? checkRange('temperature', p.temperature, 0, 2) : 1;
  const out = penaltySteps(p, vocab, promptLength, eos);
  const doSample = temp > 0;
  if (doSample) out.push(...samplingSteps(p, temp));
  const maxKey = has(p, 'max_completion_tokens') ? 'max_completion_tokens' : 'max_tokens';
  const stopStrings = has(p, 'stop') ? checkStop(p.stop) : undefined;
  return samplingSetup({
    processors: out,
    doSample,
    eosTokenIds: eos,
    promptLength,
    budget: has(p, maxKey) ? checkInteger(maxKey, p[maxKey], 1) : undefined,
    seed: has(p, 'seed') ? checkInteger('seed', p.seed) : undefined,
    stopStrings,
  });
}

/** Whether the parameter `k` is given (neither absent nor null). */
function has(p: OpenAIParams, k: keyof OpenAIParams): boolean {
  return p[k] !== undefined && p[k] !== null;
}

/** The processors before the temperature: `logit_bias`, `min_tokens` and the three penalties. */
function penaltySteps(p: OpenAIParams, vocab: number | undefined, promptLength: number, eos: number[]): Processor[] {
  const out: Processor[] = [];
  if (has(p, 'logit_bias')) {
    const lb = p.logit_bias!;
    for (const [k, v] of Object.entries(lb)) checkRange(`logit_bias[${k}]`, v, -100, 100);
    out.push(logitBias(lb, { vocabSize: vocab }));
  }
  if (has(p, 'min_tokens')) {
    const n = checkInteger('min_tokens', p.min_tokens, 0);
    if (n > 0) {
      if (eos.length === 0) throw new TypeError('min_tokens needs context.eosTokenIds');
      out.push(minNewTokens(promptLength, n, eos));
    }
  }
  if (has(p, 'repetition_penalty')) {
    const r = checkFinite('repetition_penalty', p.repetition_penalty);
    if (!(r > 0)) throw new RangeError(`repetition_penalty must be > 0, got ${r}`);
    if (r !== 1) out.push(repetitionPenalty(r));
  }
  if (has(p, 'frequency_penalty')) {
    const f = checkRange('frequency_penalty', p.frequency_penalty, -2, 2);
    if (f !== 0) out.push(frequencyPenalty(f, { promptIgnoreLength: promptLength }));
  }
  if (has(p, 'presence_penalty')) {
    const v = checkRange('presence_penalty', p.presence_penalty, -2, 2);
    if (v !== 0) out.push(presencePenalty(v, { promptIgnoreLength: promptLength }));
  }
  return out;
}

/** The processors of a sampled draw (temperature > 0): temperature, `min_p`, `top_k`, `top_p`. */
function samplingSteps(p: OpenAIParams, temp: number): Processor[] {
  const out: Processor[] = [];
  if (temp !== 1) out.push(temperature(temp));
  if (has(p, 'min_p')) {
    const m = checkRange('min_p', p.min_p, 0, 1);
    if (m > 0) out.push(minP(m));
  }
  if (has(p, 'top_k')) {
    const k = checkInteger('top_k', p.top_k, -1);
    if (k > 0) out.push(topK(k));
  }
  if (has(p, 'top_p')) {
    const tp = checkRange('top_p', p.top_p, 0, 1, 'low');
    if (tp < 1) out.push(topP(tp));
  }
  return out;
}
