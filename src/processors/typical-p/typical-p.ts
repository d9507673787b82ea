/** Locally typical sampling (HF TypicalLogitsWarper). */
import { expNeg } from '../../core/fast-exp.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import type { Candidates, Processor } from '../../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../../core/validate.js';
import { weightedSelectF32, WeightedSelectScratch } from '../../core/weighted-select.js';
import type { WarperOptions } from '../options.js';
import { typicalBySort, SortScratch } from './sorted.js';
import { allCandidates, finiteMax, sortCandidates, warper } from '../warp-common.js';

/**
 * Keeps the tokens whose surprisal `−log p` is closest to the entropy H, in order of `|−log p − H|`,
 * until their mass reaches `mass` (the crossing token and every token tied with it kept), and the
 * first `minTokensToKeep` of that order. HF's float32 arithmetic is followed (log-softmax, `nansum`
 * entropy, float32 shifts). A row holding NaN or +Infinity, or all `-Infinity`, is left unchanged.
 *
 * Cost: O(n) expected in the number n of finite cells, no sort: the shift at which the mass crosses
 * `mass` is found by a weighted selection; after a truncation (pipeline `sparse`) only the survivors
 * are visited.
 *
 * @param mass in (0, 1).
 * @example
 * ```ts
 * import { typicalP } from 'degen-guard';
 *
 * typicalP(0.5)(new Float32Array([2, 1, 0, -2])); // → [2, -Infinity, -Infinity, -Infinity]
 * ```
 */
export function typicalP(mass: number, options: WarperOptions = {}): Processor {
  checkRange('typicalP mass', mass, 0, 1, 'both');
  checkOptionKeys('typicalP options', options, WARPER_OPTION_KEYS);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fm = Math.fround(mass);
  const st = new TypicalScratch();
  const run = (x: Float32Array, ids: Int32Array | null, n: number, out: Candidates | null): void => {
    if (typicalBySelect(x, ids, n, fm, mtk, filter, st, out) === UNDECIDED) {
      typicalBySort(x, ids, n, fm, mtk, filter, st.sort, out);
    }
  };
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    run(logits, null, logits.length, null);
    return logits;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      run(logits, null, logits.length, null);
      allCandidates(cands, logits.length);
      return;
    }
    const ids = sortCandidates(cands);
    run(logits, ids, cands.size, cands);
  };
  return warper(`typicalP(${mass})`, plain, { sparse });
}

/** Scratch buffers of one typicalP processor, grown once to the vocabulary size. */
export class TypicalScratch {
  /** finite cell ids, index order */
  ids: Int32Array = new Int32Array(0);
  /** fround(x − m), then the float32 log-softmax */
  z: Float32Array = new Float32Array(0);
  /** the shifts |−log p − H| */
  shift: Float32Array = new Float32Array(0);
  /** exp(x − m), then the float32 probabilities */
  w: Float64Array = new Float64Array(0);
  out = new Float64Array(4);
  bits = new Float32Array(1);
  bitsU = new Uint32Array(this.bits.buffer);
  select = new WeightedSelectScratch();
  sort = new SortScratch();

  grow(n: number): void {
    if (this.ids.length < n) {
      this.ids = new Int32Array(n);
      this.z = new Float32Array(n);
      this.shift = new Float32Array(n);
      this.w = new Float64Array(n);
    }
  }
}

/** {@link typicalBySelect} finished (the row is processed). */
export const DONE = 0;
/** {@link typicalBySelect} could not certify the float32 decision; the row is untouched. */
export const UNDECIDED = 1;

/** Relative margin that covers expNeg's error (< 2e-14) against Math.exp. */
const EXP_MARGIN = 1e-13;

/**
 * typicalP's rule without sorting, on the cells `ids0[0..n)` (ascending; null = the whole row), every
 * other cell being -Infinity; writes the finite survivors into `out` when given.
 *
 * Bit-identical to {@link typicalBySort}: the probabilities, log-softmax, entropy and shifts are the
 * same float32 numbers (computed in index order), and the crossing is found by a weighted selection on
 * (shift, probability). The sort-based rule accumulates the probabilities in double in sorted order and
 * rounds each partial sum to float32 before comparing with `mass`; the selection sums them in another
 * order, which differs by at most `n · 2⁻⁵²` relative. When a float32 decision at the crossing lies
 * within that margin (or the entropy is not finite), nothing is written and UNDECIDED is returned.
 *
 * @example
 * ```ts
 * import { TypicalScratch, typicalBySelect } from './typical-p.js';
 *
 * const x = new Float32Array([2, 1, 0, -2]);
 * typicalBySelect(x, null, 4, Math.fround(0.5), 1, -Infinity, new TypicalScratch(), null);
 * x; // → [2, -Infinity, -Infinity, -Infinity]
 * ```
 */
