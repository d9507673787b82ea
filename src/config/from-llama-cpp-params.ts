/**
 * From llama.cpp server / Ollama sampling options to the chain llama.cpp would run
 * (common/sampling.cpp at the commit named in docs/llama-cpp.md): its order, its defaults and its
 * semantics where they differ from Hugging Face. Returns the same setup as `fromGenerationConfig`.
 */
import { checkStop, samplingSetup } from './sampling-setup.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { createRng } from '../core/rng.js';
import type { Processor, Rng, Sampler } from '../core/types.js';
import { checkFinite, checkInteger, checkNumber, checkRange, checkTokenIds } from '../core/validate.js';
import { mirostat, mirostatV2 } from '../samplers/mirostat.js';
import { frequencyPenalty, presencePenalty } from '../processors/additive-penalties.js';
import { dry } from '../processors/dry/dry.js';
import { drySequenceBreakers, type DryBreakerOptions } from '../processors/dry/dry-breakers.js';
import { dynamicTemperature } from '../processors/dynamic-temperature.js';
import type { GenerationSetup } from './from-generation-config.js';
import { minP } from '../processors/min-p.js';
import { repetitionPenalty } from '../processors/repetition-penalty.js';
import { logitBias } from '../processors/sequence-bias.js';
import { topKExact } from '../processors/top-k/top-k-exact.js';
import { topNSigma } from '../processors/top-n-sigma.js';
import { topP } from '../processors/top-p/top-p.js';
import { typicalP } from '../processors/typical-p/typical-p.js';
import { xtc } from '../processors/xtc.js';

/** llama.cpp server (`/completion`) and Ollama sampling options, as they spell them. */
export interface LlamaCppParams {
  temperature?: number;
  dynatemp_range?: number;
  dynatemp_exponent?: number;
  top_k?: number;
  top_p?: number;
  min_p?: number;
  typical_p?: number;
  top_n_sigma?: number;
  xtc_probability?: number;
  xtc_threshold?: number;
  repeat_penalty?: number;
  repeat_last_n?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  dry_multiplier?: number;
  dry_base?: number;
  dry_allowed_length?: number;
  dry_penalty_last_n?: number;
  /** Breaker strings (need `context.tokenizer`) or token-id sequences. */
  dry_sequence_breakers?: string[] | number[][];
  mirostat?: number;
  mirostat_tau?: number;
  mirostat_eta?: number;
  min_keep?: number;
  /** -1 (or absent) = a random seed. */
  seed?: number;
  /** `[[id, bias | false], …]` or `{ id: bias }`; `false` bans the token. */
  logit_bias?: [number, number | false][] | Record<string, number | false>;
  /** Sampler order: names (`["dry", "top_k", …]`, llama.cpp's aliases accepted) or a string of letters (`"dkypmxt"`). */
  samplers?: string[] | string;
  /** Tokens to generate (-1 = no limit); Ollama spells it `num_predict`. */
  n_predict?: number;
  num_predict?: number;
  stop?: string[];
}

/** What the translator needs besides the options. */
export interface LlamaCppContext {
  /** Vocabulary size (Mirostat's N; checks logit_bias ids). */
  vocabSize?: number;
  /** End-of-sequence ids for the setup. */
  eosTokenIds?: number[];
  /** Prompt length, for the setup's `maxLength`. */
  promptLength?: number;
  /** The caller's tokenizer: needed to turn breaker strings into token ids (see drySequenceBreakers). */
  tokenizer?: DryBreakerOptions;
}

/** llama.cpp's sampler kinds, in its default order. */
export type LlamaSamplerName = 'penalties' | 'dry' | 'top_n_sigma' | 'top_k' | 'typ_p' | 'top_p' | 'min_p' | 'xtc' | 'temperature';

/** common_params_sampling::samplers. */
export const LLAMA_DEFAULT_SAMPLERS: readonly LlamaSamplerName[] = ['penalties', 'dry', 'top_n_sigma', 'top_k', 'typ_p', 'top_p', 'min_p', 'xtc', 'temperature'];
/** common_params_sampling::dry_sequence_breakers. */
export const LLAMA_DEFAULT_DRY_BREAKERS: readonly string[] = ['\n', ':', '"', '*'];

