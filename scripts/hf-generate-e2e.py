#!/usr/bin/env python3
"""End-to-end parity vectors: Hugging Face `generate()` run on a tiny deterministic causal LM.

The same model is defined in test/decoding/tiny-lm.ts; its weights are written to
test/fixtures/hf-generate/model.json and read by both sides. Every weight is a small multiple of a
power of two (a dyadic number), so every logit and hidden value is exact in float32 whatever the
order of the sums: the TypeScript model computes the very same float32 numbers as torch.

Modes and where their loop comes from:

* greedy and beam search: transformers' own `generate()` (its `_sample` / `_beam_search`).
* group (diverse) beam search: left transformers for the Hub repo `transformers-community/group-beam-search`.
  That code cannot be downloaded here, so `group_beam_search` below re-states its loop step by step
  (log-softmax per group, the prepared processors, then the Hamming diversity penalty counted over the
  tokens earlier groups chose at this step, top-k of max(2, 1 + #eos) x group size, scorer.process,
  scorer.finalize) and hands it to `generate(custom_generate=...)`, so HF prepares inputs, processors
  and stopping criteria. The scoring is transformers' own `BeamSearchScorer` / `BeamHypotheses`, loaded
  at run time from a transformers 4.57 wheel (the last release that ships them; the Hub repo carries
  the same scorer).
* contrastive search: also on the Hub since 4.56. `contrastive_search` below re-states HF's loop
  (softmax of the processed logits, top-k, one forward per candidate, `_ranking_fast`: cosine of the
  candidate's last hidden state against every context position, score (1 - a) p - a max cos, argmax).
  penalty_alpha = 0 is HF's greedy mode and is run through `generate()` as such.

Usage: /work/venv/bin/python scripts/hf-generate-e2e.py [--wheel transformers-4.57.x.whl] [--out DIR]
Deterministic: two runs write byte-identical files.
"""
import argparse
import json
import os
import sys
import types
import zipfile

import numpy as np
import torch
import transformers
from torch import nn
from transformers import GenerationMixin, PreTrainedConfig, PreTrainedModel
from transformers.modeling_outputs import CausalLMOutputWithPast

torch.set_num_threads(1)
transformers.logging.set_verbosity_error()

V = 16  # vocabulary
EOS = 3
W = 4  # width of each embedding table
D = 8  # hidden size (the last unit is constantly 1, so no hidden state is zero)
SEED = 20261204


def make_weights():
    rng = np.random.RandomState(SEED)
    cur = rng.randint(-4, 5, size=(V, W)) / 4  # embedding of the current token
    prev = rng.randint(-4, 5, size=(V, W)) / 4  # embedding of the previous token (zero at the first position)
    ctx = rng.randint(-2, 3, size=(V, W)) / 8  # summed over every position so far
    w1 = rng.randint(-4, 5, size=(D, 3 * W)) / 4
    b1 = rng.randint(-4, 5, size=D) / 4
    w1[D - 1] = 0
    b1[D - 1] = 1
    w2 = rng.randint(-48, 49, size=(V, D)) / 32
    b2 = rng.randint(-16, 17, size=V) / 16
    b2[EOS] -= 1.5  # EOS: likely in some contexts, not all
    return {k: v.tolist() for k, v in dict(cur=cur, prev=prev, ctx=ctx, w1=w1, b1=b1, w2=w2, b2=b2).items()}


class TinyConfig(PreTrainedConfig):
    model_type = "degen_guard_tiny_lm"

    def __init__(self, vocab_size=V, hidden_size=D, **kwargs):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        super().__init__(**kwargs)


class TinyLM(PreTrainedModel, GenerationMixin):
    """h_t = relu(W1 [cur(x_t), prev(x_{t-1}), sum_{s<=t} ctx(x_s)] + b1); logits_t = W2 h_t + b2."""

    config_class = TinyConfig

    def __init__(self, config, weights):
        super().__init__(config)
        for k, v in weights.items():
            setattr(self, k, nn.Parameter(torch.tensor(v, dtype=torch.float32), requires_grad=False))
        self.post_init()

    def _init_weights(self, module):
        pass

    def forward(self, input_ids=None, attention_mask=None, output_hidden_states=False, return_dict=True, **kwargs):
        mask = torch.ones_like(input_ids) if attention_mask is None else attention_mask
        m = mask.to(torch.float32)[..., None]
        cur = self.cur[input_ids] * m
        prev_ids = torch.roll(input_ids, 1, dims=1)
        prev_m = torch.roll(m, 1, dims=1)
        prev_m[:, 0] = 0
        prev = self.prev[prev_ids] * prev_m
        ctx = torch.cumsum(self.ctx[input_ids] * m, dim=1)
        x = torch.cat([cur, prev, ctx], dim=-1)
        h = torch.relu(x @ self.w1.T + self.b1)
        logits = h @ self.w2.T + self.b2
        return CausalLMOutputWithPast(logits=logits, hidden_states=(x, h) if output_hidden_states else None)


