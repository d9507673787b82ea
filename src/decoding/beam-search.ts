/**
 * Beam search with Hugging Face `generate(num_beams=…)` semantics, and diverse (group) beam search
 * (Vijayakumar et al. 2016; HF `num_beam_groups` + `diversity_penalty`, scored as transformers'
 * `BeamSearchScorer` does).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { TopEntries } from '../core/top-entries.js';
import type { Processor } from '../core/types.js';
import { checkFinite, checkInteger, checkRange, checkTokenIds } from '../core/validate.js';
import { logSoftmaxWith, offerLogits, offerLogProbs, rowLogSumExp, rowTerms, type RowTerms } from './beam-continuations.js';
import { BeamHistories } from './beam-histories.js';
import { BeamHypotheses } from './beam-hypotheses.js';
import type { LanguageModel } from './language-model.js';
import { callModel, checkModel } from './model-call.js';
import { eosOption, maxNewTokensOption, processorOption, promptOption, seedOption, signalOption } from './options.js';
import { resetStateful } from './stateful.js';

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
  /** The token a finished group emits at each later step, which later groups' diversity penalty counts (`pad_token_id`); default the first EOS id. */
  padTokenId?: number;
  /** Accepted for a uniform API; beam search draws no random numbers. */
  seed?: number;
  /** Cancels the search: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

const OPTION_KEYS = [
  'numBeams', 'maxNewTokens', 'lengthPenalty', 'earlyStopping', 'numReturnSequences', 'eosTokenIds',
  'processors', 'numBeamGroups', 'diversityPenalty', 'padTokenId', 'seed', 'signal',
] as const;

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

/** Everything one search keeps between steps. Slot `b = g * G + i` is beam i of group g. */
interface Search {
  V: number;
  P: number;
  /** Beams per group. */
  G: number;
  groups: number;
  maxLength: number;
  /** Continuations kept per group and step: max(2, 1 + #eos) × G. */
  keep: number;
  lengthPenalty: number;
  early: boolean | 'never';
  numReturn: number;
  eos: Set<number>;
  pad: number;
  proc: Processor | null;
  diversity: number;
  histories: BeamHistories;
  /** Running score (sum of log-probabilities) of each slot. */
  score: Float64Array;
  newScore: Float64Array;
  /** Source slot and token of each slot after the step. */
  src: Int32Array;
  tok: Int32Array;
  /** Row of each slot in the model's answer. */
  rowOf: Int32Array;
  /** Groups still searching; `active` is the same at the start of the step. */
  open: boolean[];
  active: boolean[];
  /** One group (HF `_beam_search`): its finished hypotheses, best first. */
  finished: BeamHypothesis[];
  /** Several groups (HF `BeamSearchScorer`): each group's n-best list. */
  hyps: BeamHypotheses[];
  top: TopEntries;
  lp: Float32Array;
  /** A row's max, log-sum-exp term and block bounds (rowLogSumExp). */
  terms: RowTerms;
  /** How often earlier groups picked each token at this step (ids listed in `picked`). */
  freq: Int32Array;
  picked: number[];
  /** Slot ranges advanced at this step (pairs from, to). */
  ranges: number[];
  curLen: number;
  steps: number;
}

/**
 * Beam search over a {@link LanguageModel} (HF `generate(num_beams=…)`, including diverse beam
 * search with `numBeamGroups` and `diversityPenalty`). Each step runs the model once on every open
 * beam, turns each row into log-probabilities, applies the processors (per beam, with that beam's
 * history) and the diversity penalty, adds the beam's score and keeps the `max(2, 1 + #eos) × beams`
 * best continuations per group by a bounded heap (no sort of the vocabulary).
 *
 * @example
 * ```ts
 * import { beamSearch, type LanguageModel } from 'degen-guard';
 * // from token 0: token 1 (p .5) then EOS 3 (p .4), or token 2 (p .4) then EOS 3 (p .9)
 * const probs = [[0, 0.5, 0.4, 0.1], [0, 0.3, 0.3, 0.4], [0, 0.05, 0.05, 0.9], [0.25, 0.25, 0.25, 0.25]];
 * const model: LanguageModel = {
 *   vocabSize: 4,
 *   async forward(seqs) {
 *     return { logits: Float32Array.from(seqs.flatMap((s) => probs[s[s.length - 1]].map(Math.log))) };
 *   },
 * };
 * const { sequences } = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 5, eosTokenIds: 3 });
 * Array.from(sequences[0].tokens); // → [2, 3]
 * ```
 */
