/**
 * Token-level unlikelihood training (Welleck et al. 2019, "Neural Text Degeneration with Unlikelihood
 * Training"): maximum likelihood plus α times a penalty −log(1 − p(c)) on every candidate c, the
 * tokens of the previous context that are not the current target.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkFinite, checkInteger } from '../core/validate.js';
import {
  checkFloatArray,
  checkIdArray,
  checkIdsInVocab,
  gradBuffer,
  resolveShape,
  type FloatArray,
} from './loss-input.js';
import { nanRow, rowArgmax, unlikelihoodRow, type RowTerms } from './unlikelihood-row.js';

/** Options of {@link unlikelihoodLoss}. */
export interface UnlikelihoodOptions {
  /** Sequences in the batch B (default 1). */
  batch?: number;
  /** Positions per sequence T (default: targets.length / batch). */
  length?: number;
  /** Vocabulary size V (default: logits.length / targets.length). */
  vocabSize?: number;
  /** Weight α of the unlikelihood term (default 1, the paper's and the recipes' value). */
  alpha?: number;
  /**
   * Padding target id: such positions get no MLE term. By default they take no part at all (no
   * penalty, not a candidate) and there is no padding unless given; any integer works (e.g. −100).
   * With `ulCompat` it defaults to 1 (fairseq's padding index) and must be in the vocabulary.
   */
  padId?: number;
  /**
   * Reproduce fairseq's `candidate_penalty_cross_entropy` criterion of the paper's code:
   * candidates are taken across the flattened batch, the padding id is a candidate at every position
   * (and pad² with padId ≥ 2), padded positions keep their penalty, and `1 − p` is clamped at 1e-5.
   * Default false: the paper's definition (see docs/losses.md).
   */
  ulCompat?: boolean;
  /** Write the gradient here (same type and length as `logits`) instead of allocating one. */
  gradOut?: FloatArray;
}

/** Result of {@link unlikelihoodLoss}. */
export interface UnlikelihoodResult {
  /** MLE + α·UL, summed over positions (not normalised: divide by `ntokens` for the per-token loss). */
  loss: number;
  /** ∂loss/∂logits, B·T·V, same type as `logits`. */
  grad: FloatArray;
  /** Σ −log p(target) over non-padding positions. */
  mleLoss: number;
  /** Σ over positions and candidates of −log(1 − p(c)), without α. */
  ulLoss: number;
  /** Number of non-padding targets. */
  ntokens: number;
}

const KEYS = ['batch', 'length', 'vocabSize', 'alpha', 'padId', 'ulCompat', 'gradOut'] as const;

let stamp = new Int32Array(1024);
let epoch = 0;
let seen = new Int32Array(256);
const extra = new Int32Array(2);
const terms: RowTerms = { mle: 0, ul: 0, clamped: 0 };

function nextEpoch(V: number): number {
  if (stamp.length < V) {
    stamp = new Int32Array(Math.max(V, stamp.length * 2));
    epoch = 0;
  }
  if (++epoch === 0x7fffffff) {
    stamp.fill(0);
    epoch = 1;
  }
  return epoch;
}

/**
 * Token-level unlikelihood loss over a batch of logits (B × T × V, row-major) and targets (B × T):
 *
 * `loss = Σ_t −log p(y_t) + α Σ_t Σ_{c ∈ C_t} −log(1 − p(c))`, with C_t = {y_1 … y_{t−1}} \ {y_t}
 * (previous targets of the same sequence, padding excluded), and its gradient with respect to the
 * logits. `1 − p` is computed without cancellation, so the loss stays finite and exact when a
 * candidate's probability is close to 1. With `ulCompat: true` it reproduces the paper's fairseq
 * criterion, quirks included (see {@link UnlikelihoodOptions.ulCompat}).
 *
 * @example
 * ```ts
 * import { unlikelihoodLoss } from 'degen-guard';
 * // one sequence of 3 positions over a vocabulary of 3; targets 0, 1, 0
 * const logits = Float32Array.from([2, 0, 0, 0, 2, 0, 2, 1, 0]);
 * const r = unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, alpha: 1 });
 * // t = 1 penalises token 0; t = 2 penalises token 1 (0 is its own target)
 * r.mleLoss; // → 0.88670
 * r.ulLoss; // → 0.39329
 * r.loss; // → 1.27999
 * r.grad.length; // → 9
 * ```
 */
