/**
 * From a Hugging Face `generation_config.json` to the processors and token choice that HF
 * `generate()` would use, in HF's order (`GenerationMixin._get_logits_processor`) and with HF's
 * defaults (`top_k` 50 when sampling).
 */
import type { Candidates, HistoryLike, Processor, Rng, Sampler } from '../core/types.js';
import { checkInteger, checkRange, checkTokenIds } from '../core/validate.js';
import { greedy } from '../samplers/greedy.js';
import { sample } from '../samplers/sample.js';
import { pipeline, type Pipeline } from './pipeline.js';
import { sequenceBias, type SequenceBiasEntries } from './sequence-bias.js';
import { encoderRepetitionPenalty, repetitionPenalty } from './repetition-penalty.js';
import { encoderNoRepeatNgram, noRepeatNgram } from './no-repeat-ngram.js';
import { badWords } from './bad-words.js';
import { minLength, minNewTokens } from './min-length.js';
import { prefixAllowedTokens } from './prefix-allowed-tokens.js';
import { forcedBos, forcedEos } from './forced-tokens.js';
import { removeInfNan } from './remove-inf-nan.js';
import { exponentialDecayLengthPenalty } from './exponential-decay-length-penalty.js';
import { suppressTokens, suppressTokensAtBegin } from './suppress-tokens.js';
import { temperature } from './temperature.js';
import { topH } from './top-h.js';
import { topK } from './top-k.js';
import { topP } from './top-p.js';
import { minP } from './min-p.js';
import { typicalP } from './typical-p.js';
import { epsilonCutoff } from './epsilon-cutoff.js';
import { etaCutoff } from './eta-cutoff.js';
import { logSoftmax } from './log-softmax.js';

/** The keys of a `generation_config.json` this reads (snake_case, as HF writes them). Others are ignored. */
export interface GenerationConfigJson {
  do_sample?: boolean;
  num_beams?: number;
  num_beam_groups?: number;
  diversity_penalty?: number;
  length_penalty?: number;
  early_stopping?: boolean | 'never';
  num_return_sequences?: number;
  max_length?: number;
  max_new_tokens?: number | null;
  min_length?: number;
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
  remove_invalid_values?: boolean;
  exponential_decay_length_penalty?: [number, number] | null;
  suppress_tokens?: number[] | null;
  begin_suppress_tokens?: number[] | null;
  renormalize_logits?: boolean;
  penalty_alpha?: number | null;
  [key: string]: unknown;
}

/** What `generate()` needs besides the config. */
export interface GenerationConfigContext {
  /** Length of the prompt (HF `input_ids_seq_length`); needed by min_new_tokens, max_new_tokens, exponential decay, begin_suppress_tokens. */
  promptLength?: number;
  /** Encoder input ids (encoder-decoder models), for the encoder_* options. */
  encoderInputIds?: ArrayLike<number>;
  /** HF `prefix_allowed_tokens_fn`: the allowed next ids given the sequence so far. */
  prefixAllowedTokens?: (history: HistoryLike) => ArrayLike<number>;
  /** Extra processors; one whose `label` starts like a default's (same kind) replaces it, the rest are appended (HF's merge rule). */
  processors?: Processor[];
}

/** The decoding set-up HF would build from a config. */
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
  /** Total length limit (prompt included), as HF computes it (max_new_tokens + prompt length when set). */
  maxLength: number;
  /** Contrastive search α when the config asks for it (penalty_alpha > 0 with top_k > 1). */
  penaltyAlpha: number | null;
  /** The token choice after the pipeline: `sample` when sampling, `greedy` otherwise. */
  choose(logits: Float32Array, rng?: Rng, cands?: Candidates | null): number;
  /** One decoding step: run the pipeline on `logits` (in place) and choose a token. */
  step(logits: Float32Array, history: HistoryLike, rng?: Rng): number;
  /** A token choice that replaces `choose` (e.g. a stateful Mirostat sampler from a llama.cpp config). */
  sampler?: Sampler;
  /** The seed the config asks for (llama.cpp / OpenAI `seed`), when it gives one. */
  seed?: number;
  /** New-token budget when the config gives one directly (HF `max_new_tokens`, OpenAI `max_tokens`). */
  maxNewTokens?: number;
  /** Stop strings (OpenAI `stop`); `generate()` needs a tokenizer to honour them. */
  stopStrings?: string[];
}

