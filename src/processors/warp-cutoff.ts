/**
 * The shared core of epsilon and eta sampling: remove the cells whose float32 probability is below a
 * cutoff, except those ≥ the minTokensToKeep-th largest logit (ties all kept), as HF does.
 *
 * Two routes give the same row to the bit. The fast one ({@link fastCutoff}) works from the sum S of
 * one fused pass ({@link expTotal} / {@link expMoments}: float32-level exps, relative error bounded by
 * {@link expTotalErrorBound}): it finds the cells at or above the line by block bounds, decides every
 * cell the error cannot flip, and gives up when one lies too close to the line. The exact one
 * ({@link exactCutoff}) decides `fround(expNeg(z) / S*) < cutoff` with S* = Σ expNeg(fround(x − max))
 * summed in index order; it runs when the fast one gives up (on LM rows, about one in a thousand for
 * epsilon, one in a hundred for eta).
 */
import { gatherCells } from '../core/exp-blocks.js';
import { expNeg } from '../core/fast-exp.js';
import { expMomentErrorBound, expTotalErrorBound, indicesAtLeastAfterTotal } from '../core/exp-total.js';
import { kthLargest } from '../core/select.js';
import type { Candidates } from '../core/types.js';
import { growF32, growI32 } from './warp-common.js';

/** Scratch of one cutoff warper. */
export class CutoffScratch {
  select: Float32Array = new Float32Array(0);
  /** the candidates' values (the mtk-th largest on the sparse path; the survivors' on the fast route) */
  vals: Float32Array = new Float32Array(0);
  /** the fast route's survivors */
  keep: Int32Array = new Int32Array(0);
  /**
   * The numbers a call hands {@link fastCutoffFrom} (indices N_MAX … N_KEEP): doubles passed to a
   * function that is not inlined are boxed, a new heap number each.
   */
  num: Float64Array = new Float64Array(6);
  /** the cut handed to indicesAtLeastAfterTotal */
  cutIn: Float64Array = new Float64Array(1);
  /** the cell count the error bounds below are for, then expTotalErrorBound and expMomentErrorBound of it */
  errs: Float64Array = Float64Array.of(-1, 0, 0);
}

/** Indices of `CutoffScratch.num`: the max, the softmax sum, its relative error bound, the cutoff's two ends, the keep-from value. */
export const N_MAX = 0;
export const N_SUM = 1;
export const N_ERR = 2;
export const N_LO = 3;
export const N_HI = 4;
export const N_KEEP = 5;

/** Distance in logit space from the cutoff line beyond which float32 rounding cannot flip the test. */
const MARGIN = 1e-5;

/**
 * The value from which every cell is kept whatever its probability: the mtk-th largest of the cells
 * `ids[0..n)` (null: the whole row; every other cell -Infinity), `m` (the max) when mtk is 1.
 */
export function keepFromOf(x: Float32Array, ids: Int32Array | null, n: number, m: number, mtk: number, st: CutoffScratch): number {
  if (mtk <= 1) return m;
  const k = Math.min(mtk, x.length);
  st.select = growF32(st.select, n);
  if (ids === null) return kthLargest(x, k, st.select, n);
  if (k > n) return -Infinity;
  st.vals = growF32(st.vals, n);
  const vals = st.vals;
  for (let j = 0; j < n; j++) vals[j] = x[ids[j]];
  return kthLargest(vals, k, st.select, n);
}

/**
 * Masks with `f` every cell with `fround(expNeg(fround(x − m)) / s) < cutoff` that is below `keepFrom`.
 * `m` is the row max and `s` the softmax denominator (Σ expNeg in index order). The cells are
 * `ids[0..n)` (every other cell -Infinity; then `f` must be -Infinity and the survivors are written
 * back into `cands`), or the whole row when `ids` is null (n = its length). One loop serves both: it
 * masks the row in place, or the candidates' cells gathered first ({@link gatherCells}), which are
 * then written back (a per-cell choice between the row and the ids made V8 compile the loop slower).
 */
export function exactCutoff(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  m: number,
  s: number,
  cutoff: number,
  keepFrom: number,
  f: number,
  cands: Candidates | null,
): void {
  // p < cutoff  ⇔  z < ln(cutoff · s), up to float32 rounding near the line
  const line = Math.log(cutoff * s);
  const lo = cutoff < 1e-30 ? -Infinity : line - MARGIN;
  const hi = cutoff < 1e-30 ? Infinity : line + MARGIN;
  const v = ids === null ? x : gatherCells(x, ids, n);
  for (let j = 0; j < n; j++) {
    const y = v[j];
    if (y >= keepFrom) continue;
    const z = Math.fround(y - m);
    if (z < lo || (z < hi && Math.fround(expNeg(z) / s) < cutoff)) v[j] = f;
  }
  if (ids === null) return;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const y = v[j];
    x[ids[j]] = y;
    if (y !== -Infinity) ids[c++] = ids[j];
  }
  if (cands !== null) cands.size = c;
}

