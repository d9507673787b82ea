/**
 * Builds a degen-guard processor from a Hugging Face class name and its snake_case constructor
 * params, as the parity fixtures store them. Used by the pipeline and fromGenerationConfig tests.
 */
import * as dg from '../../src/index.js';
import type { Processor } from '../../src/index.js';

type Params = Record<string, any>;

const warperOptions = (p: Params) => ({
  ...(p.min_tokens_to_keep !== undefined ? { minTokensToKeep: p.min_tokens_to_keep } : {}),
  ...(p.filter_value !== undefined ? { filterValue: p.filter_value } : {}),
});

export const HF_CLASSES: Record<string, (p: Params) => Processor> = {
  TemperatureLogitsWarper: (p) => dg.temperature(p.temperature),
  TopKLogitsWarper: (p) => dg.topK(p.top_k, warperOptions(p)),
  TopPLogitsWarper: (p) => dg.topP(p.top_p, warperOptions(p)),
  MinPLogitsWarper: (p) => dg.minP(p.min_p, warperOptions(p)),
  TypicalLogitsWarper: (p) => dg.typicalP(p.mass ?? 0.9, warperOptions(p)),
  EpsilonLogitsWarper: (p) => dg.epsilonCutoff(p.epsilon, warperOptions(p)),
  EtaLogitsWarper: (p) => dg.etaCutoff(p.epsilon, warperOptions(p)),
  LogitNormalization: () => dg.logSoftmax(),
  RepetitionPenaltyLogitsProcessor: (p) =>
    dg.repetitionPenalty(p.penalty, p.prompt_ignore_length ? { promptIgnoreLength: p.prompt_ignore_length } : {}),
  NoRepeatNGramLogitsProcessor: (p) => dg.noRepeatNgram(p.ngram_size),
  MinLengthLogitsProcessor: (p) => dg.minLength(p.min_length, p.eos_token_id),
};

/** The generation_config keys equivalent to one HF processor (for fromGenerationConfig tests). */
export function configKeys(cls: string, p: Params): Params {
  switch (cls) {
    case 'TemperatureLogitsWarper': return { temperature: p.temperature };
    case 'TopKLogitsWarper': return { top_k: p.top_k };
    case 'TopPLogitsWarper': return { top_p: p.top_p };
    case 'MinPLogitsWarper': return { min_p: p.min_p };
    case 'TypicalLogitsWarper': return { typical_p: p.mass };
    case 'EpsilonLogitsWarper': return { epsilon_cutoff: p.epsilon };
    case 'EtaLogitsWarper': return { eta_cutoff: p.epsilon };
    case 'LogitNormalization': return { renormalize_logits: true };
    case 'RepetitionPenaltyLogitsProcessor': return { repetition_penalty: p.penalty };
    case 'NoRepeatNGramLogitsProcessor': return { no_repeat_ngram_size: p.ngram_size };
    case 'MinLengthLogitsProcessor': return { min_length: p.min_length, eos_token_id: p.eos_token_id };
    default: throw new Error(`no config key for ${cls}`);
  }
}