export async function beamSearch(
  model: LanguageModel,
  prompt: ArrayLike<number>,
  options: BeamSearchOptions = {},
): Promise<BeamSearchResult> {
  checkOptionKeys('beamSearch options', options, OPTION_KEYS);
  const s = createSearch(model, prompt, options);
  const signal = signalOption(options.signal);
  while (s.curLen < s.maxLength && s.open.some((o) => o)) {
    const out = await callModel(model, openSequences(s), { strategy: 'beamSearch', step: s.curLen - s.P, signal });
    s.steps++;
    startStep(s);
    for (let g = 0; g < s.groups; g++) {
      if (s.active[g]) {
        collectContinuations(s, g, out.logits);
        if (s.groups === 1) updatePlain(s);
        else updateGroup(s, g);
      }
      if (s.diversity > 0) countPicks(s, g);
    }
    advanceBeams(s);
    if (s.groups === 1) checkPlainEarlyStop(s);
  }
  return { sequences: s.groups === 1 ? s.finished.slice(0, s.numReturn) : finalizeGroups(s), steps: s.steps };
}

/** Validates the options and sets up the beams: the first beam of each group at score 0, the others at -1e9. */
function createSearch(model: LanguageModel, prompt: ArrayLike<number>, options: BeamSearchOptions): Search {
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
  resetStateful(proc); // stateful processors: one state shared by the beams, reset per search
  const groups = checkInteger('numBeamGroups', options.numBeamGroups ?? 1, 1, numBeams);
  if (numBeams % groups !== 0) {
    throw new RangeError(`numBeams (${numBeams}) must be divisible by numBeamGroups (${groups})`);
  }
  const diversity = checkRange('diversityPenalty', options.diversityPenalty ?? 0, 0, Infinity, 'high');
  const firstEos = eos.size > 0 ? (eos.values().next().value as number) : 0;
  const pad = options.padTokenId === undefined ? firstEos : checkTokenIds('padTokenId', [options.padTokenId], V)[0];
  seedOption(options.seed);

  const G = numBeams / groups;
  const P = promptIds.length;
  const score = new Float64Array(numBeams);
  for (let b = 0; b < numBeams; b++) score[b] = b % G === 0 ? 0 : NEG;
  return {
    V, P, G, groups, maxLength: P + maxNew, keep: Math.max(2, 1 + eos.size) * G, lengthPenalty, early, numReturn,
    eos, pad, proc, diversity,
    histories: new BeamHistories(promptIds, numBeams),
    score, newScore: new Float64Array(numBeams), src: new Int32Array(numBeams), tok: new Int32Array(numBeams),
    rowOf: new Int32Array(numBeams),
    open: new Array<boolean>(groups).fill(true), active: new Array<boolean>(groups).fill(true),
    finished: [],
    hyps: Array.from({ length: groups }, () => new BeamHypotheses(G, lengthPenalty, early, maxNew)),
    top: new TopEntries(0), lp: new Float32Array(V), terms: rowTerms(V), freq: new Int32Array(diversity > 0 ? V : 0), picked: [], ranges: [],
    curLen: P, steps: 0,
  };
}

/** The sequences of the open groups' beams, in slot order (and each slot's row in the answer). */
function openSequences(s: Search): Int32Array[] {
  const seqs: Int32Array[] = [];
  for (let g = 0; g < s.groups; g++) {
    if (!s.open[g]) continue;
    for (let b = g * s.G; b < (g + 1) * s.G; b++) {
      s.rowOf[b] = seqs.length;
      seqs.push(s.histories.hist[b].tokens);
    }
  }
  return seqs;
}

