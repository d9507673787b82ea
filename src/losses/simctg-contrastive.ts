/**
 * SimCTG's token-level contrastive loss (Su et al. 2022, "A Contrastive Framework for Neural Text
 * Generation"): the training half of contrastive search. It pushes the hidden states of different
 * positions of a sequence apart until their cosine similarity is at least a margin ρ below 1.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkFinite, checkInteger } from '../core/validate.js';
import { checkFloatArray, checkIdArray, gradBuffer, reductionOption, resolveShape, type FloatArray } from './loss-input.js';

/** Options of {@link simctgContrastiveLoss}. */
export interface SimctgContrastiveOptions {
  /** Sequences in the batch B (default 1). */
  batch?: number;
  /** Positions per sequence T (default: from `mask` / `inputIds`, or hidden.length / (batch·hiddenSize)). */
  length?: number;
  /** Size of a hidden state D (default: hidden.length / (batch·length)). */
  hiddenSize?: number;
  /** Margin ρ ≥ 0 (default 0.5, the paper's). */
  margin?: number;
  /** 1 for a real token, 0 for padding (B·T); or give `inputIds` and `padTokenId`. Default: all real. */
  mask?: ArrayLike<number | boolean>;
  /** Token ids (B·T): positions holding `padTokenId` are padding. */
  inputIds?: ArrayLike<number>;
  /** The padding id of `inputIds`. */
  padTokenId?: number;
  /** Pairs (i, j) with both i, j < prefixLen are left out (document generation's `prefix_len`; default 0). */
  prefixLen?: number;
  /**
   * `'pairs'` (default): Σ over valid pairs ÷ their number, pooled over the batch (the
   * document-generation code). `'meanAll'`: the mean over all B·T·T entries, diagonal and padding
   * included, no mask (the pretraining script): the diagonal adds ρ/T.
   */
  reduction?: 'pairs' | 'meanAll';
  /**
   * Reproduce SimCTG's code exactly: no epsilon in the norm (a zero or non-finite hidden vector makes the
   * loss NaN and its whole sequence's gradient NaN), the self-similarity as computed (not exactly 1),
   * pairs over the first (number of real tokens) positions of each row with padding dropped as anchors
   * only, and 0/0 = NaN when no pair is valid. Default false: the paper's definition.
   */
  simctgCompat?: boolean;
  /** Write the gradient here (same type and length as `hidden`) instead of allocating one. */
  gradOut?: FloatArray;
}

/** Result of {@link simctgContrastiveLoss}. */
export interface SimctgContrastiveResult {
  loss: number;
  /** ∂loss/∂hidden, B·T·D, same type as `hidden`. */
  grad: FloatArray;
  /** The denominator: valid pairs (`'pairs'`) or B·T·T (`'meanAll'`). */
  pairCount: number;
}

const KEYS = ['batch', 'length', 'hiddenSize', 'margin', 'mask', 'inputIds', 'padTokenId', 'prefixLen', 'reduction', 'simctgCompat', 'gradOut'] as const;
const REDUCTIONS = ['pairs', 'meanAll'] as const;

let unit = new Float64Array(256); // normalised vectors of one sequence (T·D)
let norms = new Float64Array(16);
let sims = new Float64Array(256); // T·T cosine similarities, then ∂L/∂s
let gunit = new Float64Array(256); // ∂L/∂n (T·D)
let real = new Uint8Array(16);

function grow(T: number, D: number): void {
  if (unit.length < T * D) {
    unit = new Float64Array(T * D);
    gunit = new Float64Array(T * D);
  }
  if (sims.length < T * T) sims = new Float64Array(T * T);
  if (norms.length < T) {
    norms = new Float64Array(T);
    real = new Uint8Array(T);
  }
}

/** ‖x[off .. off + D)‖, rescaled by the largest |x_d| when the plain sum of squares under- or overflows. */
function norm(x: FloatArray, off: number, D: number): number {
  let ss = 0;
  for (let d = 0; d < D; d++) ss += x[off + d] * x[off + d];
  if (ss > 1e-280 && ss < 1e280) return Math.sqrt(ss);
  let big = 0;
  for (let d = 0; d < D; d++) big = Math.max(big, Math.abs(x[off + d]));
  if (big === 0 || !(big < Infinity)) return ss === ss ? Math.sqrt(ss) : NaN;
  ss = 0;
  for (let d = 0; d < D; d++) ss += (x[off + d] / big) ** 2;
  return big * Math.sqrt(ss);
}

