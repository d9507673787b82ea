"""Reference vectors for fromGenerationConfig: what HF transformers' generate() builds from a
generation config (run on a tiny randomly initialised GPT-2, stopped right before decoding).

For each case it records the generation mode, the final max_length / min_length, the class of each
logits processor in order (with the parameters that matter), and the output of the whole
processor list on a few score rows at several sequence lengths.

Run: /work/venv/bin/python scripts/hf-generation-config.py > test/fixtures/hf/generation_config.json
(torch 2.13.0+cpu, transformers 5.18.0, single thread; the output is deterministic).
"""
import json
import sys

import numpy as np
import torch
import transformers
from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel
from transformers.generation import logits_process as lp

torch.set_num_threads(1)
torch.manual_seed(0)
V = 24

model = GPT2LMHeadModel(GPT2Config(vocab_size=V, n_positions=64, n_embd=8, n_layer=1, n_head=1, bos_token_id=None, eos_token_id=None))
model.generation_config = GenerationConfig()
model.eval()


def f32(x):
    if x == float('inf'):
        return 'inf'
    if x == float('-inf'):
        return '-inf'
    if x != x:
        return 'nan'
    return float(np.float32(x))


# (name, config, prompt_length, extra) — extra: encoder (use the prompt as encoder_input_ids), custom processors
CASES = [
    ('empty_default_lengths', {}, 3, {}),
    ('max_length_only', {'max_length': 9}, 3, {}),
    ('max_new_tokens_wins_over_max_length', {'max_length': 9, 'max_new_tokens': 4}, 3, {}),
    ('greedy_ignores_warpers', {'temperature': 0.7, 'top_k': 10, 'top_p': 0.8, 'no_repeat_ngram_size': 2}, 4, {}),
    ('sample_all_warpers', {'do_sample': True, 'temperature': 0.8, 'top_h': 0.9, 'top_k': 12, 'top_p': 0.9, 'min_p': 0.02,
                            'typical_p': 0.95, 'epsilon_cutoff': 0.001, 'eta_cutoff': 0.001}, 3, {}),
    ('sample_default_top_k', {'do_sample': True}, 2, {}),
    ('sample_top_k_zero', {'do_sample': True, 'top_k': 0, 'top_p': 0.7}, 2, {}),
    ('beam_sample_min_tokens_to_keep', {'do_sample': True, 'num_beams': 2, 'eos_token_id': [1, 2], 'top_k': 3, 'top_p': 0.3}, 2, {}),
    ('beam_sample_min_tokens_to_keep_no_eos', {'do_sample': True, 'num_beams': 2, 'top_k': 1}, 2, {}),
    ('penalties', {'repetition_penalty': 1.5, 'no_repeat_ngram_size': 2, 'sequence_bias': [[[5], 2.5], [[3, 4], -4.0]]}, 5, {}),
    ('bad_words_eos_dropped', {'bad_words_ids': [[1], [7], [3, 9]], 'eos_token_id': 1}, 4, {}),
    ('min_length', {'min_length': 6, 'eos_token_id': [1, 2]}, 3, {}),
    ('min_new_tokens', {'min_new_tokens': 2, 'eos_token_id': 2}, 3, {}),
    ('min_new_tokens_zero', {'min_new_tokens': 0, 'eos_token_id': 2}, 3, {}),
    ('min_length_without_eos_skipped', {'min_length': 6}, 3, {}),
    ('forced_bos_eos_default_length', {'forced_bos_token_id': 4, 'forced_eos_token_id': 2}, 1, {}),
    ('forced_eos_max_new_tokens', {'forced_eos_token_id': [2, 3], 'max_new_tokens': 2}, 3, {}),
    ('forced_eos_max_length', {'forced_eos_token_id': 2, 'max_length': 5}, 3, {}),
    ('remove_invalid_and_decay', {'remove_invalid_values': True, 'exponential_decay_length_penalty': [1, 1.5], 'eos_token_id': 2}, 3, {}),
    ('suppress', {'suppress_tokens': [0, 6]}, 2, {}),
    ('begin_suppress_prompt1_forced_bos', {'begin_suppress_tokens': [5, 8], 'forced_bos_token_id': 4}, 1, {}),
    ('begin_suppress_prompt1', {'begin_suppress_tokens': [5, 8]}, 1, {}),
    ('begin_suppress_prompt3_forced_bos', {'begin_suppress_tokens': [5, 8], 'forced_bos_token_id': 4}, 3, {}),
    ('renormalize', {'do_sample': True, 'top_k': 5, 'renormalize_logits': True}, 2, {}),
    ('encoder_penalties', {'encoder_repetition_penalty': 1.7, 'encoder_no_repeat_ngram_size': 2}, 4, {'encoder': True}),
    ('penalty_alpha_contrastive', {'penalty_alpha': 0.6, 'top_k': 4}, 2, {}),
    ('penalty_alpha_default_top_k', {'penalty_alpha': 0.6}, 2, {}),
    ('penalty_alpha_top_k_1_greedy', {'penalty_alpha': 0.6, 'top_k': 1}, 2, {}),
    ('penalty_alpha_sampling', {'penalty_alpha': 0.6, 'do_sample': True}, 2, {}),
    ('beam', {'num_beams': 3, 'length_penalty': 0.5, 'early_stopping': True, 'num_return_sequences': 2, 'eos_token_id': 2}, 2, {}),
    ('group_beam', {'num_beams': 4, 'num_beam_groups': 2, 'diversity_penalty': 0.5}, 2, {}),
    ('custom_replaces_default_and_appends', {'do_sample': True, 'repetition_penalty': 1.2, 'top_k': 6},
     3, {'custom': [['RepetitionPenaltyLogitsProcessor', {'penalty': 3.0}], ['TopKLogitsWarper', {'top_k': 2}],
                    ['RepetitionPenaltyLogitsProcessor', {'penalty': 1.1}]]}),
]