def load_beam_scorer(wheel):
    """transformers' BeamSearchScorer (with BeamHypotheses) from the wheel, as a module inside transformers.generation."""
    with zipfile.ZipFile(wheel) as z:
        sources = {n: z.read(f"transformers/generation/{n}.py").decode() for n in ("beam_constraints", "beam_search")}
    for name, src in sources.items():
        full = f"transformers.generation.hf457_{name}"
        mod = types.ModuleType(full)
        mod.__package__ = "transformers.generation"
        mod.__file__ = f"{wheel}/transformers/generation/{name}.py"
        sys.modules[full] = mod
        if name == "beam_search":
            src = src.replace("from .beam_constraints import", "from .hf457_beam_constraints import")
        exec(compile(src, mod.__file__, "exec"), mod.__dict__)
    return sys.modules["transformers.generation.hf457_beam_search"].BeamSearchScorer


BeamSearchScorer = None


def group_beam_search(model, input_ids, logits_processor, stopping_criteria, generation_config, synced_gpus=False, streamer=None, **model_kwargs):
    """The Hub's group beam search loop, re-stated (no KV cache: the full sequences run each step)."""
    cfg = generation_config
    num_beams, groups = cfg.num_beams, cfg.num_beam_groups
    group_size = num_beams // groups
    batch = input_ids.shape[0] // num_beams
    scorer = BeamSearchScorer(
        batch_size=batch, num_beams=num_beams, device=input_ids.device, length_penalty=cfg.length_penalty,
        do_early_stopping=cfg.early_stopping, num_beam_hyps_to_keep=cfg.num_return_sequences,
        num_beam_groups=groups, max_length=cfg.max_length,
    )
    pad, eos = cfg._pad_token_tensor, cfg._eos_token_tensor
    n_eos = eos.shape[0] if eos is not None else 0
    attention = model_kwargs.get("attention_mask")
    if attention is None:
        attention = torch.ones_like(input_ids)
    prompt_len = input_ids.shape[1]
    beam_scores = torch.full((batch, num_beams), -1e9, dtype=torch.float)
    beam_scores[:, ::group_size] = 0
    beam_scores = beam_scores.view(-1)
    while True:
        current = torch.zeros(batch * num_beams, dtype=input_ids.dtype)
        logits = model(input_ids=input_ids, attention_mask=attention).logits[:, -1, :].float()
        for g in range(groups):
            rows = [b * num_beams + i for b in range(batch) for i in range(g * group_size, (g + 1) * group_size)]
            group_ids = input_ids[rows]
            scores = nn.functional.log_softmax(logits[rows], dim=-1)
            scores = logits_processor(group_ids, scores)
            if g > 0:  # Hamming diversity, after the other processors
                scores = scores.clone()
                for b in range(batch):
                    earlier = current[b * num_beams : b * num_beams + g * group_size]
                    freq = torch.bincount(earlier, minlength=V)
                    scores[b * group_size : (b + 1) * group_size] -= cfg.diversity_penalty * freq
            total = (scores + beam_scores[rows].unsqueeze(-1)).view(batch, group_size * V)
            top_scores, top_ids = torch.topk(total, max(2, 1 + n_eos) * group_size, dim=1, largest=True, sorted=True)
            out = scorer.process(
                group_ids, top_scores, top_ids % V, torch.div(top_ids, V, rounding_mode="floor"),
                pad_token_id=pad, eos_token_id=eos, group_index=g, decoder_prompt_len=prompt_len,
            )
            beam_scores[rows] = out["next_beam_scores"]
            input_ids[rows] = group_ids[out["next_beam_indices"]]
            current[rows] = out["next_beam_tokens"]
        input_ids = torch.cat([input_ids, current[:, None]], dim=-1)
        attention = torch.cat([attention, attention.new_ones((attention.shape[0], 1))], dim=-1)
        if scorer.is_done or all(stopping_criteria(input_ids, None)):
            break
    out = scorer.finalize(
        input_ids, beam_scores, None, None, pad_token_id=pad, eos_token_id=eos,
        max_length=stopping_criteria.max_length, decoder_prompt_len=prompt_len,
    )
    return out["sequences"], out["sequence_scores"]