export function unlikelihoodLoss(logits: FloatArray, targets: ArrayLike<number>, options?: UnlikelihoodOptions): UnlikelihoodResult {
  checkOptionKeys('unlikelihoodLoss options', options, KEYS);
  const o = options ?? {};
  const z = checkFloatArray('logits', logits);
  const y = checkIdArray('targets', targets);
  const [B, T, V] = resolveShape('logits', z.length, y.length, 'targets', o, 'vocabSize', o.vocabSize);
  const alpha = checkFinite('alpha', o.alpha ?? 1);
  if (alpha < 0) throw new RangeError(`alpha must be ≥ 0, got ${alpha}`);
  const compat = !!o.ulCompat;
  let pad: number | undefined;
  if (compat) {
    pad = checkInteger('padId', o.padId ?? 1, 0, V - 1);
    if (pad * pad >= V) {
      throw new RangeError(`padId = ${pad}: with ulCompat the original code uses pad² = ${pad * pad} as a token id, outside the vocabulary of size ${V}`);
    }
    checkIdsInVocab('targets', y, V);
  } else {
    if (o.padId !== undefined) pad = checkInteger('padId', o.padId);
    checkIdsInVocab('targets', y, V, pad);
  }
  const grad = gradBuffer(z, o.gradOut);
  const N = B * T;
  if (seen.length < N) seen = new Int32Array(Math.max(N, seen.length * 2));

  let mle = 0;
  let ul = 0;
  let ntokens = 0;
  if (!compat) {
    for (let b = 0; b < B; b++) {
      const ep = nextEpoch(V);
      let nSeen = 0;
      for (let t = 0; t < T; t++) {
        const i = b * T + t;
        const yi = y[i];
        const off = i * V;
        if (yi === pad) {
          grad.fill(0, off, off + V);
          continue;
        }
        ntokens++;
        const a = rowArgmax(z, off, V);
        if (a < 0) nanRow(grad, off, V, terms);
        else unlikelihoodRow(z, off, V, a, yi, 1, seen, nSeen, yi, extra, 0, alpha, 0, false, grad, terms);
        mle += terms.mle;
        ul += terms.ul;
        if (stamp[yi] !== ep) {
          stamp[yi] = ep;
          seen[nSeen++] = yi;
        }
      }
    }
  } else {
    // fairseq: one flattened sequence of B·T targets; C_i = {y_j : j < i, y_j ≠ y_i} ∪ {pad² if y_i ≠ pad²}
    // ∪ {pad if y_i = pad² or some earlier y_j = y_i} (the triangle built from target + pad, see docs)
    const p = pad as number;
    const p2 = p * p;
    const ep = nextEpoch(V);
    let nSeen = 0;
    for (let i = 0; i < N; i++) {
      const yi = y[i];
      const off = i * V;
      const isPad = yi === p;
      if (!isPad) ntokens++;
      let nExtra = 0;
      // an id already in the list (and not y_i) is in the set once
      if (yi !== p2 && !(stamp[p2] === ep && p2 !== yi)) extra[nExtra++] = p2;
      if ((yi === p2 || stamp[yi] === ep) && !(stamp[p] === ep && p !== yi) && !(nExtra > 0 && extra[0] === p)) extra[nExtra++] = p;
      const a = rowArgmax(z, off, V);
      if (a < 0) nanRow(grad, off, V, terms);
      else unlikelihoodRow(z, off, V, a, yi, isPad ? 0 : 1, seen, nSeen, yi, extra, nExtra, alpha, 1e-5, true, grad, terms);
      if (!isPad) mle += terms.mle;
      ul += terms.ul;
      if (stamp[yi] !== ep) {
        stamp[yi] = ep;
        seen[nSeen++] = yi;
      }
    }
  }
  return { loss: mle + alpha * ul, grad, mleLoss: mle, ulLoss: ul, ntokens };
}