const KEYS = [
  'temperature', 'dynatemp_range', 'dynatemp_exponent', 'top_k', 'top_p', 'min_p', 'typical_p', 'top_n_sigma',
  'xtc_probability', 'xtc_threshold', 'repeat_penalty', 'repeat_last_n', 'presence_penalty', 'frequency_penalty',
  'dry_multiplier', 'dry_base', 'dry_allowed_length', 'dry_penalty_last_n', 'dry_sequence_breakers', 'mirostat',
  'mirostat_tau', 'mirostat_eta', 'min_keep', 'seed', 'logit_bias', 'samplers', 'n_predict', 'num_predict', 'stop',
];
const CONTEXT_KEYS = ['vocabSize', 'eosTokenIds', 'promptLength', 'tokenizer'];

const CANONICAL: Record<string, LlamaSamplerName> = {
  dry: 'dry', top_k: 'top_k', top_p: 'top_p', top_n_sigma: 'top_n_sigma', typ_p: 'typ_p', min_p: 'min_p',
  temperature: 'temperature', xtc: 'xtc', penalties: 'penalties',
};
const CHARS: Record<string, LlamaSamplerName> = { d: 'dry', k: 'top_k', y: 'typ_p', p: 'top_p', s: 'top_n_sigma', m: 'min_p', t: 'temperature', x: 'xtc', e: 'penalties' };

/** Sampler names as llama.cpp reads them: canonical, kebab-case, without underscores, and its aliases. */
function samplerByName(name: string): LlamaSamplerName | undefined {
  const lower = name.toLowerCase();
  const aliases: Record<string, LlamaSamplerName> = { nucleus: 'top_p', temp: 'temperature', typ: 'typ_p' };
  if (aliases[lower]) return aliases[lower];
  for (const [canon, kind] of Object.entries(CANONICAL)) {
    if (lower === canon || lower === canon.replace(/_/g, '-') || lower === canon.replace(/_/g, '')) return kind;
  }
  return undefined;
}

/** The `samplers` option as a list of kinds; unknown names are an error naming them. */
export function llamaSamplerOrder(samplers: string[] | string | undefined): LlamaSamplerName[] {
  if (samplers === undefined) return LLAMA_DEFAULT_SAMPLERS.slice();
  if (typeof samplers === 'string') {
    return Array.from(samplers, (ch, i) => {
      const kind = CHARS[ch];
      if (!kind) throw new RangeError(`samplers[${i}] = '${ch}' is not a llama.cpp sampler letter (${Object.keys(CHARS).join('')})`);
      return kind;
    });
  }
  if (!Array.isArray(samplers)) throw new TypeError(`samplers must be an array of names or a string of letters, got ${String(samplers)}`);
  return samplers.map((s, i) => {
    const kind = typeof s === 'string' ? samplerByName(s) : undefined;
    if (!kind) throw new RangeError(`samplers[${i}] = ${JSON.stringify(s)} is not a llama.cpp sampler (${Object.keys(CANONICAL).join(', ')})`);
    return kind;
  });
}

/**
 * Builds the processors and token choice llama.cpp (server, CLI, Ollama) would use for these
 * sampling options: `logit_bias`, then the `samplers` order (default `penalties → dry → top_n_sigma →
 * top_k → typ_p → top_p → min_p → xtc → temperature`), then a draw; with `mirostat: 1 | 2` only
 * `logit_bias → temperature → mirostat`. llama.cpp's defaults (top_k 40, top_p 0.95, min_p 0.05,
 * temperature 0.8, repeat_last_n 64 …) apply to absent keys, and its semantics where they differ
 * from HF: temperature last, `temperature ≤ 0` = greedy, `top_k ≤ 0` = off, top-k keeps exactly k,
 * the penalties count only the last `repeat_last_n` tokens (-1 = all, 0 = off). Unknown keys throw.
 * Every difference from HF is listed in docs/llama-cpp.md.
 *
 * @example
 * ```ts
 * import { fromLlamaCppParams } from 'degen-guard';
 * const setup = fromLlamaCppParams({ temperature: 0.7, top_k: 40, repeat_penalty: 1.1, seed: 1 });
 * setup.processors.map((p) => p.label);  // → ['repetitionPenalty(1.1)', 'topK(40, exact)', 'topP(0.95)', 'minP(0.05)', 'dynamicTemperature(0.7)']
 * ```
 */