def contrastive_search(model, input_ids, logits_processor, stopping_criteria, generation_config, synced_gpus=False, streamer=None, **model_kwargs):
    """HF's contrastive search loop, re-stated for one sequence (no KV cache)."""
    cfg = generation_config
    assert input_ids.shape[0] == 1
    alpha, k = cfg.penalty_alpha, cfg.top_k
    eos = set(cfg._eos_token_tensor.tolist())
    out = model(input_ids=input_ids, output_hidden_states=True)
    context = out.hidden_states[-1]  # [1, S, D]
    next_logits = out.logits[:, -1, :].float()
    while True:
        processed = logits_processor(input_ids, next_logits)
        probs = nn.functional.softmax(processed, dim=-1)
        top_probs, top_ids = torch.topk(probs, dim=-1, k=k)
        cands = torch.cat([input_ids.repeat(k, 1), top_ids.view(-1, 1)], dim=-1)
        cand_out = model(input_ids=cands, output_hidden_states=True)
        next_hidden = cand_out.hidden_states[-1][:, -1:, :]  # [k, 1, D]
        ctx = context.repeat_interleave(k, dim=0)  # [k, S, D]
        norm_ctx = ctx / ctx.norm(dim=2, keepdim=True)
        norm_next = next_hidden / next_hidden.norm(dim=2, keepdim=True)
        cosine = torch.matmul(norm_ctx, norm_next.transpose(1, 2)).squeeze(-1)  # [k, S]
        penalty, _ = torch.max(cosine, dim=-1)
        score = (1.0 - alpha) * top_probs.view(-1) - alpha * penalty
        selected = int(score.max(dim=-1)[1])
        token = top_ids[0, selected].view(1, 1)
        context = torch.cat([context, next_hidden[selected : selected + 1]], dim=1)
        next_logits = cand_out.logits[selected : selected + 1, -1, :].float()
        input_ids = torch.cat([input_ids, token], dim=-1)
        if int(token) in eos or all(stopping_criteria(input_ids, None)):
            return input_ids


PROMPTS = [[5], [1, 2], [7, 7, 7], [4, 9, 2, 11], [13, 0, 6, 8, 10], [15, 12]]


