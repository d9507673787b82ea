/**
 * Contrastive search (Su et al. 2022): at each step, among the top-k tokens, take the one with the
 * best `(1 − α)·p(v) − α·max_j cos(h_v, h_j)`, so that a token whose hidden state repeats an earlier
 * context is passed over. HF `generate(penalty_alpha=α, top_k=k)`.
 */
import { l2Norm, maxCosine } from './cosine.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { softmaxInto } from '../core/softmax.js';
import { TokenHistory } from '../core/token-history.js';
import { TopEntries } from '../core/top-entries.js';
import type { Processor } from '../core/types.js';
import { checkInteger, checkRange, checkTokenIds } from '../core/validate.js';
import type { LanguageModel } from './language-model.js';
import { callModel, checkModel, ModelOutputError, throwIfAborted } from './model-call.js';
import { eosOption, maxNewTokensOption, processorOption, promptOption, seedOption, signalOption } from './options.js';

/** Options of {@link contrastiveSearch}; HF names in parentheses. */
export interface ContrastiveSearchOptions {
  /** Candidates re-ranked per step (`top_k`), default 4. */
  topK?: number;
  /** α, the degeneration penalty's weight in [0, 1] (`penalty_alpha`), default 0.6. */
  penaltyAlpha?: number;
  /** Tokens to generate at most (`max_new_tokens`), default 20. */
  maxNewTokens?: number;
  /** Processors applied to the logits before the softmax (HF `logits_processor`). */
  processors?: Processor | readonly Processor[];
  /** Token id(s) that end generation (kept in the output). */
  eosTokenIds?: number | readonly number[];
  /** Token sequences that end generation when the text ends with one. */
  stopSequences?: readonly (readonly number[])[];
  /** Accepted for a uniform API; contrastive search draws no random numbers. */
  seed?: number;
  /** Cancels the search: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

const OPTION_KEYS = ['topK', 'penaltyAlpha', 'maxNewTokens', 'processors', 'eosTokenIds', 'stopSequences', 'seed', 'signal'] as const;

/** What {@link contrastiveSearch} resolves to. */
export interface ContrastiveSearchResult {
  /** The generated tokens (prompt excluded). */
  tokens: Int32Array;
  stopReason: 'eos' | 'maxNewTokens' | 'stopSequence';
  /** Model calls made. */
  steps: number;
}

/**
 * Contrastive search over a {@link LanguageModel} that returns hidden states (`model.hiddenSize`).
 * Each step costs one model call on a batch of `topK` sequences (the context plus each candidate);
 * its logits give the next step's distribution, as in HF.
 *
 * @example
 * ```ts
 * import { contrastiveSearch, type LanguageModel } from 'degen-guard';
 * // a bigram model that loops 0 → 1 → 0 …, with token 2 a close second; hidden state = one-hot of the last token
 * const model: LanguageModel = {
 *   vocabSize: 3,
 *   hiddenSize: 3,
 *   async forward(seqs, options) {
 *     const last = seqs.map((s) => s[s.length - 1]);
 *     const logits = Float32Array.from(last.flatMap((t) => [t === 1 ? 2 : 0, t === 0 ? 2 : 0, 1.5]));
 *     const hidden = options?.hidden ? Float32Array.from(last.flatMap((t) => [0, 1, 2].map((i) => +(i === t)))) : undefined;
 *     return { logits, hidden };
 *   },
 * };
 * const greedyLike = await contrastiveSearch(model, [0], { topK: 2, penaltyAlpha: 0, maxNewTokens: 4 });
 * Array.from(greedyLike.tokens); // → [1, 0, 1, 0]
 * const { tokens } = await contrastiveSearch(model, [0], { topK: 2, penaltyAlpha: 0.6, maxNewTokens: 4 });
 * Array.from(tokens); // → [1, 2, 2, 2]
 * ```
 */
export async function contrastiveSearch(
  model: LanguageModel,
  prompt: ArrayLike<number>,
  options: ContrastiveSearchOptions = {},
): Promise<ContrastiveSearchResult> {
  checkOptionKeys('contrastiveSearch options', options, OPTION_KEYS);
  const V = checkModel(model, true);
  const D = model.hiddenSize as number;
  const promptIds = promptOption(prompt, V);
  const topK = checkInteger('topK', options.topK ?? 4, 1);
  const alpha = checkRange('penaltyAlpha', options.penaltyAlpha ?? 0.6, 0, 1);
  const maxNew = maxNewTokensOption(options.maxNewTokens);
  const proc = processorOption(options.processors);
  const eos = eosOption(options.eosTokenIds, V);
  const stops = (options.stopSequences ?? []).map((s, i) => checkTokenIds(`stopSequences[${i}]`, s, V));
  if (stops.some((s) => s.length === 0)) throw new RangeError('stopSequences must not hold an empty sequence');
  seedOption(options.seed);
  const signal = signalOption(options.signal);
  const k = Math.min(topK, V);
  const P = promptIds.length;

  const ctx = new HiddenContext(D, Math.max(16, P + maxNew));
  const row = new Float32Array(V);
  let steps = await encodePrompt(model, promptIds, ctx, row, signal);

  const history = new TokenHistory(promptIds);
  const probs = new Float32Array(V);
  const top = new TopEntries(k);
  const bufs: Int32Array[] = Array.from({ length: k }, () => new Int32Array(P + maxNew));
  const seqs: Int32Array[] = new Array(k);
  let stopReason: ContrastiveSearchResult['stopReason'] = 'maxNewTokens';
  for (let step = 0; step < maxNew; step++) {
    if (proc) proc(row, history);
    const s = softmaxInto(row, probs, V);
    if (!(s > 0) || s === Infinity) {
      throw new RangeError(`contrastiveSearch, step ${step}: every token is banned (or a logit is +Infinity), nothing to choose`);
    }
    topCandidates(probs, top, k);
    const n = top.size;
    const L = history.length;
    for (let c = 0; c < n; c++) {
      const b = bufs[c];
      b.set(history.tokens);
      b[L] = top.indexes[c];
      seqs[c] = b.subarray(0, L + 1);
    }
    seqs.length = n;
    const out = await callModel(model, seqs, { strategy: 'contrastiveSearch', step, hidden: true, signal });
    steps++;
    const hidden = out.hidden!;
    const best = leastDegenerate(top, hidden, ctx, alpha, step);
    const token = top.indexes[best];
    history.push(token);
    ctx.append(hidden, best * D, step);
    row.set(out.logits.subarray(best * V, best * V + V));
    if (eos.has(token)) {
      stopReason = 'eos';
      break;
    }
    if (stops.some((st) => endsWith(history.tokens, st))) {
      stopReason = 'stopSequence';
      break;
    }
  }
  return { tokens: history.tokens.slice(P), stopReason, steps };
}

/** The context's hidden states (S × D, grown by doubling) and their norms. */
class HiddenContext {
  states: Float32Array;
  norms: Float64Array;
  size = 0;