function realMask(o: SimctgContrastiveOptions, N: number): ArrayLike<number | boolean> | null {
  if (o.mask !== undefined && o.inputIds !== undefined) throw new TypeError('give either mask or inputIds (with padTokenId), not both');
  if (o.mask !== undefined) {
    const m = o.mask as unknown;
    if (m == null || typeof m !== 'object' || typeof (m as ArrayLike<unknown>).length !== 'number') {
      throw new TypeError(`mask must be an array of 0/1 (or booleans), got ${String(m)}`);
    }
    const mk = m as ArrayLike<number | boolean>;
    if (mk.length !== N) throw new RangeError(`mask has length ${mk.length}, expected batch · length = ${N}`);
    for (let i = 0; i < N; i++) {
      const v = mk[i];
      if (v !== 0 && v !== 1 && v !== true && v !== false) throw new RangeError(`mask[${i}] must be 0 or 1, got ${String(v)}`);
    }
    return mk;
  }
  if (o.inputIds !== undefined) {
    const ids = checkIdArray('inputIds', o.inputIds);
    if (ids.length !== N) throw new RangeError(`inputIds has length ${ids.length}, expected batch · length = ${N}`);
    if (o.padTokenId === undefined) throw new TypeError('padTokenId is required with inputIds');
    const pad = checkInteger('padTokenId', o.padTokenId);
    const m = new Uint8Array(N);
    for (let i = 0; i < N; i++) m[i] = ids[i] === pad ? 0 : 1;
    return m;
  }
  if (o.padTokenId !== undefined) throw new TypeError('padTokenId needs inputIds');
  return null;
}

/**
 * SimCTG's contrastive loss of hidden states (B × T × D, row-major) and its gradient:
 *
 * `L = Σ_b Σ_{i≠j valid} max(0, ρ − s(h_i, h_i) + s(h_i, h_j)) / Σ_b |x_b|(|x_b| − 1)`,
 * with s the cosine similarity (s(h, h) = 1), pooled over the batch. A zero hidden vector has
 * similarity 0 with every other and gets a zero gradient (the cosine is not differentiable there);
 * with no valid pair the loss is 0. `simctgCompat: true` reproduces the original code, NaNs included.
 *
 * @example
 * ```ts
 * import { simctgContrastiveLoss } from 'degen-guard';
 * // two identical states and an orthogonal one: only the identical pair (both ways) costs ρ
 * const hidden = Float32Array.from([1, 0, 1, 0, 0, 1]);
 * const { loss, pairCount } = simctgContrastiveLoss(hidden, { hiddenSize: 2, margin: 0.5 });
 * pairCount; // → 6
 * loss; // → 0.16667
 * ```
 */
