/**
 * From a Hugging Face `generation_config.json` to the processors, token choice, strategy and limits
 * that HF `generate()` would use, in HF's order (`GenerationMixin._get_logits_processor`) and with
 * HF's defaults (`top_k` 50, `max_length` 20 new tokens).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkGenerationConfigTypos } from './generation-config-typos.js';
import type { Candidates, HistoryLike, Processor, Rng, Sampler } from '../core/types.js';
import { checkInteger, checkNumber, checkRange, checkTokenIds } from '../core/validate.js';
import { greedy } from '../samplers/greedy.js';
import { sample } from '../samplers/sample.js';
import { pipeline, type Pipeline } from '../processors/pipeline.js';
import { sequenceBias, type SequenceBiasEntries } from '../processors/sequence-bias.js';
import { encoderRepetitionPenalty, repetitionPenalty } from '../processors/repetition-penalty.js';
import { encoderNoRepeatNgram, noRepeatNgram } from '../processors/no-repeat-ngram.js';
import { badWords } from '../processors/bad-words.js';
import { minLength, minNewTokens } from '../processors/min-length.js';
import { prefixAllowedTokens } from '../processors/prefix-allowed-tokens.js';
import { forcedBos, forcedEos } from '../processors/forced-tokens.js';
import { removeInfNan } from '../processors/remove-inf-nan.js';
import { exponentialDecayLengthPenalty } from '../processors/exponential-decay-length-penalty.js';
import { suppressTokens, suppressTokensAtBegin } from '../processors/suppress-tokens.js';
import { temperature } from '../processors/temperature.js';
import { topH } from '../processors/top-h.js';
import { topK } from '../processors/top-k/top-k.js';
import { topP } from '../processors/top-p/top-p.js';
import { minP } from '../processors/min-p.js';
import { typicalP } from '../processors/typical-p/typical-p.js';
import { epsilonCutoff } from '../processors/epsilon-cutoff.js';
import { etaCutoff } from '../processors/eta-cutoff.js';
import { logSoftmax } from '../processors/log-softmax.js';

/** The keys of a `generation_config.json` this reads (snake_case, as HF writes them). Others are ignored. */
export interface GenerationConfigJson {
  do_sample?: boolean | null;
  num_beams?: number | null;
  num_beam_groups?: number | null;
  diversity_penalty?: number | null;
  length_penalty?: number | null;
  early_stopping?: boolean | 'never' | null;
  num_return_sequences?: number | null;
  max_length?: number | null;
  max_new_tokens?: number | null;
  min_length?: number | null;
  min_new_tokens?: number | null;
  temperature?: number | null;
  top_k?: number | null;
  top_p?: number | null;
  min_p?: number | null;
  top_h?: number | null;
  typical_p?: number | null;
  epsilon_cutoff?: number | null;
  eta_cutoff?: number | null;
  repetition_penalty?: number | null;
  encoder_repetition_penalty?: number | null;
  no_repeat_ngram_size?: number | null;
  encoder_no_repeat_ngram_size?: number | null;
  bad_words_ids?: number[][] | null;
  sequence_bias?: SequenceBiasEntries | Record<string, number> | null;
  eos_token_id?: number | number[] | null;
  bos_token_id?: number | null;
  pad_token_id?: number | null;
  forced_bos_token_id?: number | null;
  forced_eos_token_id?: number | number[] | null;
  remove_invalid_values?: boolean | null;
  exponential_decay_length_penalty?: [number, number] | null;
  suppress_tokens?: number[] | null;
  begin_suppress_tokens?: number[] | null;
  renormalize_logits?: boolean | null;
  penalty_alpha?: number | null;
  stop_strings?: string | string[] | null;
  [key: string]: unknown;
}

/** What `generate()` needs besides the config. */
export interface GenerationConfigContext {
  /**
   * Length of the prompt (HF `input_ids_seq_length`); needed by max_length's default, min_new_tokens,
   * forced_eos_token_id, exponential_decay_length_penalty and begin_suppress_tokens. `generate()`
   * supplies it (through {@link GenerationSetup.forPrompt}).
   */
  promptLength?: number;
  /** Encoder input ids (encoder-decoder models), for the encoder_* options. */
  encoderInputIds?: ArrayLike<number>;
  /** HF `prefix_allowed_tokens_fn`: the allowed next ids given the sequence so far. */
  prefixAllowedTokens?: (history: HistoryLike) => ArrayLike<number>;
  /** Extra processors (HF `logits_processor`): one whose `label` names the same kind as a default replaces it, the rest are appended (HF's merge rule). */
  processors?: Processor[];
}

