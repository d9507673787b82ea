/**
 * Beam search with Hugging Face `generate(num_beams=…)` semantics, and diverse (group) beam search
 * (Vijayakumar et al. 2016; HF `num_beam_groups` + `diversity_penalty`).
 */
import { maxOf, sumExpShifted, logSoftmaxInto } from '../core/softmax.js';
import { TokenHistory } from '../core/token-history.js';
import { TopEntries } from '../core/top-entries.js';
import type { Processor } from '../core/types.js';
import { checkFinite, checkInteger, checkRange } from '../core/validate.js';
import type { LanguageModel } from './language-model.js';
import { callModel, checkModel } from './model-call.js';
import { eosOption, maxNewTokensOption, processorOption, promptOption, seedOption, signalOption } from './options.js';

/** Options of {@link beamSearch}; HF names in parentheses. */
export interface BeamSearchOptions {
  /** Beams kept per step (`num_beams`), default 4. */
  numBeams?: number;
  /** Tokens to generate at most (`max_new_tokens`), default 20. */
  maxNewTokens?: number;
  /** Exponent of the length normalisation `score = logProb / length^lengthPenalty` (`length_penalty`), default 1. */
  lengthPenalty?: number;
  /** `true`: stop once `numBeams` hypotheses are finished; `false`: HF's heuristic; `"never"`: the canonical test (`early_stopping`), default false. */
  earlyStopping?: boolean | 'never';
  /** Hypotheses returned, best first (`num_return_sequences`), default 1, at most `numBeams`. */
  numReturnSequences?: number;
  /** Token id(s) that end a hypothesis (`eos_token_id`). */
  eosTokenIds?: number | readonly number[];
  /** Processors run on each beam's log-probabilities with that beam's history (HF `logits_processor`). */
  processors?: Processor | readonly Processor[];
  /** Groups of diverse beam search (`num_beam_groups`), default 1; must divide `numBeams`. */
  numBeamGroups?: number;
  /** Subtracted per earlier group's pick of a token at the same step (`diversity_penalty`), default 0. */
  diversityPenalty?: number;
  /** Accepted for a uniform API; beam search draws no random numbers. */
  seed?: number;
  /** Cancels the search: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One finished hypothesis. */
export interface BeamHypothesis {
  /** The generated tokens (prompt excluded; the EOS token included when it ended the hypothesis). */
  tokens: Int32Array;
  /** Length-normalised score `logProb / tokens.length^lengthPenalty` (float32, as HF). */
  score: number;
  /** Sum of the (processed) log-probabilities of the tokens. */
  logProb: number;
  /** Whether it ended with an EOS token (otherwise it reached `maxNewTokens`). */
  eos: boolean;
}

/** What {@link beamSearch} resolves to. */
export interface BeamSearchResult {
  /** Up to `numReturnSequences` hypotheses, best score first. */
  sequences: BeamHypothesis[];
  /** Model calls made (decoding steps). */
  steps: number;
}

const NEG = -1e9; // HF's "very large negative" for unused beams

/** A value safely below `v`: cells under it cannot reach a score threshold of v (NaN/-Inf: no cut). */
function cutFor(v: number): number {
  return v === v && v > -Infinity ? v - 1e-3 * (1 + Math.abs(v)) : -Infinity;
}

/**
 * Beam search over a {@link LanguageModel} (HF `generate(num_beams=…)`, including diverse beam
 * search with `numBeamGroups` and `diversityPenalty`). Each step runs the model once on every open
 * beam, turns each row into log-probabilities, applies the diversity penalty and the processors
 * (per beam, with that beam's history), adds the beam's score and keeps the `max(2, 1 + #eos) × beams`
 * best continuations per group by a bounded heap (no sort of the vocabulary).
 *
 * @example
 * ```ts
 * const { sequences } = await beamSearch(model, [0], { numBeams: 4, maxNewTokens: 10, eosTokenIds: 2 });
 * sequences[0].tokens; // the best hypothesis
 * ```
 */
export async function beamSearch(
  model: LanguageModel,
  prompt: ArrayLike<number>,
  options: BeamSearchOptions = {},
): Promise<BeamSearchResult> {
  const V = checkModel(model);
  const promptIds = promptOption(prompt, V);
  const numBeams = checkInteger('numBeams', options.numBeams ?? 4, 1);
  const maxNew = maxNewTokensOption(options.maxNewTokens);
  const lengthPenalty = checkFinite('lengthPenalty', options.lengthPenalty ?? 1);
  const early = options.earlyStopping ?? false;
  if (early !== true && early !== false && early !== 'never') {
    throw new TypeError(`earlyStopping must be true, false or "never", got ${JSON.stringify(early)}`);
  }
  const numReturn = checkInteger('numReturnSequences', options.numReturnSequences ?? 1, 1, numBeams);
  const eos = eosOption(options.eosTokenIds, V);
  const proc = processorOption(options.processors);
  const groups = checkInteger('numBeamGroups', options.numBeamGroups ?? 1, 1, numBeams);
  if (numBeams % groups !== 0) {
    throw new RangeError(`numBeams (${numBeams}) must be divisible by numBeamGroups (${groups})`);
  }
  const diversity = checkRange('diversityPenalty', options.diversityPenalty ?? 0, 0, Infinity, 'high');
  seedOption(options.seed);
  const signal = signalOption(options.signal);

  const G = numBeams / groups;
  const P = promptIds.length;
  const maxLength = P + maxNew;
  const keep = Math.max(2, 1 + eos.size) * G;

  // running beams, slot b = g * G + i
  let hist: TokenHistory[] = [];
  let next: TokenHistory[] = new Array(numBeams);
  const pool: TokenHistory[] = [];
  const score = new Float64Array(numBeams);
  for (let b = 0; b < numBeams; b++) {
    hist.push(new TokenHistory(promptIds));
    score[b] = b % G === 0 ? 0 : NEG;
  }
  const finished: BeamHypothesis[][] = Array.from({ length: groups }, () => []);
  const open = new Array<boolean>(groups).fill(true);

  const top = new TopEntries(keep);
  const lp = new Float32Array(V);
  const freq = new Int32Array(diversity > 0 ? V : 0);
  const picked: number[] = []; // tokens chosen this step by earlier groups
  const newScore = new Float64Array(numBeams);
  const src = new Int32Array(numBeams);
  const tok = new Int32Array(numBeams);
  const owner = new Int32Array(numBeams);
  const seqs: Int32Array[] = [];
  const rowOf = new Int32Array(numBeams);

  let curLen = P;
  let steps = 0;
  while (curLen < maxLength && open.some((o) => o)) {
    seqs.length = 0;
    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      for (let i = 0; i < G; i++) {
        rowOf[g * G + i] = seqs.length;
        seqs.push(hist[g * G + i].tokens);
      }
    }
    const out = await callModel(model, seqs, { strategy: 'beamSearch', step: curLen - P, signal });
    steps++;
    const lastStep = curLen + 1 >= maxLength;
    const genLen = curLen + 1 - P;
    const norm = Math.pow(genLen, lengthPenalty);
    if (diversity > 0) {
      for (const t of picked) freq[t] = 0;
      picked.length = 0;
    }

    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      top.reset(keep);
      for (let i = 0; i < G; i++) {
        const b = g * G + i;
        const r = rowOf[b];
        const row = out.logits.subarray(r * V, r * V + V);
        const bs = score[b];
        const base = i * V;
        if (proc === null && picked.length === 0) {
          const m = maxOf(row, V);
          const lse = Math.fround(Math.log(sumExpShifted(row, m, V)));
          // skip a cell whose logit cannot reach the heap's threshold (checked in double with a margin
          // far wider than the float32 roundings) before computing its exact float32 score
          let thr = top.threshold;
          let cut = cutFor(thr - bs + lse + m);
          for (let t = 0; t < V; t++) {
            const x = row[t];
            if (x < cut) continue;
            const s = Math.fround(Math.fround(Math.fround(x - m) - lse) + bs);
            if (s > thr || (s === thr && top.size < keep)) {
              top.offer(s, base + t);
              thr = top.threshold;
              cut = cutFor(thr - bs + lse + m);
            }
          }
        } else {
          logSoftmaxInto(row, lp, V);
          for (const t of picked) lp[t] = Math.fround(lp[t] - Math.fround(diversity * freq[t]));
          if (proc) proc(lp, hist[b]);
          let thr = top.threshold;
          let cut = cutFor(thr - bs);
          for (let t = 0; t < V; t++) {
            const x = lp[t];
            if (x < cut) continue;
            const s = Math.fround(x + bs);
            if (s > thr || (s === thr && top.size < keep)) {
              top.offer(s, base + t);
              thr = top.threshold;
              cut = cutFor(thr - bs);
            }
          }
        }
      }
      top.sorted();
      const n = top.size;

      // finished hypotheses: hits among the first G ranks (HF `top_num_beam_mask`)
      const frozen = early === true && finished[g].length === G;
      if (!frozen) {
        let added = false;
        for (let j = 0; j < Math.min(G, n); j++) {
          const idx = top.indexes[j];
          const t = idx % V;
          if (!(lastStep || eos.has(t))) continue;
          const b = g * G + (idx - t) / V;
          const sum = top.values[j];
          const h = hist[b];
          const tokens = new Int32Array(h.length - P + 1);
          tokens.set(h.tokens.subarray(P));
          tokens[tokens.length - 1] = t;
          finished[g].push({ tokens, score: Math.fround(sum / norm), logProb: sum, eos: eos.has(t) });
          added = true;
        }
        if (added) {
          finished[g].sort((a, c) => c.score - a.score); // stable: earlier entries win ties
          if (finished[g].length > G) finished[g].length = G;
        }
      }

      // running beams: the best G continuations that did not stop (stopped ones only fill up, at -1e9)
      let filled = 0;
      for (let pass = 0; pass < 2 && filled < G; pass++) {
        for (let j = 0; j < n && filled < G; j++) {
          const idx = top.indexes[j];
          const t = idx % V;
          const stops = lastStep || eos.has(t);
          if (stops !== (pass === 1)) continue;
          const slot = g * G + filled++;
          src[slot] = g * G + (idx - t) / V;
          tok[slot] = t;
          newScore[slot] = pass === 0 ? top.values[j] : Math.fround(top.values[j] + NEG);
        }
      }
      for (; filled < G; filled++) {
        const slot = g * G + filled; // fewer candidates than beams (tiny vocabulary)
        src[slot] = g * G;
        tok[slot] = 0;
        newScore[slot] = -Infinity;
      }
      if (diversity > 0) {
        for (let i = 0; i < G; i++) {
          const t = tok[g * G + i];
          if (freq[t]++ === 0) picked.push(t);
        }
      }
    }