export function fromLlamaCppParams(params: LlamaCppParams, context: LlamaCppContext = {}): GenerationSetup {
  if (params == null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TypeError(`params must be an object of llama.cpp sampling options, got ${Array.isArray(params) ? 'an array' : String(params)}`);
  }
  checkOptionKeys('llama.cpp params', params, KEYS);
  checkOptionKeys('llama.cpp context', context, CONTEXT_KEYS);
  const s = readSettings(params, context);
  const out: Processor[] = [];
  if (params.logit_bias !== undefined && params.logit_bias !== null) out.push(logitBias(biasMap(params.logit_bias), { vocabSize: s.vocab }));
  let sampler: Sampler | undefined;
  if (s.miro === 0) {
    for (const kind of s.order) out.push(...chainStep(kind, s, params, context));
  } else {
    if (s.temp !== 1) out.push(dynamicTemperature({ temp: s.temp }));
    sampler = mirostatSampler(s);
  }

  const eos = context.eosTokenIds === undefined ? [] : checkTokenIds('eosTokenIds', context.eosTokenIds, s.vocab);
  const promptLength = context.promptLength === undefined ? 0 : checkInteger('promptLength', context.promptLength, 0);
  return samplingSetup({
    processors: out,
    doSample: s.miro !== 0 || s.temp > 0,
    sampler,
    eosTokenIds: eos,
    promptLength,
    budget: s.maxNew === undefined || s.maxNew < 0 ? undefined : s.maxNew,
    seed: s.seed,
    stopStrings: s.stop,
  });
}

/** The numbers and lists llama.cpp reads from the options, each checked, its default where absent. */
type LlamaSettings = ReturnType<typeof readSettings>;

/** Reads every option but `logit_bias` and `dry_sequence_breakers` (checked where they are used), in llama.cpp's defaults. */
function readSettings(p: LlamaCppParams, context: LlamaCppContext) {
  const num = (key: keyof LlamaCppParams, dflt: number): number => (p[key] === undefined || p[key] === null ? dflt : checkFinite(key, p[key]));
  const int = (key: keyof LlamaCppParams, dflt: number, min = -Infinity): number =>
    p[key] === undefined || p[key] === null ? dflt : checkInteger(key, p[key], min);

  const vocab = context.vocabSize === undefined ? undefined : checkInteger('vocabSize', context.vocabSize, 1);
  const temp = num('temperature', 0.8);
  if (temp < 0) throw new RangeError(`temperature must be ≥ 0 (0 = greedy), got ${temp}`);
  const range = num('dynatemp_range', 0);
  const exponent = num('dynatemp_exponent', 1);
  const topK = int('top_k', 40);
  const topP = checkRange('top_p', num('top_p', 0.95), 0, 1);
  const minP = checkRange('min_p', num('min_p', 0.05), 0, 1);
  const typical = num('typical_p', 1);
  const sigma = num('top_n_sigma', -1);
  const xtcP = checkRange('xtc_probability', num('xtc_probability', 0), 0, 1);
  const xtcT = checkRange('xtc_threshold', num('xtc_threshold', 0.1), 0, 1);
  const repeat = num('repeat_penalty', 1);
  if (!(repeat > 0)) throw new RangeError(`repeat_penalty must be > 0, got ${repeat}`);
  const lastN = int('repeat_last_n', 64, -1);
  const presence = num('presence_penalty', 0);
  const frequency = num('frequency_penalty', 0);
  const dryMult = num('dry_multiplier', 0);
  let dryBase = num('dry_base', 1.75);
  if (dryBase < 1) dryBase = 1.75; // the server replaces a base < 1 with the default
  const dryAllowed = int('dry_allowed_length', 2, 0);
  const dryLastN = int('dry_penalty_last_n', 64, -1);
  const miro = int('mirostat', 0, 0);
  if (miro > 2) throw new RangeError(`mirostat must be 0, 1 or 2, got ${miro}`);
  const tau = num('mirostat_tau', 5);
  const eta = num('mirostat_eta', 0.1);
  const minKeep = int('min_keep', 0, 0);
  const seedRaw = p.seed === undefined || p.seed === null ? -1 : checkNumber('seed', p.seed);
  const seed = seedRaw === -1 || seedRaw === 0xffffffff ? undefined : checkInteger('seed', seedRaw, 0);
  const order = llamaSamplerOrder(p.samplers);
  const predict = p.n_predict ?? p.num_predict;
  const maxNew = predict === undefined || predict === null ? undefined : checkInteger('n_predict', predict, -1);
  const stop = p.stop === undefined ? undefined : checkStop(p.stop);
  return {
    vocab, temp, range, exponent, topK, topP, minP, typical, sigma, xtcP, xtcT, repeat, lastN, presence, frequency,
    dryMult, dryBase, dryAllowed, dryLastN, miro, tau, eta, minKeep, seed, order, maxNew, stop,
  };
}

/** A generator for a sampler that draws: from the `seed` option, or a random seed without one. */
function newRng(s: LlamaSettings): Rng {
  return s.seed === undefined ? createRng() : createRng(s.seed);
}

