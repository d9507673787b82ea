/**
 * The shared core of epsilon and eta sampling: remove the cells whose float32 probability is below a
 * cutoff, except those ≥ the minTokensToKeep-th largest logit (ties all kept), as HF does.
 */
import { expNeg } from '../core/fast-exp.js';
import { kthLargest } from '../core/select.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkLogits } from '../core/validate.js';
import { allCandidates, growF32, sortCandidates, warper } from './warp-common.js';

/** Scratch of one cutoff warper. */
export class CutoffScratch {
  select: Float32Array = new Float32Array(0);
  /** the candidates' values, for the mtk-th largest on the sparse path */
  vals: Float32Array = new Float32Array(0);
}

/** Distance in logit space from the cutoff line beyond which float32 rounding cannot flip the test. */
const MARGIN = 1e-5;

/**
 * Masks with `f` every cell with `fround(exp(fround(x − m)) / s) < cutoff` that is below the mtk-th
 * largest value of the row. `m` is the row max and `s` the softmax denominator (Σ expNeg in index
 * order). The cells are `ids[0..n)` (every other cell -Infinity; then `f` must be -Infinity and the
 * survivors are written back into `cands`), or the whole row when `ids` is null (n = its length).
 */
export function applyCutoff(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  m: number,
  s: number,
  cutoff: number,
  mtk: number,
  f: number,
  st: CutoffScratch,
  cands: Candidates | null,
): void {
  const V = x.length;
  let keepFrom = m;
  if (mtk > 1) {
    // the mtk-th largest of the row; outside ids every cell is -Infinity
    const k = Math.min(mtk, V);
    st.select = growF32(st.select, n);
    if (ids === null) keepFrom = kthLargest(x, k, st.select, n);
    else if (k > n) keepFrom = -Infinity;
    else {
      st.vals = growF32(st.vals, n);
      const vals = st.vals;
      for (let j = 0; j < n; j++) vals[j] = x[ids[j]];
      keepFrom = kthLargest(vals, k, st.select, n);
    }
  }
  // p < cutoff  ⇔  z < ln(cutoff · s), up to float32 rounding near the line
  const line = Math.log(cutoff * s);
  const lo = cutoff < 1e-30 ? -Infinity : line - MARGIN;
  const hi = cutoff < 1e-30 ? Infinity : line + MARGIN;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const id = ids === null ? j : ids[j];
    const v = x[id];
    if (v >= keepFrom) {
      if (ids !== null && v !== -Infinity) ids[c++] = id;
      continue;
    }
    const z = Math.fround(v - m);
    if (z < lo || (z < hi && Math.fround(expNeg(z) / s) < cutoff)) x[id] = f;
    else if (ids !== null) ids[c++] = id;
  }
  if (cands !== null) cands.size = c;
}

/**
 * A cutoff warper from `run(logits, ids, n, cands)`, which works over the cells `ids[0..n)` (null: the
 * whole row, n its length; every other cell -Infinity) and ends with {@link applyCutoff}. The sparse
 * path hands it the candidates sorted ascending (sums in index order, as the dense path's); with a
 * finite filter value it runs dense and returns every id.
 */
export function cutoffWarper(
  label: string,
  filter: number,
  run: (logits: Float32Array, ids: Int32Array | null, n: number, cands: Candidates | null) => void,
): Processor {
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    run(logits, null, logits.length, null);
    return logits;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    if (filter !== -Infinity) {
      plain(logits);
      allCandidates(cands, logits.length);
      return;
    }
    checkLogits(logits);
    run(logits, sortCandidates(cands), cands.size, cands);
  };
  return warper(label, plain, { sparse });
}
