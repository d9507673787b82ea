// degen-guard: the public surface. This file only re-exports.

// ── core: types, history, random numbers, numeric kernels ─────────────────────────────────────
export type { Candidates, HistoryLike, Processor, Rng, Sampler } from './core/types.js';
export type { VocabOptions } from './processors/options.js';
export { createRng } from './core/rng.js';
export { TokenHistory, TokenCounts, type HistoryIndex } from './core/token-history.js';
export { NgramFollowers, ngramFollowers } from './processors/ngram-followers.js';
export { NgramTable, hashTuple } from './core/ngram-table.js';
export { NgramCounter } from './metrics/ngram-counter.js';
export { softmaxInto, logSoftmaxInto, logSumExp, entropyOf, maxOf, argmaxOf } from './core/softmax.js';
export { expNeg, expNegF32 } from './core/fast-exp.js';
export { kthLargest } from './core/select.js';
export { weightedSelect, weightedSelectF32, weightedSelectExpF32, WeightedSelectScratch } from './core/weighted-select.js';

// ── processors: truncation warpers and normalisers ────────────────────────────────────────────
export { temperature } from './processors/temperature.js';
export { topK, type TopKOptions } from './processors/top-k/top-k.js';
export { topP } from './processors/top-p/top-p.js';
export type { WarperOptions } from './processors/options.js';
export { minP } from './processors/min-p.js';
export { typicalP } from './processors/typical-p/typical-p.js';
export { epsilonCutoff } from './processors/epsilon-cutoff.js';
export { etaCutoff } from './processors/eta-cutoff.js';
export { topH } from './processors/top-h.js';
export { logSoftmax } from './processors/log-softmax.js';
export { removeInfNan } from './processors/remove-inf-nan.js';

// ── processors: history-based penalties and constraints ───────────────────────────────────────
export { repetitionPenalty, encoderRepetitionPenalty, type RepetitionPenaltyOptions } from './processors/repetition-penalty.js';
export { frequencyPenalty, presencePenalty, type AdditivePenaltyOptions } from './processors/additive-penalties.js';
export { noRepeatNgram, encoderNoRepeatNgram } from './processors/no-repeat-ngram.js';
export { badWords, type BadWordsOptions } from './processors/bad-words.js';
export { sequenceBias, logitBias, type SequenceBiasEntry, type SequenceBiasEntries } from './processors/sequence-bias.js';
export { minLength, minNewTokens } from './processors/min-length.js';
export { suppressTokens, suppressTokensAtBegin } from './processors/suppress-tokens.js';
export { forcedBos, forcedEos } from './processors/forced-tokens.js';
export { exponentialDecayLengthPenalty } from './processors/exponential-decay-length-penalty.js';
export { prefixAllowedTokens, type AllowedTokensFn } from './processors/prefix-allowed-tokens.js';

// ── composing and configuring ─────────────────────────────────────────────────────────────────
export { pipeline, type Pipeline } from './processors/pipeline.js';
export {
  fromGenerationConfig,
  type GenerationConfigJson,
  type GenerationConfigContext,
  type GenerationSetup,
} from './config/from-generation-config.js';

// ── samplers ──────────────────────────────────────────────────────────────────────────────────
export { greedy } from './samplers/greedy.js';
export { sample } from './samplers/sample.js';

// ── decoding strategies ───────────────────────────────────────────────────────────────────────
export type { LanguageModel, ModelOutput, ForwardOptions } from './decoding/language-model.js';
export { ModelOutputError } from './decoding/model-call.js';
export { generate, Generation } from './decoding/generate.js';
export type {
  GenerateOptions,
  GenerateResult,
  GenerateEvent,
  StepInfo,
  StepDecision,
  StopReason,
  RepetitionBackoff,
  MonitorLike,
} from './decoding/generate.js';
export { beamSearch, type BeamSearchOptions, type BeamSearchResult, type BeamHypothesis } from './decoding/beam-search.js';
export { contrastiveSearch, type ContrastiveSearchOptions, type ContrastiveSearchResult } from './decoding/contrastive-search.js';
export { contrastiveRanking, type ContrastiveRankingOptions } from './decoding/contrastive-ranking.js';

// ── generate: config-driven strategy, text in / text out, model-call errors ─────────────────────
export { ModelCallError } from './decoding/model-call.js';
export type { GenerateStrategy, TokenizerLike } from './decoding/generate.js';

// ── metrics, monitoring and clean-up ──────────────────────────────────────────────────────────
export { splitWords, splitWordsAndPunct } from './metrics/split-words.js';
export { roundHalfEven } from './metrics/round-half-even.js';
export type { Sequence } from './metrics/sequence-input.js';
export { seqRep, meanSeqRep, uniqSeq, type SeqRepOptions, type MeanSeqRepOptions } from './metrics/seq-rep.js';
export { ngramRepeatMask, type RepeatMaskOptions } from './metrics/repeat-mask.js';
export { rep, wrep, repeatCounts, tokenRepCounts, type RepeatCounts, type TokenRepOptions } from './metrics/token-rep.js';
export {
  repN,
  diversity,
  simctgMetrics,
  repNCounts,
  type RepNOptions,
  type SimctgMetrics,
  type TextOrSequence,
} from './metrics/simctg.js';
export { distinct, type DistinctMode, type DistinctOptions } from './metrics/distinct.js';
export { CorpusMetrics, type CorpusMetricsOptions, type CorpusMetricsSummary } from './metrics/corpus-metrics.js';
export { RepetitionMonitor, type RepetitionMonitorOptions, type RepetitionState } from './metrics/repetition-monitor.js';
export { collapseRepeats, type CollapseRepeatsOptions, type CollapseResult, type Removal } from './text/collapse-repeats.js';

// ── Training losses ───────────────────────────────────────────────────────────────────────────
export { unlikelihoodLoss, type UnlikelihoodOptions, type UnlikelihoodResult } from './losses/unlikelihood.js';
export {
  sequenceUnlikelihoodLoss,
  type SequenceUnlikelihoodOptions,
  type SequenceUnlikelihoodResult,
} from './losses/sequence-unlikelihood.js';
export { simctgContrastiveLoss, type SimctgContrastiveOptions, type SimctgContrastiveResult } from './losses/simctg-contrastive.js';
export type { FloatArray } from './losses/loss-input.js';

// ── llama.cpp / Ollama / OpenAI family: DRY, XTC, top-nσ, dynamic temperature, Mirostat, configs ──
export type { Stateful } from './core/types.js';
export { dry, type DryOptions } from './processors/dry/dry.js';
export { drySequenceBreakers, type DryBreakerOptions } from './processors/dry/dry-breakers.js';
export { xtc, type XtcOptions, type XtcProcessor } from './processors/xtc.js';
export { topNSigma } from './processors/top-n-sigma.js';
export { topKExact } from './processors/top-k/top-k-exact.js';
export { dynamicTemperature, type DynamicTemperatureOptions } from './processors/dynamic-temperature.js';
export { mirostat, mirostatV2, type MirostatOptions, type MirostatV2Options, type MirostatSampler } from './samplers/mirostat.js';
export {
  fromLlamaCppParams,
  llamaSamplerOrder,
  LLAMA_DEFAULT_SAMPLERS,
  LLAMA_DEFAULT_DRY_BREAKERS,
  type LlamaCppParams,
  type LlamaCppContext,
  type LlamaSamplerName,
} from './config/from-llama-cpp-params.js';
export { fromOpenAIParams, type OpenAIParams, type OpenAIContext } from './config/from-openai-params.js';
export { StateTrail, resetStateful, statefulParts, isStateful } from './decoding/stateful.js';