/** The processors one sampler of the chain adds (none when its settings turn it off). */
function chainStep(kind: LlamaSamplerName, s: LlamaSettings, p: LlamaCppParams, context: LlamaCppContext): Processor[] {
  const mtk = Math.max(1, s.minKeep);
  switch (kind) {
    case 'penalties':
      return s.lastN === 0 ? [] : penalties(s);
    case 'dry':
      if (s.dryMult === 0 || s.dryLastN === 0) return [];
      return [
        dry({ multiplier: s.dryMult, base: s.dryBase, allowedLength: s.dryAllowed, penaltyLastN: s.dryLastN, sequenceBreakers: breakers(p.dry_sequence_breakers, context.tokenizer) }),
      ];
    case 'top_n_sigma':
      return s.sigma > 0 ? [topNSigma(s.sigma)] : [];
    case 'top_k':
      return s.topK > 0 ? [topKExact(s.topK)] : [];
    case 'typ_p':
      return s.typical < 1 ? [typicalP(checkRange('typical_p', s.typical, 0, 1, 'low'), { minTokensToKeep: mtk })] : [];
    case 'top_p':
      return s.topP < 1 ? [topP(s.topP, { minTokensToKeep: mtk })] : [];
    case 'min_p':
      return s.minP > 0 ? [minP(s.minP, { minTokensToKeep: mtk })] : [];
    case 'xtc':
      return s.xtcP > 0 && s.xtcT <= 0.5 ? [xtc({ probability: s.xtcP, threshold: s.xtcT, minTokensToKeep: s.minKeep, rng: newRng(s) })] : [];
    case 'temperature':
      return s.temp === 1 && s.range <= 0 ? [] : [dynamicTemperature({ temp: s.temp, range: s.range, exponent: s.exponent })];
  }
}

/** llama.cpp's penalties sampler: repeat, frequency and presence over the last `repeat_last_n` tokens (-1 = all). */
function penalties(s: LlamaSettings): Processor[] {
  const window = s.lastN < 0 ? undefined : s.lastN;
  const out: Processor[] = [];
  if (s.repeat !== 1) out.push(repetitionPenalty(s.repeat, { window }));
  if (s.frequency !== 0) out.push(frequencyPenalty(s.frequency, { window }));
  if (s.presence !== 0) out.push(presencePenalty(s.presence, { window }));
  return out;
}

/** The Mirostat sampler `mirostat: 1 | 2` asks for (version 1 with llama.cpp's m = 100). */
function mirostatSampler(s: LlamaSettings): Sampler {
  const { tau, eta } = s;
  return s.miro === 1 ? mirostat({ tau, eta, m: 100, vocabSize: s.vocab, rng: newRng(s) }) : mirostatV2({ tau, eta, rng: newRng(s) });
}

/** `logit_bias` in llama.cpp's forms (pairs or an object; `false` = ban) as an id → bias map. */
function biasMap(value: unknown): Record<number, number> {
  const out: Record<number, number> = {};
  const put = (key: unknown, bias: unknown, where: string): void => {
    const id = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof id !== 'number') throw new TypeError(`${where}: token strings need a tokenizer; give token ids, got ${JSON.stringify(key)}`);
    const [checked] = checkTokenIds(where, [id]);
    out[checked] = bias === false ? -Infinity : checkNumber(where, bias);
  };
  if (Array.isArray(value)) {
    value.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`logit_bias[${i}] must be [id, bias], got ${JSON.stringify(pair)}`);
      put(pair[0], pair[1], `logit_bias[${i}]`);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) put(k, v, `logit_bias[${k}]`);
  } else throw new TypeError(`logit_bias must be [[id, bias], …] or { id: bias }, got ${String(value)}`);
  return out;
}

/** DRY breakers: token-id sequences as given, strings through the tokenizer (llama.cpp's default list when absent). */
function breakers(value: string[] | number[][] | undefined, tokenizer: DryBreakerOptions | undefined): number[][] {
  const list = value ?? LLAMA_DEFAULT_DRY_BREAKERS.slice();
  if (!Array.isArray(list)) throw new TypeError(`dry_sequence_breakers must be an array, got ${String(list)}`);
  if (list.every((b) => Array.isArray(b))) return list as number[][];
  if (!list.every((b) => typeof b === 'string')) throw new TypeError('dry_sequence_breakers must hold only strings or only token-id arrays');
  if (!tokenizer) {
    throw new TypeError(
      'dry_sequence_breakers are strings (llama.cpp\'s default is ["\\n", ":", "\\"", "*"]): pass context.tokenizer { vocabSize, decode, encode } or give token-id sequences',
    );
  }
  return drySequenceBreakers(list as string[], tokenizer);
}