const CONTEXT_KEYS = ['promptLength', 'encoderInputIds', 'prefixAllowedTokens', 'processors'];

/**
 * The decoding set-up a config asks for: processors, token choice, strategy and limits. Every
 * config translator returns one, and `generate(model, prompt, { config: setup })` runs it.
 */
export interface GenerationSetup {
  /** The processors, in HF's order. */
  processors: Processor[];
  /** `pipeline(...processors)`. */
  pipeline: Pipeline;
  /** Whether tokens are sampled (otherwise greedy / beam search). */
  doSample: boolean;
  /** Beam search width (1 = no beams). */
  numBeams: number;
  /** End-of-sequence ids (empty when none). */
  eosTokenIds: number[];
  /**
   * Total length limit, prompt included, as HF computes it: `max_new_tokens` + prompt length when
   * `max_new_tokens` is set, else `max_length` when set, else 20 + prompt length. `null` while it
   * depends on a prompt length not given yet; `Infinity` for no limit (llama.cpp `n_predict = -1`).
   */
  maxLength: number | null;
  /** Contrastive search α when the config asks for contrastive search (penalty_alpha > 0 with top_k > 1, no sampling, no beams). */
  penaltyAlpha: number | null;
  /** The token choice after the pipeline: `sample` when sampling, `greedy` otherwise. */
  choose(logits: Float32Array, rng?: Rng, cands?: Candidates | null): number;
  /** One decoding step: run the pipeline on `logits` (in place) and choose a token. */
  step(logits: Float32Array, history: HistoryLike, rng?: Rng): number;
  /** A token choice that replaces `choose` (e.g. a stateful Mirostat sampler from a llama.cpp config). */
  sampler?: Sampler;
  /** The seed the config asks for (llama.cpp / OpenAI `seed`), when it gives one. */
  seed?: number;
  /** New-token budget when the config gives one (HF `max_new_tokens`, or HF's default of 20 when it sets no `max_length`; OpenAI `max_tokens`). */
  maxNewTokens?: number;
  /** Stop strings (HF `stop_strings`, OpenAI `stop`); `generate()` needs a tokenizer to honour them. */
  stopStrings?: string[];
  /** Whether the output text keeps a matched stop string (HF: true, nothing is cut; OpenAI / vLLM: false, the default). */
  includeStopStrInOutput?: boolean;
  /** `top_k` as HF reads it (default 50): the candidates of contrastive search. */
  topK?: number;
  /** Beam search: `length_penalty` (default 1). */
  lengthPenalty?: number;
  /** Beam search: `early_stopping` (default false). */
  earlyStopping?: boolean | 'never';
  /** Beam search: `num_return_sequences` (default 1). */
  numReturnSequences?: number;
  /** Diverse beam search: `num_beam_groups` (default 1). */
  numBeamGroups?: number;
  /** Diverse beam search: `diversity_penalty` (default 0). */
  diversityPenalty?: number;
  /** Diverse beam search: `pad_token_id`, the token a finished group emits (default: the first EOS id). */
  padTokenId?: number;
  /** The same setup built for a prompt of `promptLength` tokens (`generate()` calls it). */
  forPrompt?(promptLength: number): GenerationSetup;
}

function present<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null;
}

function kindOf(p: Processor): string {
  const label = p.label ?? '';
  const paren = label.indexOf('(');
  return paren < 0 ? label : label.slice(0, paren);
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? JSON.stringify(v) : String(v);
}

