/**
 * Sequence-level unlikelihood training (Welleck et al. 2019): on a model's own continuation, every
 * token that belongs to a repeated n-gram is penalised with −log(1 − p(token)).
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkInteger } from '../core/validate.js';
import { ngramRepeatMask } from '../metrics/repeat-mask.js';
import {
  checkFloatArray,
  checkIdArray,
  checkIdsInVocab,
  gradBuffer,
  reductionOption,
  resolveShape,
  type FloatArray,
} from './loss-input.js';
import { nanRow, rowArgmax, unlikelihoodRow, type RowTerms } from './unlikelihood-row.js';

/** Options of {@link sequenceUnlikelihoodLoss}. */
export interface SequenceUnlikelihoodOptions {
  /** Continuations in the batch K (default 1). */
  batch?: number;
  /** Tokens per continuation C (default: continuation.length / batch). */
  length?: number;
  /** Vocabulary size V (default: logits.length / continuation.length). */
  vocabSize?: number;
  /** n of the repeated n-grams (default 4, the paper's). */
  n?: number;
  /**
   * `'sum'` (default; the fairseq criterion) or `'mean'`: the sum divided by K·C, all continuation
   * tokens, masked or not (the GPT-2 fine-tuning script).
   */
  reduction?: 'sum' | 'mean';
  /**
   * Reproduce the paper's code exactly: the last n-gram window of each continuation is never examined
   * (`range(len(x) − n)`), and `1 − p` is clamped at 1e-20, which the original's float32 hits exactly when
   * p rounds to 1 (the term is then 46.0517 with no gradient). Default false: every window counts, no
   * clamp.
   */
  ulCompat?: boolean;
  /** Write the gradient here (same type and length as `logits`) instead of allocating one. */
  gradOut?: FloatArray;
}

/** Result of {@link sequenceUnlikelihoodLoss}. */
export interface SequenceUnlikelihoodResult {
  /** Σ over marked tokens of −log(1 − p(token)) (divided by K·C with `reduction: 'mean'`). */
  loss: number;
  /** ∂loss/∂logits, K·C·V, same type as `logits`. */
  grad: FloatArray;
  /** 1 where a token belongs to a repeated n-gram (K·C). */
  mask: Uint8Array;
  /** Number of marked tokens (Σ mask). */
  repeatCount: number;
}

const KEYS = ['batch', 'length', 'vocabSize', 'n', 'reduction', 'ulCompat', 'gradOut'] as const;
const REDUCTIONS = ['sum', 'mean'] as const;
const terms: RowTerms = { mle: 0, ul: 0, clamped: 0 };
const none = new Int32Array(0);

/**
 * Sequence-level unlikelihood loss of continuations (K × C token ids) under the logits that produced
 * them (K × C × V: `logits[k][t]` is the model output that predicted `continuation[k][t]`):
 *
 * `loss = Σ_{k,t} mask[k][t] · −log(1 − p(x[k][t]))`, where mask marks every token of an n-gram window
 * that already occurred earlier in the same continuation, and its gradient with respect to the
 * logits. There is no MLE term (the paper alternates this loss with the token-level one).
 *
 * @example
 * ```ts
 * import { sequenceUnlikelihoodLoss } from 'degen-guard';
 * // the bigram (1, 2) repeats: tokens 2 and 3 are marked
 * const logits = new Float32Array(4 * 3).fill(0); // uniform: p = 1/3 everywhere
 * const r = sequenceUnlikelihoodLoss(logits, [1, 2, 1, 2], { vocabSize: 3, n: 2 });
 * r.mask; // → [0, 0, 1, 1]
 * r.loss; // → 0.81093
 * ```
 */
export function sequenceUnlikelihoodLoss(
  logits: FloatArray,
  continuation: ArrayLike<number>,
  options?: SequenceUnlikelihoodOptions,
): SequenceUnlikelihoodResult {
  checkOptionKeys('sequenceUnlikelihoodLoss options', options, KEYS);
  const o = options ?? {};
  const z = checkFloatArray('logits', logits);
  const x = checkIdArray('continuation', continuation);
  const [K, C, V] = resolveShape('logits', z.length, x.length, 'continuation', o, 'vocabSize', o.vocabSize);
  const n = checkInteger('n', o.n ?? 4, 1);
  const reduction = reductionOption(o.reduction, REDUCTIONS);
  const compat = !!o.ulCompat;
  checkIdsInVocab('continuation', x, V);
  const grad = gradBuffer(z, o.gradOut);
  const scale = reduction === 'mean' ? 1 / (K * C) : 1;
  const clampMin = compat ? 1e-20 : 0;
  const mask = new Uint8Array(K * C);
  const row = new Int32Array(C);
  const one = new Int32Array(1);
  let loss = 0;
  let repeatCount = 0;
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < C; t++) row[t] = x[k * C + t];
    mask.set(ngramRepeatMask(row, n, { ulCompat: compat }), k * C);
    for (let t = 0; t < C; t++) {
      const i = k * C + t;
      const off = i * V;
      if (!mask[i]) {
        // the original multiplies every position's term by its mask: a NaN row still makes the loss NaN
        if (compat && rowArgmax(z, off, V) < 0) {
          nanRow(grad, off, V, terms);
          loss = NaN;
        } else grad.fill(0, off, off + V);
        continue;
      }
      repeatCount++;
      const a = rowArgmax(z, off, V);
      one[0] = x[i];
      if (a < 0) nanRow(grad, off, V, terms);
      else unlikelihoodRow(z, off, V, a, x[i], 0, one, 1, -1, none, 0, scale, clampMin, compat, grad, terms);
      loss += terms.ul;
    }
  }
  return { loss: loss * scale, grad, mask, repeatCount };
}