/** Snapshots which groups take part in this step and clears the diversity counts. */
function startStep(s: Search): void {
  for (let g = 0; g < s.groups; g++) s.active[g] = s.open[g];
  for (const t of s.picked) s.freq[t] = 0;
  s.picked.length = 0;
}

/**
 * The best `keep` continuations of group g, sorted best first in `s.top` (index `i * V + token` for
 * beam i of the group). Each beam's row becomes float32 log-probabilities; the processors run with the
 * beam's history, then the diversity penalty (HF appends the Hamming processor last). When neither
 * runs, only the cells that can enter the heap get their log-probability (the same values).
 */
function collectContinuations(s: Search, g: number, logits: Float32Array): void {
  const { V, G, top, lp, keep } = s;
  top.reset(keep);
  for (let i = 0; i < G; i++) {
    const b = g * G + i;
    const row = logits.subarray(s.rowOf[b] * V, s.rowOf[b] * V + V);
    rowLogSumExp(row, V, s.terms);
    if (s.proc === null && s.picked.length === 0) {
      if (s.terms.lse === s.terms.lse) offerLogits(top, keep, row, V, s.terms, s.score[b], i * V);
      continue;
    }
    logSoftmaxWith(row, lp, V, s.terms);
    if (s.proc) s.proc(lp, s.histories.hist[b]);
    if (s.picked.length > 0) {
      const penalty = Math.fround(s.diversity);
      for (const t of s.picked) lp[t] = Math.fround(lp[t] - Math.fround(penalty * s.freq[t]));
    }
    offerLogProbs(top, keep, lp, V, s.score[b], i * V);
  }
  top.sorted();
  if (top.size === 0 || !(top.values[0] > -Infinity)) {
    const which = s.groups > 1 ? ` of group ${g}` : '';
    throw new RangeError(`beamSearch, step ${s.curLen - s.P}: every token is banned for every beam${which}, nothing to continue`);
  }
}

/** The generated tokens of slot b followed by `token`. */
function extended(s: Search, b: number, token: number): Int32Array {
  const h = s.histories.hist[b].tokens;
  const tokens = new Int32Array(h.length - s.P + 1);
  tokens.set(h.subarray(s.P));
  tokens[tokens.length - 1] = token;
  return tokens;
}

/** Slot `slot` continues beam `b` of its group with `token` at running score `value`. */
function setSlot(s: Search, slot: number, b: number, token: number, value: number): void {
  s.src[slot] = b;
  s.tok[slot] = token;
  s.newScore[slot] = value;
}

/** The slots of group g from its `from`-th on get no continuation (fewer candidates than beams: a tiny vocabulary). */
function fillEmpty(s: Search, g: number, from: number): void {
  for (let slot = g * s.G + from; slot < (g + 1) * s.G; slot++) setSlot(s, slot, g * s.G, 0, -Infinity);
}

/**
 * One group, HF `_beam_search` (transformers 5): a continuation that ends (EOS, or the maximum length)
 * among the first G ranks joins the finished list, which keeps the best G by score; the next beams are
 * the best G continuations that do not end (ending ones fill up at -1e9).
 */
function updatePlain(s: Search): void {
  const { V, G, top, eos } = s;
  const lastStep = s.curLen + 1 >= s.maxLength;
  const n = top.size;
  const norm = Math.pow(s.curLen + 1 - s.P, s.lengthPenalty);
  if (!(s.early === true && s.finished.length === G)) {
    let added = false;
    for (let j = 0; j < Math.min(G, n); j++) {
      const t = top.indexes[j] % V;
      if (!(lastStep || eos.has(t))) continue;
      const sum = top.values[j];
      s.finished.push({ tokens: extended(s, (top.indexes[j] - t) / V, t), score: Math.fround(sum / norm), logProb: sum, eos: eos.has(t) });
      added = true;
    }
    if (added) {
      s.finished.sort((a, c) => c.score - a.score); // stable: earlier entries win ties
      if (s.finished.length > G) s.finished.length = G;
    }
  }
  let filled = 0;
  for (let pass = 0; pass < 2 && filled < G; pass++) {
    for (let j = 0; j < n && filled < G; j++) {
      const t = top.indexes[j] % V;
      if ((lastStep || eos.has(t)) !== (pass === 1)) continue;
      const value = pass === 0 ? top.values[j] : Math.fround(top.values[j] + NEG);
      setSlot(s, filled++, (top.indexes[j] - t) / V, t, value);
    }
  }
  fillEmpty(s, 0, filled);
}