/**
 * The fast route: leaves the row {@link exactCutoff} would leave with the exact sum S* and a cutoff
 * in [cutLo, cutHi], given `s` with |s / S* − 1| ≤ `err` — or, when a cell lies too close to the line
 * for `s` to decide it, returns false with the row untouched. Right after a dense {@link expTotal} or
 * {@link expMoments} of the row, the blocks whose bound lies below the line are not read.
 *
 * A cell decided here is decided alike for every S in s·[1 − err, 1 + err] and every cutoff in
 * [cutLo, cutHi]: below ln(cutLo·s) − MARGIN − 2·err it is masked, above ln(cutHi·s) + MARGIN + 2·err
 * kept (as the exact route's lo/hi tests), in between by `fround(q·(1 ± 2·err))` against the cutoffs.
 */
export function fastCutoff(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  m: number,
  s: number,
  err: number,
  cutLo: number,
  cutHi: number,
  keepFrom: number,
  f: number,
  st: CutoffScratch,
  cands: Candidates | null,
): boolean {
  const num = st.num;
  num[N_MAX] = m;
  num[N_SUM] = s;
  num[N_ERR] = err;
  num[N_LO] = cutLo;
  num[N_HI] = cutHi;
  num[N_KEEP] = keepFrom;
  return fastCutoffFrom(x, ids, n, f, st, cands);
}

/** {@link fastCutoff} with its numbers read from `st.num` (what the processors call: nothing boxed). */
export function fastCutoffFrom(x: Float32Array, ids: Int32Array | null, n: number, f: number, st: CutoffScratch, cands: Candidates | null): boolean {
  const num = st.num;
  const m = num[N_MAX];
  const s = num[N_SUM];
  const err = num[N_ERR];
  const cutLo = num[N_LO];
  const cutHi = num[N_HI];
  const keepFrom = num[N_KEEP];
  if (!(cutLo >= 1e-30)) return false;
  const lo = Math.log(cutLo * s) - MARGIN - 2 * err;
  const hi = Math.log(cutHi * s) + MARGIN + 2 * err;
  // every cell below it has fround(x − m) < lo (the slack covers the float32 rounding of x − m)
  const cut = Math.min(keepFrom, m + lo - 1e-3);
  st.keep = growI32(st.keep, n);
  const keep = st.keep;
  let g = 0;
  st.cutIn[0] = cut;
  if (ids === null) g = indicesAtLeastAfterTotal(x, n, st.cutIn, keep);
  else {
    for (let j = 0; j < n; j++) {
      const id = ids[j];
      if (x[id] >= cut) keep[g++] = id;
    }
  }
  const up = 1 + 2 * err;
  const down = 1 - 2 * err;
  let c = 0;
  for (let j = 0; j < g; j++) {
    const id = keep[j];
    const v = x[id];
    if (!(v >= keepFrom)) {
      const z = Math.fround(v - m);
      if (z < lo) continue;
      if (z < hi) {
        const q = expNeg(z) / s;
        if (Math.fround(q * up) < cutLo) continue;
        if (!(Math.fround(q * down) >= cutHi)) return false;
      }
    }
    keep[c++] = id;
  }
  writeSurvivors(x, ids, n, c, f, st, cands);
  return true;
}

/** Brings `st.errs` to n cells (the bounds are computed again only when n changes). */
export function errorBoundsFor(n: number, st: CutoffScratch): Float64Array {
  const e = st.errs;
  if (e[0] !== n) {
    e[0] = n;
    e[1] = expTotalErrorBound(n);
    e[2] = expMomentErrorBound(n);
  }
  return e;
}

/** Fills the cells with `f` but the `c` survivors of `st.keep` (ascending); on candidates, compacts them. */
function writeSurvivors(x: Float32Array, ids: Int32Array | null, n: number, c: number, f: number, st: CutoffScratch, cands: Candidates | null): void {
  const keep = st.keep;
  st.vals = growF32(st.vals, c);
  const vals = st.vals;
  for (let j = 0; j < c; j++) vals[j] = x[keep[j]];
  if (ids === null) x.fill(f, 0, n);
  else for (let j = 0; j < n; j++) x[ids[j]] = f;
  for (let j = 0; j < c; j++) x[keep[j]] = vals[j];
  if (ids === null || cands === null) return;
  let k = 0;
  for (let j = 0; j < c; j++) if (vals[j] !== -Infinity) ids[k++] = keep[j];
  cands.size = k;
}