  constructor(
    readonly D: number,
    capacity: number,
  ) {
    this.states = new Float32Array(capacity * D);
    this.norms = new Float64Array(capacity);
  }

  /** Appends `h[off .. off + D)`; a zero state throws (its cosine is undefined). */
  append(h: Float32Array, off: number, step: number): void {
    const D = this.D;
    if ((this.size + 1) * D > this.states.length) {
      const c = new Float32Array(this.states.length * 2);
      c.set(this.states);
      this.states = c;
      const n = new Float64Array(this.norms.length * 2);
      n.set(this.norms);
      this.norms = n;
    }
    this.states.set(h.subarray(off, off + D), this.size * D);
    const n = l2Norm(h, off, D);
    if (!(n > 0)) throw new ModelOutputError(`contrastiveSearch, step ${step}: model returned a zero hidden state (cosine undefined)`, step);
    this.norms[this.size++] = n;
  }
}

/**
 * Fills `ctx` with the prompt's hidden states (from `model.hiddenStates`, else from calls on the
 * prompt's prefixes) and `row` with the logits after the prompt; returns the model calls made.
 */
async function encodePrompt(model: LanguageModel, promptIds: Int32Array, ctx: HiddenContext, row: Float32Array, signal: AbortSignal | undefined): Promise<number> {
  const P = promptIds.length;
  const D = ctx.D;
  const V = row.length;
  let steps = 0;
  if (typeof model.hiddenStates === 'function') {
    throwIfAborted(signal);
    const hs = await model.hiddenStates(promptIds, { signal });
    if (!(hs instanceof Float32Array) || hs.length !== P * D) {
      throw new ModelOutputError(`contrastiveSearch, step 0: model.hiddenStates returned ${hs instanceof Float32Array ? `length ${hs.length}` : String(hs)}, expected prompt length ${P} × hiddenSize ${D}`, 0);
    }
    for (let i = 0; i < P; i++) ctx.append(hs, i * D, 0);
    const out = await callModel(model, [promptIds], { strategy: 'contrastiveSearch', step: 0, signal });
    steps++;
    row.set(out.logits);
  } else {
    const CHUNK = 32; // prompt prefixes per call
    for (let start = 0; start < P; start += CHUNK) {
      const seqs: Int32Array[] = [];
      for (let i = start; i < Math.min(P, start + CHUNK); i++) seqs.push(promptIds.subarray(0, i + 1));
      const out = await callModel(model, seqs, { strategy: 'contrastiveSearch', step: 0, hidden: true, signal });
      steps++;
      for (let i = 0; i < seqs.length; i++) ctx.append(out.hidden!, i * D, 0);
      if (start + seqs.length === P) row.set(out.logits.subarray((seqs.length - 1) * V, seqs.length * V));
    }
  }
  return steps;
}

/** The k most probable tokens into `top`, most probable first. */
function topCandidates(probs: Float32Array, top: TopEntries, k: number): void {
  top.reset(k);
  let thr = -Infinity;
  for (let t = 0; t < probs.length; t++) {
    const p = probs[t];
    if (p > thr || top.size < k) {
      top.offer(p, t);
      thr = top.threshold;
    }
  }
  top.sorted();
}

/** The candidate with the best `(1 − α)·p − α·max cosine to the context` (the first on ties). */
function leastDegenerate(top: TopEntries, hidden: Float32Array, ctx: HiddenContext, alpha: number, step: number): number {
  const D = ctx.D;
  let best = -1;
  let bestScore = -Infinity;
  for (let c = 0; c < top.size; c++) {
    const vn = l2Norm(hidden, c * D, D);
    if (!(vn > 0)) throw new ModelOutputError(`contrastiveSearch, step ${step}: model returned a zero hidden state for candidate ${c}`, step);
    const pen = maxCosine(ctx.states, 0, ctx.size, D, hidden, c * D, vn, ctx.norms);
    const score = (1 - alpha) * top.values[c] - alpha * pen;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

function endsWith(tokens: Int32Array, s: number[]): boolean {
  const n = tokens.length;
  if (s.length > n) return false;
  for (let i = 0; i < s.length; i++) if (tokens[n - s.length + i] !== s[i]) return false;
  return true;
}