export function simctgContrastiveLoss(hidden: FloatArray, options?: SimctgContrastiveOptions): SimctgContrastiveResult {
  checkOptionKeys('simctgContrastiveLoss options', options, KEYS);
  const o = options ?? {};
  const h = checkFloatArray('hidden', hidden);
  const rows = o.mask !== undefined ? (o.mask as ArrayLike<unknown>)?.length : o.inputIds !== undefined ? (o.inputIds as ArrayLike<unknown>)?.length : undefined;
  const [B, T, D] = resolveShape('hidden', h.length, typeof rows === 'number' ? rows : undefined, o.mask !== undefined ? 'mask' : 'inputIds', o, 'hiddenSize', o.hiddenSize);
  const rho = checkFinite('margin', o.margin ?? 0.5);
  if (rho < 0) throw new RangeError(`margin must be ≥ 0, got ${rho}`);
  const reduction = reductionOption(o.reduction, REDUCTIONS);
  const q = checkInteger('prefixLen', o.prefixLen ?? 0, 0);
  const compat = !!o.simctgCompat;
  const mk = realMask(o, B * T);
  const grad = gradBuffer(h, o.gradOut);
  grow(T, D);
  const meanAll = reduction === 'meanAll';

  // Pass 1: the denominator (pooled over the batch).
  let den = 0;
  if (meanAll) den = B * T * T;
  else {
    for (let b = 0; b < B; b++) {
      let L = 0;
      if (mk) for (let i = 0; i < T; i++) L += mk[b * T + i] ? 1 : 0;
      else L = T;
      const qb = Math.min(q, L);
      if (compat || !mk) den += L * (L - 1) - qb * (qb - 1);
      else {
        // the real positions among the first q
        let inPrefix = 0;
        for (let i = 0; i < Math.min(q, T); i++) inPrefix += mk[b * T + i] ? 1 : 0;
        den += L * (L - 1) - inPrefix * (inPrefix - 1);
      }
    }
  }
  const noPairs = den === 0;
  if (noPairs && !compat) {
    grad.fill(0);
    return { loss: 0, grad, pairCount: 0 };
  }
  const invDen = noPairs ? 0 : 1 / den;
  let total = 0;

  for (let b = 0; b < B; b++) {
    const base = b * T * D;
    // which positions are anchors (rows) and which pairs count
    let L = 0;
    for (let i = 0; i < T; i++) {
      const r = meanAll ? 1 : mk ? (mk[b * T + i] ? 1 : 0) : 1;
      real[i] = r;
      L += r;
    }
    // normalise
    let broken = false; // compat: a zero or non-finite vector makes the sequence NaN
    for (let i = 0; i < T; i++) {
      const nu = norm(h, base + i * D, D);
      norms[i] = nu;
      const inv = nu > 0 && nu < Infinity ? 1 / nu : 0;
      if (!(nu > 0 && nu < Infinity)) {
        if (compat || nu !== 0) broken = true; // NaN / Infinity entries: NaN in either mode
      }
      for (let d = 0; d < D; d++) unit[i * D + d] = h[base + i * D + d] * inv;
    }
    if (broken) {
      total = NaN;
      grad.fill(NaN, base, base + T * D);
      continue;
    }
    // similarities
    for (let i = 0; i < T; i++) {
      for (let j = i; j < T; j++) {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += unit[i * D + d] * unit[j * D + d];
        sims[i * T + j] = dot;
        sims[j * T + i] = dot;
      }
    }
    // hinge terms; a positive one adds its weight to ∂L/∂s_ij, i.e. n_j to ∂L/∂n_i and n_i to ∂L/∂n_j
    // (the self-similarity's share, along n_i, is removed exactly by the projection below)
    const selfSim = (i: number) => (compat ? sims[i * T + i] : 1);
    if (noPairs) {
      // compat, 0/0: the loss is NaN and every position touching a positive hinge term gets NaN
      for (let i = 0; i < T; i++) norms[i] = 0;
      for (let i = 0; i < T; i++) {
        const sii = selfSim(i);
        for (let j = 0; j < T; j++) {
          const A = rho - sii + (i === j ? sii : sims[i * T + j]);
          if (A > 0) {
            norms[i] = NaN;
            norms[j] = NaN;
          }
        }
      }
      for (let i = 0; i < T; i++) grad.fill(Number.isNaN(norms[i]) ? NaN : 0, base + i * D, base + (i + 1) * D);
      total = NaN;
      continue;
    }
    const G = gunit;
    G.fill(0, 0, T * D);
    for (let i = 0; i < T; i++) {
      const sii = selfSim(i);
      if (meanAll) total += Math.max(0, rho - sii + sii); // the diagonal entry: relu(ρ)
      if (!real[i]) continue;
      for (let j = 0; j < T; j++) {
        if (j === i) continue;
        if (!meanAll) {
          if (compat ? j >= L || i >= L : !real[j]) continue;
          if (i < q && j < q) continue;
        }
        const A = rho - sii + sims[i * T + j];
        if (A > 0) {
          total += A;
          // ∂L/∂n_i += n_j/den and ∂L/∂n_j += n_i/den (s_ij = n_i·n_j)
          for (let d = 0; d < D; d++) {
            G[i * D + d] += unit[j * D + d] * invDen;
            G[j * D + d] += unit[i * D + d] * invDen;
          }
        }
      }
    }
    // ∂L/∂h_i = (g_i − (g_i·n_i) n_i) / ‖h_i‖
    for (let i = 0; i < T; i++) {
      const nu = norms[i];
      const gi = base + i * D;
      if (!(nu > 0)) {
        grad.fill(0, gi, gi + D);
        continue;
      }
      let dot = 0;
      for (let d = 0; d < D; d++) dot += G[i * D + d] * unit[i * D + d];
      for (let d = 0; d < D; d++) grad[gi + d] = (G[i * D + d] - dot * unit[i * D + d]) / nu;
    }
  }
  return { loss: total * invDen + (noPairs ? NaN : 0), grad, pairCount: den };
}
