/**
 * The re-ranking step of contrastive search (Su et al. 2022, "A Contrastive Framework for Neural
 * Text Generation"), as HF's `_ranking_fast` computes it.
 */
import { l2Norm, maxCosine } from './cosine.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { checkInteger, checkRange } from '../core/validate.js';

/** Options of {@link contrastiveRanking}. */
export interface ContrastiveRankingOptions {
  /** α (HF `penalty_alpha`) in [0, 1]: weight of the degeneration penalty. */
  penaltyAlpha: number;
  /** D: length of one hidden-state vector. */
  hiddenSize: number;
  /**
   * S: number of context positions. Default `contextHidden.length / hiddenSize` (one shared S × D
   * context). When `contextHidden` holds K × S × D values (HF's layout, one copy per candidate),
   * give S here.
   */
  contextLength?: number;
  /** Optional output: receives each candidate's score (length ≥ K). */
  scores?: Float64Array | Float32Array;
}

/**
 * Picks the candidate with the best `(1 − α)·p(v) − α·max_s cos(h_v, h_s)` over the K candidates
 * (the first one wins a tie, as HF's argmax does) and returns its index in `[0, K)`.
 *
 * @param contextHidden hidden states of the context positions: S × D (shared), or K × S × D.
 * @param nextHidden hidden state of each candidate: K × D.
 * @param topKProbs the K candidates' probabilities (HF `next_top_k_probs`).
 * @throws RangeError for a zero hidden vector (its cosine is undefined: HF gets NaN) or mismatched sizes.
 * @example
 * ```ts
 * import { contrastiveRanking } from 'degen-guard';
 * // S = 2 context positions and K = 3 candidates, D = 2
 * const ctx = new Float32Array([1, 0, 0, 1]);
 * const next = new Float32Array([1, 0, 0.6, 0.8, -1, 0.1]);
 * contrastiveRanking(ctx, next, [0.5, 0.3, 0.2], { penaltyAlpha: 0.6, hiddenSize: 2 }); // → 2
 * ```
 */
export function contrastiveRanking(
  contextHidden: ArrayLike<number>,
  nextHidden: ArrayLike<number>,
  topKProbs: ArrayLike<number>,
  options: ContrastiveRankingOptions,
): number {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`contrastiveRanking options must be an object { penaltyAlpha, hiddenSize }, got ${String(options)}`);
  }
  checkOptionKeys('contrastiveRanking options', options, ['penaltyAlpha', 'hiddenSize', 'contextLength', 'scores']);
  const alpha = checkRange('penaltyAlpha', options.penaltyAlpha, 0, 1);
  const d = checkInteger('hiddenSize', options.hiddenSize, 1);
  const k = topKProbs.length;
  if (k < 1) throw new RangeError('topKProbs must hold at least one candidate probability');
  if (nextHidden.length !== k * d) {
    throw new RangeError(`nextHidden has length ${nextHidden.length}, expected K × hiddenSize = ${k} × ${d} = ${k * d}`);
  }
  const s = options.contextLength ?? contextHidden.length / d;
  checkInteger('contextLength', s, 1);
  let perCandidate: boolean;
  if (contextHidden.length === s * d) perCandidate = false;
  else if (contextHidden.length === k * s * d) perCandidate = true;
  else {
    throw new RangeError(
      `contextHidden has length ${contextHidden.length}, expected S × D = ${s * d} or K × S × D = ${k * s * d}`,
    );
  }
  const out = options.scores;
  let best = -1;
  let bestScore = -Infinity;
  for (let c = 0; c < k; c++) {
    const vNorm = l2Norm(nextHidden, c * d, d);
    if (!(vNorm > 0)) throw new RangeError(`nextHidden row ${c} has norm ${vNorm}: its cosine similarity is undefined`);
    const penalty = maxCosine(contextHidden, perCandidate ? c * s * d : 0, s, d, nextHidden, c * d, vNorm);
    if (penalty !== penalty) throw new RangeError('contextHidden holds a zero (or NaN) vector: its cosine similarity is undefined');
    const score = (1 - alpha) * topKProbs[c] - alpha * penalty;
    if (out) out[c] = score;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  if (best < 0) throw new RangeError('every candidate scored NaN or -Infinity (check topKProbs)');
  return best;
}
