/**
 * Typos in a `generation_config.json` object. HF's GenerationConfig keeps keys it does not know, and
 * real configs carry many that only HF uses (`transformers_version`, `use_cache`, Whisper's
 * timestamps …), so `fromGenerationConfig` ignores unknown keys — except one within two edits of a
 * key it reads that is no GenerationConfig attribute (`do_sampel`, `max_new_token`, `topP`): such a
 * key would silently change the decoding, so it is refused, naming the key it is close to.
 */
import { editDistance } from '../core/option-keys.js';

/** HF 5.18 GenerationConfig attributes that fromGenerationConfig does not read. */
const HF_UNREAD = [
  '_from_model_config', 'assistant_confidence_threshold', 'assistant_early_exit', 'assistant_ensemble_weight',
  'assistant_lookbehind', 'cache_config', 'cache_implementation', 'compile_config', 'constraints',
  'continuous_batching_config', 'decoder_start_token_id', 'disable_compile', 'dola_layers', 'force_words_ids',
  'guidance_scale', 'is_assistant', 'low_memory', 'max_cache_len', 'max_matching_ngram_size', 'max_time',
  'num_assistant_tokens', 'num_assistant_tokens_schedule', 'output_attentions', 'output_hidden_states',
  'output_logits', 'output_scores', 'prefill_chunk_size', 'prompt_lookup_num_tokens', 'return_dict_in_generate',
  'speculation_type', 'target_lookbehind', 'token_healing', 'transformers_version', 'use_cache', 'use_mtp',
  'watermarking_config', 'forced_decoder_ids',
];

/** The keys fromGenerationConfig reads (GenerationConfigJson's). */
const READ = [
  'do_sample', 'num_beams', 'num_beam_groups', 'diversity_penalty', 'length_penalty', 'early_stopping',
  'num_return_sequences', 'max_length', 'max_new_tokens', 'min_length', 'min_new_tokens', 'temperature', 'top_k',
  'top_p', 'min_p', 'top_h', 'typical_p', 'epsilon_cutoff', 'eta_cutoff', 'repetition_penalty',
  'encoder_repetition_penalty', 'no_repeat_ngram_size', 'encoder_no_repeat_ngram_size', 'bad_words_ids',
  'sequence_bias', 'eos_token_id', 'bos_token_id', 'pad_token_id', 'forced_bos_token_id', 'forced_eos_token_id',
  'remove_invalid_values', 'exponential_decay_length_penalty', 'suppress_tokens', 'begin_suppress_tokens',
  'renormalize_logits', 'penalty_alpha', 'stop_strings',
];

const squash = (k: string): string => k.replace(/_/g, '').toLowerCase();

/**
 * Throws a TypeError for the first key of `config` that fromGenerationConfig does not read, is no HF
 * GenerationConfig attribute, and is within two edits (or only underscores and case) of one it reads.
 *
 * @example
 * ```ts
 * import { fromGenerationConfig } from 'degen-guard';
 * fromGenerationConfig({ do_sampel: true, top_p: 0.9 }); // throws TypeError: generation config: unknown key "do_sampel" (did you mean "do_sample"?)
 * fromGenerationConfig({ transformers_version: '4.40.0', use_cache: true, max_new_tokens: 8 }).maxNewTokens; // → 8
 * ```
 */
export function checkGenerationConfigTypos(config: object): void {
  for (const key of Object.keys(config)) {
    if (READ.includes(key) || HF_UNREAD.includes(key)) continue;
    const near = READ.find((r) => squash(r) === squash(key)) ?? READ.find((r) => editDistance(key, r) <= 2);
    if (near !== undefined) {
      throw new TypeError(`generation config: unknown key "${key}" (did you mean "${near}"?)`);
    }
  }
}