/**
 * Group g, HF `BeamSearchScorer.process`: in rank order, an EOS continuation among the first G ranks
 * is offered to the group's n-best list and any other continuation takes the next running slot, until
 * G slots are filled. The maximum length ends nothing here: the running beams reach it and are offered
 * in {@link finalizeGroups}. The group is done when its n-best list says so for the step's best candidate.
 */
function updateGroup(s: Search, g: number): void {
  const { V, G, top, eos } = s;
  const generated = s.curLen + 1 - s.P;
  let filled = 0;
  for (let j = 0; j < top.size && filled < G; j++) {
    const t = top.indexes[j] % V;
    const b = g * G + (top.indexes[j] - t) / V;
    if (eos.has(t)) {
      if (j < G) s.hyps[g].add(() => extended(s, b, t), top.values[j], generated, true);
      continue;
    }
    setSlot(s, g * G + filled++, b, t, top.values[j]);
  }
  fillEmpty(s, g, filled);
  if (s.hyps[g].isDone(top.values[0], generated)) s.open[g] = false;
}

/** Diversity: counts group g's tokens of this step for the groups after it (a finished group emits the pad token). */
function countPicks(s: Search, g: number): void {
  for (let i = 0; i < s.G; i++) {
    const t = s.active[g] ? s.tok[g * s.G + i] : s.pad;
    if (s.freq[t]++ === 0) s.picked.push(t);
  }
}

/** Moves the running beams of the groups that took part in the step to their new slots and scores. */
function advanceBeams(s: Search): void {
  const ranges = s.ranges;
  ranges.length = 0;
  for (let g = 0; g < s.groups; g++) if (s.active[g]) ranges.push(g * s.G, (g + 1) * s.G);
  s.histories.advance(s.src, s.tok, ranges);
  for (let r = 0; r < ranges.length; r += 2) for (let b = ranges[r]; b < ranges[r + 1]; b++) s.score[b] = s.newScore[b];
  s.curLen++;
}

/** HF `_check_early_stop_heuristic` for one group: stop when the best running beam cannot beat the worst finished one. */
function checkPlainEarlyStop(s: Search): void {
  const f = s.finished;
  if (s.early === true && f.length === s.G) {
    s.open[0] = false;
    return;
  }
  const bestLen = s.early === 'never' && s.lengthPenalty > 0 ? s.maxLength - s.P : s.curLen - s.P;
  const worst = f.length === s.G ? f[s.G - 1].score : NEG;
  if (!(Math.fround(s.score[0] / Math.pow(bestLen, s.lengthPenalty)) > worst)) s.open[0] = false;
}

/**
 * HF `BeamSearchScorer.finalize`: the running beams of every group not yet done are offered to its
 * n-best list; then all groups' hypotheses are ranked together (a later one wins a tie, as HF's
 * sort-and-pop does) and the best `numReturnSequences` are returned.
 */
function finalizeGroups(s: Search): BeamHypothesis[] {
  for (let g = 0; g < s.groups; g++) {
    if (!s.open[g]) continue;
    for (let b = g * s.G; b < (g + 1) * s.G; b++) {
      const h = s.histories.hist[b];
      s.hyps[g].add(() => h.tokens.slice(s.P), s.score[b], s.curLen - s.P, false);
    }
  }
  const all = s.hyps.flatMap((h) => h.items).map((h, order) => ({ h, order }));
  all.sort((a, c) => c.h.score - a.h.score || c.order - a.order);
  return all.slice(0, s.numReturn).map(({ h }) => ({ tokens: h.tokens, score: Math.fround(h.score), logProb: h.logProb, eos: h.eos }));
}
