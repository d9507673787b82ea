/** Eta sampling (HF EtaLogitsWarper). */
import { gatherCells } from '../core/exp-blocks.js';
import { EXP_MOMENT_ABS_ERROR, expMoments, expTotalResult } from '../core/exp-total.js';
import { expNeg } from '../core/fast-exp.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../core/validate.js';
import type { WarperOptions } from './options.js';
import { CutoffScratch, errorBoundsFor, exactCutoff, fastCutoffFrom, keepFromOf, N_ERR, N_HI, N_KEEP, N_LO, N_MAX, N_SUM } from './warp-cutoff.js';
import { runWarper } from './warp-common.js';

/**
 * Entropy-adaptive epsilon sampling: removes the tokens with probability below
 * `eta = min(ε, √ε · exp(−H))`, H the entropy (nats) of the row's softmax, except every token ≥ the
 * `minTokensToKeep`-th largest logit, as HF (float32 arithmetic for eta). A row holding NaN or
 * +Infinity, or all `-Infinity`, is left unchanged. Hewitt et al. (2022) suggest 3e-4 to 4e-3.
 *
 * Cost: one pass over the row (max, softmax denominator and entropy together, float32-level exps),
 * a read of the blocks of 256 cells that can hold a survivor, and a fill; about one row in a hundred
 * (a cell too close to the line for those sums) takes the exact sums in two more passes. After a
 * truncation (pipeline `sparse`) the same over the candidates only, since the cells outside them
 * have probability 0 and add nothing to the entropy.
 *
 * @param epsilon in (0, 1).
 * @example
 * ```ts
 * import { etaCutoff } from 'degen-guard';
 *
 * // eta = min(0.1, 0.316·e^-0.99)
 * etaCutoff(0.1)(new Float32Array([2, 1, 0, -2])); // → [2, 1, -Infinity, -Infinity]
 * ```
 */
export function etaCutoff(epsilon: number, options: WarperOptions = {}): Processor {
  checkRange('etaCutoff epsilon', epsilon, 0, 1, 'both');
  checkOptionKeys('etaCutoff options', options, WARPER_OPTION_KEYS);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fe = Math.fround(epsilon);
  const sqrtE = Math.fround(Math.sqrt(fe));
  const st = new CutoffScratch();
  const sums = new Float64Array(2);
  const mom = expTotalResult();
  /** eta from the float32 entropy h (non-increasing in h) */
  const etaOf = (h: number): number => Math.min(fe, Math.fround(sqrtE * Math.fround(Math.exp(-h))));
  /** `num[i]` (a float32 entropy) replaced by its eta, in place: a number passed or returned would be boxed */
  const etaAt = (num: Float64Array, i: number): void => {
    num[i] = Math.min(fe, Math.fround(sqrtE * Math.fround(Math.exp(-num[i]))));
  };
  // H over the cells ids[0..n) (null: the whole row), then the cutoff; the cells outside are
  // -Infinity, of probability 0: the entropy over the candidates is the row's
  const run = (logits: Float32Array, ids: Int32Array | null, n: number, cands: Candidates | null): void => {
    expMoments(logits, ids, n, mom);
    const m = mom.max;
    if (!(m > -Infinity)) return;
    const num = st.num;
    num[N_KEEP] = mtk <= 1 ? m : keepFromOf(logits, ids, n, m, mtk, st);
    // the exact route's h = fround(ln S* − W*/S*) lies in [hLo, hHi]: |ln S − ln S*| ≤ 1.01·es and
    // |D/S − W*/S*| ≤ (|D − W*| + |W*|·es) / S (S ≥ 1)
    const s = mom.sum;
    const a = -mom.moment / s;
    const errs = errorBoundsFor(n, st);
    const es = errs[1];
    const hPre = Math.log(s) + a;
    const dh = 1.01 * es + 1.01 * a * (errs[2] + es) + 2 * n * EXP_MOMENT_ABS_ERROR + 1e-14 + 1e-15 * hPre;
    num[N_MAX] = m;
    num[N_SUM] = s;
    num[N_ERR] = es;
    num[N_LO] = Math.fround(hPre + dh);
    num[N_HI] = Math.fround(hPre - dh);
    etaAt(num, N_LO);
    etaAt(num, N_HI);
    if (fastCutoffFrom(logits, ids, n, filter, st, cands)) return;
    entropySums(ids === null ? logits : gatherCells(logits, ids, n), n, m, sums);
    const sx = sums[0];
    const h = Math.fround(Math.log(sx) - sums[1] / sx);
    exactCutoff(logits, ids, n, m, sx, etaOf(h), num[N_KEEP], filter, cands);
  };
  return runWarper(`etaCutoff(${epsilon})`, filter, run);
}

/**
 * S = Σ e_i and W = Σ e_i z_i over the cells v[0..n) (the row, or the candidates' cells gathered in
 * order: one loop reads one array by position), e_i = exp(z_i), z_i = fround(v_i − m), in one pass in
 * index order (H = log S − W / S), into `out` = [S, W].
 * A function of its own, with nothing after its loops: when a long first call had V8 compile the
 * loop on the fly, the code after it had no type feedback yet and was left on every later call
 * (a fresh process ran etaCutoff 1.5–1.7× slower).
 */
function entropySums(v: Float32Array, n: number, m: number, out: Float64Array): void {
  let s = 0;
  let w = 0;
  for (let j = 0; j < n; j++) {
    const z = Math.fround(v[j] - m);
    const e = expNeg(z);
    if (e > 0) {
      s += e;
      w += e * z;
    }
  }
  out[0] = s;
  out[1] = w;
}