function present<T>(v: T | null | undefined): v is T {
  return v !== undefined && v !== null;
}

function kindOf(p: Processor): string {
  const label = p.label ?? '';
  const paren = label.indexOf('(');
  return paren < 0 ? label : label.slice(0, paren);
}

/**
 * Builds the processors and token choice that HF `generate()` would use for a
 * `generation_config.json` object, in HF's order, with HF's defaults.
 *
 * @example
 * ```ts
 * import { createRng, fromGenerationConfig } from 'degen-guard';
 *
 * const setup = fromGenerationConfig({ do_sample: true, temperature: 0.7, top_p: 0.9, repetition_penalty: 1.1 });
 * setup.processors.map((p) => p.label); // → ['repetitionPenalty(1.1)', 'temperature(0.7)', 'topK(50)', 'topP(0.9)']
 * // the processors with the history [0, 3], then a seeded draw
 * setup.step(Float32Array.from([2, 1, 0.5, -1]), [0, 3], createRng(0)); // → 1
 * ```
 */
export function fromGenerationConfig(
  config: GenerationConfigJson,
  context: GenerationConfigContext = {},
): GenerationSetup {
  if (config == null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError(`config must be a generation_config object, got ${Array.isArray(config) ? 'an array' : String(config)}`);
  }
  const c = config;
  const promptLength = context.promptLength;
  if (promptLength !== undefined) checkInteger('promptLength', promptLength, 0);
  const needPrompt = (what: string): number => {
    if (promptLength === undefined) {
      throw new TypeError(`context.promptLength is required when the config sets ${what}`);
    }
    return promptLength;
  };

  const eos = present(c.eos_token_id)
    ? checkTokenIds('eos_token_id', Array.isArray(c.eos_token_id) ? c.eos_token_id : [c.eos_token_id])
    : [];
  const doSample = c.do_sample === true;
  const numBeams = checkInteger('num_beams', c.num_beams ?? 1, 1);
  let maxLength = checkInteger('max_length', c.max_length ?? 20, 0);
  if (present(c.max_new_tokens)) {
    maxLength = checkInteger('max_new_tokens', c.max_new_tokens, 0) + needPrompt('max_new_tokens');
  }

  // Out-of-range values throw even where HF would skip the processor (top_p ≥ 1 is skipped, 1.5 is a typo).
  if (present(c.top_p)) checkRange('top_p', c.top_p, 0, 1);
  if (present(c.typical_p)) checkRange('typical_p', c.typical_p, 0, 1, 'low');
  if (present(c.min_p)) checkRange('min_p', c.min_p, 0, 1);

  const out: Processor[] = [];
  if (present(c.sequence_bias)) {
    const sb = c.sequence_bias;
    out.push(sequenceBias(Array.isArray(sb) ? sb : Object.entries(sb).map(([k, v]) => [JSON.parse(k) as number[], v])));
  }
  if (present(c.encoder_repetition_penalty) && c.encoder_repetition_penalty !== 1.0 && context.encoderInputIds) {
    out.push(encoderRepetitionPenalty(c.encoder_repetition_penalty, context.encoderInputIds));
  }
  if (present(c.repetition_penalty) && c.repetition_penalty !== 1.0) out.push(repetitionPenalty(c.repetition_penalty));
  if (present(c.no_repeat_ngram_size) && c.no_repeat_ngram_size > 0) out.push(noRepeatNgram(c.no_repeat_ngram_size));
  if (present(c.encoder_no_repeat_ngram_size) && c.encoder_no_repeat_ngram_size > 0 && context.encoderInputIds) {
    out.push(encoderNoRepeatNgram(c.encoder_no_repeat_ngram_size, context.encoderInputIds));
  }
  if (present(c.bad_words_ids)) out.push(badWords(c.bad_words_ids, { eosTokenId: eos }));
  if (present(c.min_length) && eos.length > 0 && c.min_length > 0) out.push(minLength(c.min_length, eos));
  if (present(c.min_new_tokens) && eos.length > 0 && c.min_new_tokens > 0) {
    out.push(minNewTokens(needPrompt('min_new_tokens'), c.min_new_tokens, eos));
  }
  if (context.prefixAllowedTokens) out.push(prefixAllowedTokens(context.prefixAllowedTokens));
  if (present(c.forced_bos_token_id)) out.push(forcedBos(c.forced_bos_token_id));
  if (present(c.forced_eos_token_id)) out.push(forcedEos(maxLength, c.forced_eos_token_id));
  if (c.remove_invalid_values === true) out.push(removeInfNan());
  if (present(c.exponential_decay_length_penalty)) {
    out.push(exponentialDecayLengthPenalty(c.exponential_decay_length_penalty, eos, needPrompt('exponential_decay_length_penalty')));
  }
  if (present(c.suppress_tokens)) out.push(suppressTokens(c.suppress_tokens));
  if (present(c.begin_suppress_tokens)) {
    const p = needPrompt('begin_suppress_tokens');
    const beginIndex = p > 1 || !present(c.forced_bos_token_id) ? p : p + 1;
    out.push(suppressTokensAtBegin(c.begin_suppress_tokens, beginIndex));
  }

  // User processors: one of the same kind replaces the default in place; the rest are appended.
  for (const extra of context.processors ?? []) {
    const at = out.findIndex((p) => kindOf(p) !== '' && kindOf(p) === kindOf(extra));
    if (at >= 0) out[at] = extra;
    else out.push(extra);
  }

  if (doSample) {
    const mtk = numBeams > 1 ? (eos.length > 0 ? eos.length + 1 : 2) : 1;
    const t = c.temperature ?? 1.0;
    if (t !== 1.0) out.push(temperature(t));
    if (present(c.top_h)) out.push(topH(c.top_h));
    const k = c.top_k === undefined ? 50 : c.top_k;
    if (present(k) && k !== 0) out.push(topK(k, { minTokensToKeep: mtk }));
    if (present(c.top_p) && c.top_p < 1.0) out.push(topP(c.top_p, { minTokensToKeep: mtk }));
    if (present(c.min_p)) out.push(minP(c.min_p, { minTokensToKeep: mtk }));
    if (present(c.typical_p) && c.typical_p < 1.0) out.push(typicalP(c.typical_p, { minTokensToKeep: mtk }));
    if (present(c.epsilon_cutoff) && c.epsilon_cutoff > 0 && c.epsilon_cutoff < 1) {
      out.push(epsilonCutoff(c.epsilon_cutoff, { minTokensToKeep: mtk }));
    }
    if (present(c.eta_cutoff) && c.eta_cutoff > 0 && c.eta_cutoff < 1) {
      out.push(etaCutoff(c.eta_cutoff, { minTokensToKeep: mtk }));
    }
  }
  if (c.renormalize_logits === true) out.push(logSoftmax());

  const pipe = pipeline(...out);
  const choose = doSample
    ? (logits: Float32Array, rng?: Rng, cands?: Candidates | null) => sample(logits, rng, cands)
    : (logits: Float32Array, _rng?: Rng, cands?: Candidates | null) => greedy(logits, cands);
  const k = c.top_k === undefined ? 50 : c.top_k;
  const penaltyAlpha = present(c.penalty_alpha) && c.penalty_alpha > 0 && present(k) && k > 1 ? c.penalty_alpha : null;
  return {
    processors: out,
    pipeline: pipe,
    doSample,
    numBeams,
    eosTokenIds: eos,
    maxLength,
    penaltyAlpha,
    choose,
    step(logits, history, rng) {
      pipe(logits, history);
      return choose(logits, rng, pipe.candidates);
    },
  };
}