def left_pad(prompts):
    L = max(len(p) for p in prompts)
    ids = torch.tensor([[EOS] * (L - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (L - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask, L


def generated(row, start):
    """The generated tokens of one output row: up to and including the first EOS."""
    toks = row[start:].tolist()
    return toks[: toks.index(EOS) + 1] if EOS in toks else toks


def f32(x):
    return float(np.float32(x))


COMMON = dict(eos_token_id=EOS, pad_token_id=EOS, use_cache=False)


def batches(params):
    """All prompts in one left-padded batch; one by one when history-based processors are on (HF's
    penalties and n-gram bans would see the padding tokens)."""
    history_based = "repetition_penalty" in params or "no_repeat_ngram_size" in params
    return [[p] for p in PROMPTS] if history_based else [PROMPTS]


def run_greedy(model, params):
    return [r for batch in batches(params) for r in run_greedy_batch(model, params, batch)]


def run_beam(model, params, custom=None):
    return [r for batch in batches(params) for r in run_beam_batch(model, params, custom, batch)]


def run_greedy_batch(model, params, prompts):
    ids, mask, L = left_pad(prompts)
    seqs = model.generate(ids, attention_mask=mask, do_sample=False, **params, **COMMON)
    return [{"prompt": p, "tokens": generated(seqs[i], L)} for i, p in enumerate(prompts)]


def run_beam_batch(model, params, custom, prompts):
    ids, mask, L = left_pad(prompts)
    kw = dict(do_sample=False, return_dict_in_generate=True, output_scores=True, **{**COMMON, **params})
    if custom is None:
        out = model.generate(ids, attention_mask=mask, **kw)
        seqs, scores = out.sequences, out.sequences_scores
    else:
        seqs, scores = model.generate(ids, attention_mask=mask, custom_generate=custom, **kw)
    n = params.get("num_return_sequences", 1)
    return [
        {"prompt": p, "hypotheses": [{"tokens": generated(seqs[i * n + j], L), "score": f32(scores[i * n + j])} for j in range(n)]}
        for i, p in enumerate(prompts)
    ]


def run_contrastive(model, top_k, alpha, max_new):
    results = []
    for p in PROMPTS:
        ids = torch.tensor([p])
        kw = dict(do_sample=False, max_new_tokens=max_new, top_k=top_k, penalty_alpha=alpha, **COMMON)
        if alpha == 0:
            seqs = model.generate(ids, attention_mask=torch.ones_like(ids), **kw)  # HF's greedy mode
        else:
            seqs = model.generate(ids, attention_mask=torch.ones_like(ids), custom_generate=contrastive_search, **kw)
        results.append({"prompt": p, "tokens": generated(seqs[0], len(p))})
    return results


EARLY = [True, False, "never"]
LENGTH_PENALTIES = [-1.0, 0.0, 0.5, 1.0, 2.0]


def main():
    global BeamSearchScorer
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", default="/opt/pypi-more/files/transformers-4.57.6-py3-none-any.whl")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "hf-generate"))
    args = ap.parse_args()
    BeamSearchScorer = load_beam_scorer(args.wheel)
    weights = make_weights()
    model = TinyLM(TinyConfig(), weights).eval()
    meta = {
        "transformers": transformers.__version__,
        "torch": torch.__version__.split("+")[0],
        "scorer": os.path.basename(args.wheel),
        "generator": "scripts/hf-generate-e2e.py",
    }
    os.makedirs(args.out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(args.out, f"{name}.json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")

    with torch.no_grad():
        probes = []
        for p in PROMPTS + [[3, 3, 0, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]]:
            out = model(input_ids=torch.tensor([p]), output_hidden_states=True)
            probes.append({"tokens": p, "logits": [f32(v) for v in out.logits[0, -1]], "hidden": [f32(v) for v in out.hidden_states[-1][0, -1]]})
        write("model", {"meta": meta, "vocab_size": V, "hidden_size": D, "eos_token_id": EOS, **weights, "probes": probes})
        write("greedy", {"meta": meta, "cases": [
            {"name": f"greedy {json.dumps(p)}", "params": p, "results": run_greedy(model, p)}
            for p in (dict(max_new_tokens=6), dict(max_new_tokens=12), dict(max_new_tokens=12, repetition_penalty=1.5, no_repeat_ngram_size=2))
        ]})
        beam_cases = []
        for nb, nrs, max_new in ((2, 1, 8), (4, 3, 7)):
            for es in EARLY:
                for lp in LENGTH_PENALTIES:
                    params = dict(num_beams=nb, num_return_sequences=nrs, early_stopping=es, length_penalty=lp, max_new_tokens=max_new)
                    beam_cases.append({"name": f"beam {json.dumps(params)}", "params": params, "results": run_beam(model, params)})
        for es in EARLY:  # with processors: HF runs them on the log-probabilities
            params = dict(num_beams=3, num_return_sequences=2, early_stopping=es, length_penalty=1.0, max_new_tokens=8,
                          repetition_penalty=1.5, no_repeat_ngram_size=2)
            beam_cases.append({"name": f"beam {json.dumps(params)}", "params": params, "results": run_beam(model, params)})
        write("beam", {"meta": meta, "cases": beam_cases})
        group_cases = []
        for nb, groups, dp, nrs, max_new in ((4, 2, 0.5, 2, 7), (6, 3, 2.0, 4, 6), (4, 4, 1.0, 3, 8)):
            for es in EARLY:
                for lp in LENGTH_PENALTIES:
                    params = dict(num_beams=nb, num_beam_groups=groups, diversity_penalty=dp, num_return_sequences=nrs,
                                  early_stopping=es, length_penalty=lp, max_new_tokens=max_new)
                    group_cases.append({"name": f"group beam {json.dumps(params)}", "params": params,
                                        "results": run_beam(model, params, custom=group_beam_search)})
        for es in EARLY:  # with processors: they run before the diversity penalty
            params = dict(num_beams=4, num_beam_groups=2, diversity_penalty=1.0, num_return_sequences=3, early_stopping=es,
                          length_penalty=1.0, max_new_tokens=8, repetition_penalty=1.5, no_repeat_ngram_size=2)
            group_cases.append({"name": f"group beam {json.dumps(params)}", "params": params,
                                "results": run_beam(model, params, custom=group_beam_search)})
        for es in EARLY:  # a pad token other than EOS: what a finished group emits for the diversity count
            params = dict(num_beams=6, num_beam_groups=3, diversity_penalty=1.0, num_return_sequences=3, early_stopping=es,
                          length_penalty=0.0, max_new_tokens=8, pad_token_id=8)
            group_cases.append({"name": f"group beam {json.dumps(params)}", "params": params,
                                "results": run_beam(model, params, custom=group_beam_search)})
        write("group-beam", {"meta": meta, "cases": group_cases})
        cs_cases = []
        for top_k in (2, 4, 6):
            for alpha in (0.0, 0.25, 0.5, 0.75, 1.0):
                params = dict(top_k=top_k, penalty_alpha=alpha, max_new_tokens=10)
                cs_cases.append({"name": f"contrastive {json.dumps(params)}", "params": params,
                                 "results": run_contrastive(model, top_k, alpha, 10)})
        write("contrastive", {"meta": meta, "cases": cs_cases})


if __name__ == "__main__":
    main()