CUSTOM = {
    'RepetitionPenaltyLogitsProcessor': lambda p: lp.RepetitionPenaltyLogitsProcessor(**p),
    'TopKLogitsWarper': lambda p: lp.TopKLogitsWarper(**p),
}

# what each processor class keeps as the parameters that matter
PARAMS = {
    'TopKLogitsWarper': lambda x: {'top_k': x.top_k, 'min_tokens_to_keep': x.min_tokens_to_keep},
    'TopPLogitsWarper': lambda x: {'top_p': float(x.top_p), 'min_tokens_to_keep': x.min_tokens_to_keep},
    'MinPLogitsWarper': lambda x: {'min_p': float(x.min_p), 'min_tokens_to_keep': x.min_tokens_to_keep},
    'TypicalLogitsWarper': lambda x: {'mass': float(x.mass), 'min_tokens_to_keep': x.min_tokens_to_keep},
    'TemperatureLogitsWarper': lambda x: {'temperature': float(x.temperature)},
    'RepetitionPenaltyLogitsProcessor': lambda x: {'penalty': float(x.penalty)},
    'NoRepeatNGramLogitsProcessor': lambda x: {'ngram_size': x.ngram_size},
    'MinLengthLogitsProcessor': lambda x: {'min_length': x.min_length},
    'MinNewTokensLengthLogitsProcessor': lambda x: {'prompt_length_to_skip': x.prompt_length_to_skip, 'min_new_tokens': x.min_new_tokens},
    'ForcedEOSTokenLogitsProcessor': lambda x: {'max_length': x.max_length},
    'ForcedBOSTokenLogitsProcessor': lambda x: {'bos_token_id': x.bos_token_id},
    'SuppressTokensAtBeginLogitsProcessor': lambda x: {'begin_index': x.begin_index},
    'ExponentialDecayLengthPenalty': lambda x: {'regulation_start': x.regulation_start},
}


def capture(config, prompt_len, extra):
    got = {}

    def stop(model_, input_ids, logits_processor=None, generation_config=None, **kw):
        got['processors'] = logits_processor
        got['config'] = generation_config
        return input_ids

    prompt = torch.tensor([[(3 * i + 5) % V for i in range(prompt_len)]])
    custom = [CUSTOM[c](p) for c, p in extra.get('custom', [])]
    kwargs = {}
    if custom:
        kwargs['logits_processor'] = transformers.LogitsProcessorList(custom)
    model.generate(prompt, attention_mask=torch.ones_like(prompt), generation_config=GenerationConfig(**config),
                   custom_generate=stop, **kwargs)
    return prompt, got['processors'], got['config']


rng = np.random.default_rng(7)
cases = []
for name, config, P, extra in CASES:
    prompt, procs, gc = capture(config, P, extra)
    mode = str(gc.get_generation_mode().value)
    rows = []
    for k in range(4):  # histories: the prompt plus k generated tokens
        gen = [int(t) for t in rng.integers(0, V, size=k)]
        ids = prompt[0].tolist() + gen
        scores = (rng.standard_normal(V) * 3).astype(np.float32)
        if name == 'remove_invalid_and_decay':
            scores[2] = -np.inf if k % 2 == 0 else scores[2]
            scores[7] = np.inf if k == 3 else scores[7]
        x = torch.tensor(scores[None, :])
        out = procs(torch.tensor([ids]), x.clone())
        rows.append({'input_ids': ids, 'scores': [f32(v) for v in scores.tolist()],
                     'expected': [f32(v) for v in out[0].tolist()]})
    cases.append({
        'name': name,
        'config': config,
        'prompt_length': P,
        'encoder_input_ids': prompt[0].tolist() if extra.get('encoder') else None,
        'custom': extra.get('custom', []),
        'mode': mode,
        'max_length': gc.max_length,
        'min_length': gc.min_length,
        'processors': [{'class': type(p).__name__, 'params': PARAMS.get(type(p).__name__, lambda x: {})(p)} for p in procs],
        'rows': rows,
    })

json.dump({
    'meta': {
        'generator': 'scripts/hf-generation-config.py',
        'transformers_version': transformers.__version__,
        'torch_version': torch.__version__,
        'vocab_size': V,
        'how': 'GPT2LMHeadModel.generate(prompt, generation_config=GenerationConfig(**config), custom_generate=<capture>): '
               'the processor list and final generation config HF builds, run on float32 score rows',
    },
    'cases': cases,
}, sys.stdout, indent=1)
sys.stdout.write('\n')
