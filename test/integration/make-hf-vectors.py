#!/usr/bin/env python3
"""Reference token ids on the bundled real model from Hugging Face transformers (PyTorch), for the
integration tests: beam search, which transformers.js does not have. (Diverse beam search and
contrastive search left transformers' core for hub `custom_generate` repos, which need the network.)

usage: /work/venv/bin/python test/integration/make-hf-vectors.py   (from the repository root)
writes test/integration/fixtures/hf-real-model.json; torch 2.13 + transformers 5.18, 1 thread.
"""
import json
import os

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
model_dir = os.path.join(here, "..", "fixtures", "models", "kjv-genesis-gpt2")
tok = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForCausalLM.from_pretrained(model_dir).eval()

PROMPTS = ["And God said", "In the beginning", "And Abraham said", "And the LORD"]
CASES = [
    {"name": "beam4", "kwargs": {"num_beams": 4, "num_return_sequences": 4, "max_new_tokens": 24}},
    {"name": "beam4-lp0.5-early", "kwargs": {"num_beams": 4, "num_return_sequences": 2, "max_new_tokens": 24, "length_penalty": 0.5, "early_stopping": True}},
    {"name": "beam4-norepeat3", "kwargs": {"num_beams": 4, "num_return_sequences": 1, "max_new_tokens": 24, "no_repeat_ngram_size": 3}},
]

out = {"meta": {"transformers": transformers.__version__, "torch": torch.__version__, "model": "kjv-genesis-gpt2"}, "cases": []}
for case in CASES:
    kwargs = case["kwargs"]
    for prompt in PROMPTS:
        enc = tok(prompt, return_tensors="pt")
        with torch.no_grad():
            r = model.generate(**enc, do_sample=False, return_dict_in_generate=True, output_scores=True, **kwargs)
        n = enc.input_ids.shape[1]
        out["cases"].append({
            "name": case["name"],
            "prompt": prompt,
            "prompt_ids": enc.input_ids[0].tolist(),
            "kwargs": kwargs,
            "sequences": [s[n:].tolist() for s in r.sequences],
            "scores": [float(x) for x in r.sequences_scores] if getattr(r, "sequences_scores", None) is not None else None,
        })
# bad_words_ids holding the EOS id alone: HF drops that entry (NoBadWordsLogitsProcessor filters out
# single-token bad words equal to an eos id), so "," (12) as EOS still ends generation.
out["bad_words_eos"] = []
for prompt in PROMPTS:
    enc = tok(prompt, return_tensors="pt")
    kwargs = {"max_new_tokens": 24, "eos_token_id": 12, "bad_words_ids": [[12], [357]]}
    with torch.no_grad():
        r = model.generate(**enc, do_sample=False, **kwargs)
    n = enc.input_ids.shape[1]
    out["bad_words_eos"].append({"prompt": prompt, "prompt_ids": enc.input_ids[0].tolist(), "kwargs": kwargs, "tokens": r[0][n:].tolist()})

path = os.path.join(here, "fixtures", "hf-real-model.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {len(out['cases'])} beam cases and {len(out['bad_words_eos'])} bad-words cases to {path}")