    // reorder histories: the last user of a source takes it over, the others copy it
    owner.fill(-1);
    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      for (let i = 0; i < G; i++) owner[src[g * G + i]] = g * G + i;
    }
    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      for (let i = 0; i < G; i++) {
        const slot = g * G + i;
        if (owner[src[slot]] !== slot) {
          const h = pool.pop() ?? new TokenHistory();
          h.reset(hist[src[slot]].tokens);
          next[slot] = h;
        }
      }
    }
    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      for (let i = 0; i < G; i++) {
        const slot = g * G + i;
        if (owner[src[slot]] === slot) next[slot] = hist[src[slot]];
      }
      for (let i = 0; i < G; i++) {
        const b = g * G + i;
        if (owner[b] < 0) pool.push(hist[b]);
      }
      for (let i = 0; i < G; i++) {
        const slot = g * G + i;
        next[slot].push(tok[slot]);
        score[slot] = newScore[slot];
      }
    } 
    for (let g = 0; g < groups; g++) if (!open[g]) for (let i = 0; i < G; i++) next[g * G + i] = hist[g * G + i];
    const swap = hist;
    hist = next;
    next = swap;
    curLen++;

    // HF `_check_early_stop_heuristic`, per group
    const bestLen = early === 'never' && lengthPenalty > 0 ? maxLength - P : curLen - P;
    const bestNorm = Math.pow(bestLen, lengthPenalty);
    for (let g = 0; g < groups; g++) {
      if (!open[g]) continue;
      const f = finished[g];
      if (early === true && f.length === G) {
        open[g] = false;
        continue;
      }
      const worst = f.length === G ? f[G - 1].score : NEG;
      if (!(Math.fround(score[g * G] / bestNorm) > worst)) open[g] = false;
    }
  }

  const all = finished.flat().sort((a, c) => c.score - a.score);
  return { sequences: all.slice(0, numReturn), steps };
}