/** Prefixes an error from a processor factory with the config key it came from. */
function keyed<T>(key: string, value: unknown, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) {
      const E = e instanceof TypeError ? TypeError : RangeError;
      throw new E(`generation config ${key} = ${show(value)}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** The four readers of a config's keys: each returns undefined for an absent (or null) key, and names the key and value in its error. */
function readersOf(c: GenerationConfigJson) {
  const bool = (key: string): boolean | undefined => {
    const v = c[key];
    if (!present(v)) return undefined;
    if (typeof v !== 'boolean') throw new TypeError(`generation config ${key} must be true or false, got ${show(v)}`);
    return v;
  };
  const int = (key: string, min: number): number | undefined => {
    const v = c[key];
    return present(v) ? checkInteger(`generation config ${key}`, v, min) : undefined;
  };
  const num = (key: string): number | undefined => {
    const v = c[key];
    return present(v) ? checkNumber(`generation config ${key}`, v) : undefined;
  };
  const ids = (key: string, allowSingle: boolean): number[] | undefined => {
    const v = c[key];
    if (!present(v)) return undefined;
    if (allowSingle && !Array.isArray(v)) return [checkInteger(`generation config ${key}`, v, 0)];
    if (!Array.isArray(v)) throw new TypeError(`generation config ${key} must be ${allowSingle ? 'a token id or ' : ''}an array of token ids, got ${show(v)}`);
    return checkTokenIds(`generation config ${key}`, v);
  };
  return { bool, int, num, ids };
}

/** `early_stopping`: true, false or "never" (false when absent). */
function readEarlyStopping(c: GenerationConfigJson): boolean | 'never' {
  const early = c.early_stopping;
  if (!present(early)) return false;
  if (early !== true && early !== false && early !== 'never') {
    throw new TypeError(`generation config early_stopping must be true, false or "never", got ${show(early)}`);
  }
  return early;
}

/** `bad_words_ids`: an array of token-id arrays. */
function readBadWordsIds(c: GenerationConfigJson): number[][] | undefined {
  const badWordsIds = c.bad_words_ids;
  if (!present(badWordsIds)) return undefined;
  if (!Array.isArray(badWordsIds)) throw new TypeError(`generation config bad_words_ids must be an array of token id arrays, got ${show(badWordsIds)}`);
  badWordsIds.forEach((s, i) => checkTokenIds(`generation config bad_words_ids[${i}]`, s));
  return badWordsIds;
}

/** `exponential_decay_length_penalty`: a pair [start_index, decay_factor]. */
function readDecay(c: GenerationConfigJson): [number, number] | undefined {
  const decay = c.exponential_decay_length_penalty;
  if (!present(decay)) return undefined;
  if (!Array.isArray(decay) || decay.length !== 2) {
    throw new TypeError(`generation config exponential_decay_length_penalty must be a pair [start_index, decay_factor], got ${show(decay)}`);
  }
  checkInteger('generation config exponential_decay_length_penalty[0] (start_index)', decay[0], 0);
  checkNumber('generation config exponential_decay_length_penalty[1] (decay_factor)', decay[1]);
  return decay as [number, number];
}

/** `sequence_bias`: [token ids, bias] pairs, a Map, or HF's object keyed by JSON arrays of ids. */
function readSequenceBias(c: GenerationConfigJson): SequenceBiasEntries | undefined {
  const sb = c.sequence_bias;
  if (!present(sb)) return undefined;
  if (Array.isArray(sb)) return sb as SequenceBiasEntries;
  if (typeof sb === 'object' && !(sb instanceof Map)) {
    return Object.entries(sb as Record<string, number>).map(([k, v]) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(k);
      } catch {
        throw new TypeError(`generation config sequence_bias key ${JSON.stringify(k)} must be a JSON array of token ids`);
      }
      return [checkTokenIds(`generation config sequence_bias key ${JSON.stringify(k)}`, parsed), v] as const;
    });
  }
  if (sb instanceof Map) return sb as SequenceBiasEntries;
  throw new TypeError(`generation config sequence_bias must be a list of [token ids, bias] pairs, got ${show(sb)}`);
}

/** `stop_strings`: a non-empty string or an array of them. */
function readStopStrings(c: GenerationConfigJson): string[] | undefined {
  const ss = c.stop_strings;
  if (!present(ss)) return undefined;
  const stopStrings = typeof ss === 'string' ? [ss] : Array.isArray(ss) ? ss : undefined;
  if (!stopStrings || stopStrings.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError(`generation config stop_strings must be a non-empty string or an array of them, got ${show(ss)}`);
  }
  return stopStrings;
}

/** Reads and type-checks every key this translator uses; an error names the key and the value. */
function readConfig(c: GenerationConfigJson) {
  const { bool, int, num, ids } = readersOf(c);
  const earlyStopping = readEarlyStopping(c);
  const forcedBos = present(c.forced_bos_token_id) ? checkInteger('generation config forced_bos_token_id', c.forced_bos_token_id, 0) : undefined;
  const badWordsIds = readBadWordsIds(c);
  const decay = readDecay(c);
  const sequenceBias = readSequenceBias(c);
  const stopStrings = readStopStrings(c);
  return {
    doSample: bool('do_sample') ?? false,
    removeInvalidValues: bool('remove_invalid_values') ?? false,
    renormalizeLogits: bool('renormalize_logits') ?? false,
    earlyStopping,
    numBeams: int('num_beams', 1) ?? 1,
    numBeamGroups: int('num_beam_groups', 1) ?? 1,
    numReturnSequences: int('num_return_sequences', 1) ?? 1,
    maxLength: int('max_length', 1),
    maxNewTokens: int('max_new_tokens', 1),
    minLength: int('min_length', 0),
    minNewTokens: int('min_new_tokens', 0),
    topK: c.top_k === undefined ? 50 : int('top_k', 0), // HF's default 50; null: off
    noRepeatNgramSize: int('no_repeat_ngram_size', 0),
    encoderNoRepeatNgramSize: int('encoder_no_repeat_ngram_size', 0),
    diversityPenalty: num('diversity_penalty') ?? 0,
    lengthPenalty: num('length_penalty') ?? 1,
    temperature: num('temperature'),
    topP: num('top_p'),
    minP: num('min_p'),
    topH: num('top_h'),
    typicalP: num('typical_p'),
    epsilonCutoff: num('epsilon_cutoff'),
    etaCutoff: num('eta_cutoff'),
    repetitionPenalty: num('repetition_penalty'),
    encoderRepetitionPenalty: num('encoder_repetition_penalty'),
    penaltyAlpha: num('penalty_alpha'),
    eos: ids('eos_token_id', true) ?? [],
    forcedEos: ids('forced_eos_token_id', true),
    suppress: ids('suppress_tokens', false),
    beginSuppress: ids('begin_suppress_tokens', false),
    forcedBos,
    padTokenId: int('pad_token_id', 0),
    badWordsIds,
    decay,
    sequenceBias,
    stopStrings,
  };
}

/** A config as {@link readConfig} reads it. */
type Config = ReturnType<typeof readConfig>;

/** The lengths a config sets for a prompt of P tokens (P undefined: not known yet; a length that needs it is null). */
interface Lengths {
  /** The prompt length, when known. */
  P: number | undefined;
  /** Total length limit (HF `max_length` after `_prepare_generated_length`). */
  maxLength: number | null;
  /** The new-token budget, when the config gives one (or HF's default 20). */
  maxNewTokens: number | undefined;
  /** The minimum total length (HF `min_length`, or min_new_tokens + P). */
  minLength: number | null | undefined;
}

/** Throws unless the arguments are a config object and a context whose processors and prefixAllowedTokens are functions. */
function checkArguments(config: GenerationConfigJson, context: GenerationConfigContext): void {
  if (config == null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError(`config must be a generation_config object, got ${Array.isArray(config) ? 'an array' : String(config)}`);
  }
  checkGenerationConfigTypos(config);
  checkOptionKeys('fromGenerationConfig context', context, CONTEXT_KEYS);
  const ctx = context ?? {};
  if (ctx.processors !== undefined && (!Array.isArray(ctx.processors) || ctx.processors.some((p) => typeof p !== 'function'))) {
    throw new TypeError('context.processors must be an array of processors');
  }
  if (ctx.prefixAllowedTokens !== undefined && typeof ctx.prefixAllowedTokens !== 'function') {
    throw new TypeError(`context.prefixAllowedTokens must be a function, got ${String(ctx.prefixAllowedTokens)}`);
  }
}

/** The lengths (HF `_prepare_generated_length`): max_new_tokens wins over max_length; without either, 20 new tokens. */
function lengthsOf(c: Config, P: number | undefined): Lengths {
  let maxLength: number | null;
  let maxNewTokens: number | undefined;
  if (c.maxNewTokens !== undefined) {
    maxNewTokens = c.maxNewTokens;
    maxLength = P === undefined ? null : c.maxNewTokens + P;
  } else if (c.maxLength !== undefined) {
    maxLength = c.maxLength;
  } else {
    maxNewTokens = 20;
    maxLength = P === undefined ? null : 20 + P;
  }
  // min_new_tokens sets min_length to min_new_tokens + prompt length (both processors are added).
  const minLength = c.minNewTokens !== undefined ? (P === undefined ? null : c.minNewTokens + P) : c.minLength;
  return { P, maxLength, maxNewTokens, minLength };
}

/** The keys whose processors cannot be built before the prompt length is known (empty when it is). */
function waitingKeys(c: Config, len: Lengths): string[] {
  const P = len.P;
  const waiting: string[] = [];
  if (c.eos.length > 0 && c.minNewTokens !== undefined && c.minNewTokens > 0 && P === undefined) waiting.push('min_new_tokens');
  if (c.forcedEos !== undefined && len.maxLength === null) waiting.push('forced_eos_token_id');
  if (c.decay !== undefined && P === undefined) waiting.push('exponential_decay_length_penalty');
  if (c.beginSuppress !== undefined && P === undefined) waiting.push('begin_suppress_tokens');
  return waiting;
}

/** Out-of-range values throw even where HF would skip the processor (top_p ≥ 1 is skipped, 1.5 is a typo). */
function checkRanges(c: Config): void {
  if (c.topP !== undefined) checkRange('generation config top_p', c.topP, 0, 1);
  if (c.typicalP !== undefined) checkRange('generation config typical_p', c.typicalP, 0, 1, 'low');
  if (c.minP !== undefined) checkRange('generation config min_p', c.minP, 0, 1);
  if (c.penaltyAlpha !== undefined) checkRange('generation config penalty_alpha', c.penaltyAlpha, 0, 1);
  if (c.diversityPenalty !== undefined) checkRange('generation config diversity_penalty', c.diversityPenalty, 0, Infinity, 'high');
  if (!Number.isFinite(c.lengthPenalty)) throw new RangeError(`generation config length_penalty must be finite, got ${c.lengthPenalty}`);
}

/** Every processor, in HF's order: the logits processors, the user's merged in, the warpers when sampling, then renormalisation. */
function buildProcessors(c: Config, config: GenerationConfigJson, ctx: GenerationConfigContext, len: Lengths): Processor[] {
  const out = logitsProcessors(c, config, ctx, len);
  mergeUserProcessors(out, ctx.processors ?? []);
  if (c.doSample) out.push(...warpers(c));
  if (c.renormalizeLogits) out.push(logSoftmax());
  return out;
}

/** HF's logits processors (`_get_logits_processor` before the warpers), in its order. */
function logitsProcessors(c: Config, config: GenerationConfigJson, ctx: GenerationConfigContext, len: Lengths): Processor[] {
  const { P, maxLength, minLength: minLengthValue } = len;
  const eos = c.eos;
  const out: Processor[] = [];
  if (c.sequenceBias !== undefined) out.push(keyed('sequence_bias', config.sequence_bias, () => sequenceBias(c.sequenceBias!)));
  if (c.encoderRepetitionPenalty !== undefined && c.encoderRepetitionPenalty !== 1.0 && ctx.encoderInputIds) {
    out.push(keyed('encoder_repetition_penalty', c.encoderRepetitionPenalty, () => encoderRepetitionPenalty(c.encoderRepetitionPenalty!, ctx.encoderInputIds!)));
  }
  if (c.repetitionPenalty !== undefined && c.repetitionPenalty !== 1.0) {
    out.push(keyed('repetition_penalty', c.repetitionPenalty, () => repetitionPenalty(c.repetitionPenalty!)));
  }
  if (c.noRepeatNgramSize !== undefined && c.noRepeatNgramSize > 0) out.push(noRepeatNgram(c.noRepeatNgramSize));
  if (c.encoderNoRepeatNgramSize !== undefined && c.encoderNoRepeatNgramSize > 0 && ctx.encoderInputIds) {
    out.push(keyed('encoder_no_repeat_ngram_size', c.encoderNoRepeatNgramSize, () => encoderNoRepeatNgram(c.encoderNoRepeatNgramSize!, ctx.encoderInputIds!)));
  }
  if (c.badWordsIds !== undefined) {
    // HF drops the single-id entries that are an eos id
    const kept = c.badWordsIds.filter((s) => !(s.length === 1 && eos.includes(s[0])));
    out.push(keyed('bad_words_ids', c.badWordsIds, () => badWords(kept)));
  }
  if (minLengthValue !== undefined && minLengthValue !== null && eos.length > 0 && minLengthValue > 0) out.push(minLength(minLengthValue, eos));
  if (c.minNewTokens !== undefined && eos.length > 0 && c.minNewTokens > 0) out.push(minNewTokens(P!, c.minNewTokens, eos));
  if (ctx.prefixAllowedTokens) out.push(prefixAllowedTokens(ctx.prefixAllowedTokens));
  if (c.forcedBos !== undefined) out.push(forcedBos(c.forcedBos));
  if (c.forcedEos !== undefined) out.push(keyed('forced_eos_token_id', c.forcedEos, () => forcedEos(maxLength!, c.forcedEos!)));
  if (c.removeInvalidValues) out.push(removeInfNan());
  if (c.decay !== undefined) {
    out.push(keyed('exponential_decay_length_penalty', c.decay, () => exponentialDecayLengthPenalty(c.decay!, eos, P!)));
  }
  if (c.suppress !== undefined) out.push(suppressTokens(c.suppress));
  if (c.beginSuppress !== undefined) {
    // HF: the first generated position, moved one on when a forced BOS fills it on a 1-token prompt
    const beginIndex = P! > 1 || c.forcedBos === undefined ? P! : P! + 1;
    out.push(suppressTokensAtBegin(c.beginSuppress, beginIndex));
  }
  return out;
}

/**
 * Merges the user's processors into `out` (HF `_merge_criteria_processor_list`): for each default,
 * the first user processor of the same kind takes its place; the user processors not placed are appended.
 */
function mergeUserProcessors(out: Processor[], extras: Processor[]): void {
  if (extras.length === 0) return;
  const used = new Set<Processor>();
  for (let i = 0; i < out.length; i++) {
    const kind = kindOf(out[i]);
    const custom = kind === '' ? undefined : extras.find((e) => kindOf(e) === kind);
    if (custom) {
      out[i] = custom;
      used.add(custom);
    }
  }
  for (const e of extras) if (!used.has(e)) out.push(e);
}

/** HF's warpers of a sampled draw, in its order; beam search keeps at least eos + 1 tokens (HF's min_tokens_to_keep). */
function warpers(c: Config): Processor[] {
  const out: Processor[] = [];
  const mtk = c.numBeams > 1 ? (c.eos.length > 0 ? c.eos.length + 1 : 2) : 1;
  const t = c.temperature ?? 1.0;
  if (t !== 1.0) out.push(keyed('temperature', t, () => temperature(t)));
  if (c.topH !== undefined) out.push(keyed('top_h', c.topH, () => topH(c.topH!)));
  if (c.topK !== undefined && c.topK !== 0) out.push(topK(c.topK, { minTokensToKeep: mtk }));
  if (c.topP !== undefined && c.topP < 1.0) out.push(topP(c.topP, { minTokensToKeep: mtk }));
  if (c.minP !== undefined) out.push(minP(c.minP, { minTokensToKeep: mtk }));
  if (c.typicalP !== undefined && c.typicalP < 1.0) out.push(typicalP(c.typicalP, { minTokensToKeep: mtk }));
  if (c.epsilonCutoff !== undefined && c.epsilonCutoff > 0 && c.epsilonCutoff < 1) {
    out.push(epsilonCutoff(c.epsilonCutoff, { minTokensToKeep: mtk }));
  }
  if (c.etaCutoff !== undefined && c.etaCutoff > 0 && c.etaCutoff < 1) {
    out.push(etaCutoff(c.etaCutoff, { minTokensToKeep: mtk }));
  }
  return out;
}

/** The token choice after the pipeline: `sample` when sampling, `greedy` otherwise. */
function chooserOf(doSample: boolean): GenerationSetup['choose'] {
  return doSample
    ? (logits: Float32Array, rng?: Rng, cands?: Candidates | null) => sample(logits, rng, cands)
    : (logits: Float32Array, _rng?: Rng, cands?: Candidates | null) => greedy(logits, cands);
}

/** HF `get_generation_mode`: contrastive search needs no sampling, one beam, top_k > 1 and penalty_alpha > 0. */
function isContrastive(c: Config): boolean {
  return !c.doSample && c.numBeams === 1 && c.topK !== undefined && c.topK > 1 && c.penaltyAlpha !== undefined && c.penaltyAlpha > 0;
}

/** Makes reading `processors` or `pipeline` throw a TypeError saying that the keys in `waiting` need the prompt length. */
function awaitPromptLength(setup: GenerationSetup, waiting: string[]): void {
  const fail = (what: string) => (): never => {
    throw new TypeError(
      `fromGenerationConfig: ${what} needs the prompt length, because the config sets ${waiting.join(', ')}: ` +
        'pass the setup to generate() (it calls setup.forPrompt(promptLength)), or give context.promptLength',
    );
  };
  Object.defineProperty(setup, 'processors', { get: fail('setup.processors'), enumerable: true });
  Object.defineProperty(setup, 'pipeline', { get: fail('setup.pipeline'), enumerable: true });
}

/**
 * Builds the processors, token choice, strategy and limits that HF `generate()` would use for a
 * `generation_config.json` object, in HF's order, with HF's defaults. Every key it reads is
 * type-checked (an error names the key and the value); keys it does not read are ignored, except
 * likely typos of the ones it reads (`do_sampel`), which throw.
 *
 * Without `context.promptLength`, the parts that depend on the prompt's length (`min_new_tokens`,
 * `forced_eos_token_id`, `exponential_decay_length_penalty`, `begin_suppress_tokens`, and
 * `maxLength`) wait for it: `generate()` completes them through `setup.forPrompt(promptLength)`,
 * and reading `processors`, `pipeline` or `step` before that throws a TypeError saying so.
 *
 * @example
 * ```ts
 * import { fromGenerationConfig, createRng } from 'degen-guard';
 * const setup = fromGenerationConfig({ do_sample: true, temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1 });
 * setup.processors.map((p) => p.label); // → ['repetitionPenalty(1.1)', 'temperature(0.7)', 'topK(50)', 'topP(0.9)']
 * setup.step(new Float32Array([0, 3, 1, 2]), [1], createRng(0)); // → 3
 * ```
 */
export function fromGenerationConfig(
  config: GenerationConfigJson,
  context: GenerationConfigContext = {},
): GenerationSetup {
  checkArguments(config, context);
  const ctx = context ?? {};
  const c = readConfig(config);
  const snapshot: GenerationConfigJson = { ...config }; // later edits of the caller's object do not leak into forPrompt
  const P = ctx.promptLength === undefined ? undefined : checkInteger('context.promptLength', ctx.promptLength, 0);
  const len = lengthsOf(c, P);
  const waiting = waitingKeys(c, len);
  checkRanges(c);

  const choose = chooserOf(c.doSample);
  const setup: GenerationSetup = {
    processors: [],
    pipeline: pipeline(),
    doSample: c.doSample,
    numBeams: c.numBeams,
    eosTokenIds: c.eos,
    maxLength: len.maxLength,
    penaltyAlpha: isContrastive(c) ? c.penaltyAlpha! : null,
    choose,
    step(logits, history, rng) {
      const pipe = setup.pipeline;
      pipe(logits, history);
      return choose(logits, rng, pipe.candidates);
    },
    ...(len.maxNewTokens !== undefined ? { maxNewTokens: len.maxNewTokens } : {}),
    ...(c.stopStrings ? { stopStrings: c.stopStrings, includeStopStrInOutput: true } : {}),
    ...(c.topK !== undefined ? { topK: c.topK } : {}),
    lengthPenalty: c.lengthPenalty,
    earlyStopping: c.earlyStopping,
    numReturnSequences: c.numReturnSequences,
    numBeamGroups: c.numBeamGroups,
    diversityPenalty: c.diversityPenalty,
    ...(c.padTokenId !== undefined ? { padTokenId: c.padTokenId } : {}),
    forPrompt: (promptLength: number) => fromGenerationConfig(snapshot, { ...ctx, promptLength }),
  };
  if (waiting.length === 0) {
    const processors = buildProcessors(c, config, ctx, len);
    setup.processors = processors;
    setup.pipeline = pipeline(...processors);
  } else awaitPromptLength(setup, waiting);
  return setup;
}