export function typicalBySelect(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  fm: number,
  mtk: number,
  f: number,
  st: TypicalScratch,
  out: Candidates | null,
): number {
  const m = finiteMax(x, ids0, n);
  if (!(m > -Infinity)) return DONE;
  const V = x.length;
  st.grow(n);
  const ids = st.ids;
  const z = st.z;
  const w = st.w;
  // finite cells in index order; e = exp(fround(x − m)), s = Σ e in index order
  let nF = 0;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const id = ids0 === null ? j : ids0[j];
    const v = x[id];
    if (v !== -Infinity) {
      const zi = Math.fround(v - m);
      const e = expNeg(zi);
      ids[nF] = id;
      z[nF] = zi;
      w[nF++] = e;
      s += e;
    }
  }
  // torch: normalized = log_softmax (sum rounded to float32), p = exp(normalized), ent = −nansum(normalized·p)
  const lse = Math.fround(Math.log(Math.fround(s)));
  // exp(nl) = e · exp(−lse) · exp(d), d = nl − (z − lse) the float32 rounding of nl (|d| ≤ 2⁻²⁴|nl|)
  const c = Math.exp(-lse);
  let ent = 0;
  for (let q = 0; q < nF; q++) {
    const zq = z[q];
    const nl = Math.fround(zq - lse);
    z[q] = nl;
    if (nl <= -104) {
      if (nl === -Infinity) ent = NaN; // −∞·0: the sort-based rule's NaN
      continue; // p = 0: the term is −0
    }
    const d = nl - (zq - lse);
    const y = w[q] * c * (1 + d * (1 + 0.5 * d));
    const p = Math.fround(y * (1 - EXP_MARGIN));
    // fround(Math.exp(nl)), which lies within the margin of y
    ent += Math.fround(nl * (p === Math.fround(y * (1 + EXP_MARGIN)) ? p : Math.fround(Math.exp(nl))));
  }
  const ent32 = Math.fround(-ent);
  if (!(ent32 < Infinity && ent32 > -Infinity)) return UNDECIDED;
  // keys: shift = |−nl − H|; weights: the float32 probabilities
  const shift = st.shift;
  for (let q = 0; q < nF; q++) {
    shift[q] = Math.abs(-z[q] - ent32);
    w[q] = Math.fround(w[q] / s);
  }
  // fround(cum) ≥ fm  ⇔  cum ≥ the midpoint between fm and the float32 below it (up to the tie)
  st.bits[0] = fm;
  st.bitsU[0] -= 1;
  const mid = (st.bits[0] + fm) / 2;
  const limit = weightedSelectF32(shift, w, nF, mid, st.select, st.out);
  const tol = (nF + 2) * 2.220446049250313e-16 * st.out[1];
  if (limit !== limit) {
    // the mass never reaches `mass`: nothing is removed
    return Math.fround(st.out[1] + tol) < fm ? DONE : UNDECIDED;
  }
  if (!(Math.fround(st.out[0] + tol) < fm && Math.fround(st.out[1] - tol) >= fm)) return UNDECIDED;
  // the survivors: shift ≤ limit; when fewer than minTokensToKeep, the first mtk of the order by
  // (shift, position): every shift below the mtk-th smallest, and the first ties with it
  let cut = limit;
  let ties = Infinity; // how many cells with shift === cut survive
  if (st.out[3] < mtk && mtk < nF) {
    cut = weightedSelectF32(shift, null, nF, mtk, st.select, st.out);
    ties = mtk - st.out[2];
  }
  const oids = out === null ? null : out.ids;
  let kept = 0;
  if (mtk >= nF) {
    kept = nF;
    if (oids !== null) for (let q = 0; q < nF; q++) oids[q] = ids[q];
  } else {
    for (let q = 0; q < nF; q++) {
      const sh = shift[q];
      if (sh > cut || (sh === cut && ties-- <= 0)) x[ids[q]] = f;
      else if (oids !== null) oids[kept++] = ids[q];
      else kept++;
    }
  }
  if (f !== -Infinity && nF < V) {
    // -Infinity cells have an infinite shift: removed (visible only with a finite filter value),
    // except the first ones in HF's order when minTokensToKeep exceeds the finite cells
    let exempt = mtk - nF;
    for (let i = 0; i < V; i++) {
      if (x[i] === -Infinity) {
        if (exempt > 0) exempt--;
        else x[i] = f;
      }
    }
  }
  if (out !== null) out.size = kept;
  return DONE;
}
