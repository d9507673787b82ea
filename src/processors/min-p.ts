/** Min-p truncation (HF MinPLogitsWarper). */
import { expNeg, sumExpNeg } from '../core/fast-exp.js';
import { kthLargest } from '../core/select.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../core/validate.js';
import type { WarperOptions } from './options.js';
import { allCandidates, finiteMax, growF32, growI32, sortCandidates, warper } from './warp-common.js';

/**
 * Removes the tokens whose probability is below `p` times the probability of the most likely token
 * (`prob < fround(p) · max prob`, in float32 as HF), then re-admits the `minTokensToKeep` most likely
 * (ties by lower id). `p = 0` is a no-op; `p = 1` keeps the tokens tied with the max. A row holding
 * NaN or +Infinity, or all `-Infinity`, is left unchanged.
 *
 * Cheap: the test is made in logit space (`x − max < ln p`); only cells within 1e-5 of that line need
 * the softmax denominator, which is then computed once.
 *
 * @param p in [0, 1].
 * @example
 * ```ts
 * import { minP } from 'degen-guard';
 *
 * // e^-2 < 0.3
 * minP(0.3)(new Float32Array([3, 2, 1, 0])); // → [3, 2, -Infinity, -Infinity]
 * ```
 */
export function minP(p: number, options: WarperOptions = {}): Processor {
  checkRange('minP p', p, 0, 1);
  checkOptionKeys('minP options', options, WARPER_OPTION_KEYS);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fp = Math.fround(p);
  const st = new MinPScratch();
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    minPRun(logits, null, logits.length, fp, mtk, filter, st, null);
    return logits;
  };
  const truncate = (logits: Float32Array, cands: Candidates): boolean => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      minPRun(logits, null, logits.length, fp, mtk, filter, st, null);
      return false;
    }
    minPRun(logits, null, logits.length, fp, mtk, filter, st, cands);
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      minPRun(logits, null, logits.length, fp, mtk, filter, st, null);
      allCandidates(cands, logits.length);
      return;
    }
    const ids = sortCandidates(cands);
    minPRun(logits, ids, cands.size, fp, mtk, filter, st, cands);
  };
  return warper(`minP(${p})`, plain, { truncate, sparse });
}

class MinPScratch {
  ids: Int32Array = new Int32Array(0);
  near: Int32Array = new Int32Array(0);
  backup: Float32Array = new Float32Array(0);
  select: Float32Array = new Float32Array(0);
  vals: Float32Array = new Float32Array(0);
}

/** Minimum distance in logit space from ln(p) at which the float32 test cannot go the other way. */
const MARGIN = 1e-5;

/**
 * min-p over the cells ids[0..n) (null: the whole row). With `out`, writes the survivors into it
 * (`out.ids` may be `ids`). Every cell outside ids is -Infinity.
 */
function minPRun(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  fp: number,
  mtk: number,
  f: number,
  st: MinPScratch,
  out: Candidates | null,
): void {
  const m = finiteMax(x, ids, n);
  if (!(m > -Infinity) || fp === 0) {
    // NaN / +Infinity / all -Infinity rows, and p = 0: nothing is removed
    if (out && ids === null) allCandidates(out, x.length);
    return;
  }
  const lnP = Math.log(fp);
  const tiny = fp < 1e-20; // c might be subnormal: decide every cell exactly
  const lo = tiny ? -Infinity : lnP - MARGIN;
  const hi = tiny ? Infinity : lnP + MARGIN;
  st.near = growI32(st.near, n);
  st.backup = growF32(st.backup, n);
  if (ids !== null) {
    // out.ids may be ids itself: work on a copy of the candidate list
    st.ids = growI32(st.ids, n);
    const copy = st.ids;
    for (let j = 0; j < n; j++) copy[j] = ids[j]; // no subarray view: nothing allocated per call
    ids = copy;
  }
  const near = st.near;
  const backup = st.backup;
  // original values, in the order of the cells (index order: sparse ids come sorted)
  if (ids === null) backup.set(x); // n === x.length on the dense path
  else for (let j = 0; j < n; j++) backup[j] = x[ids[j]];
  let nn = 0;
  let kept = 0;
  const oids = out ? out.ids : null;
  for (let j = 0; j < n; j++) {
    const id = ids === null ? j : ids[j];
    const z = Math.fround(backup[j] - m);
    if (z < lo) x[id] = f;
    else if (z >= hi) {
      if (oids) oids[kept] = id;
      kept++;
    } else near[nn++] = j;
  }
  if (nn > 0) {
    // p_i = fround(e_i / S), max prob = fround(1 / S): the exact float32 test needs S, once
    const s = sumExpNeg(backup, m, null, n);
    const c = Math.fround(fp * Math.fround(1 / s));
    for (let q = 0; q < nn; q++) {
      const j = near[q];
      const id = ids === null ? j : ids[j];
      const pr = Math.fround(expNeg(Math.fround(backup[j] - m)) / s);
      if (pr < c) x[id] = f;
      else {
        if (oids) oids[kept] = id;
        kept++;
      }
    }
  }
  if (kept < mtk) kept = keepTop(x, ids, n, mtk, f, backup, st, oids);
  if (out) out.size = kept;
}

/** Keeps exactly the mtk largest cells (ties by lower id), restoring them from the backup. */
function keepTop(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  mtk: number,
  f: number,
  backup: Float32Array,
  st: MinPScratch,
  oids: Int32Array | null,
): number {
  const k = Math.min(mtk, n);
  st.select = growF32(st.select, n);
  const t = kthLargest(backup, k, st.select, n);
  let above = 0;
  for (let j = 0; j < n; j++) if (backup[j] > t) above++;
  let ties = k - above;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const id = ids === null ? j : ids[j];
    const v = backup[j];
    if (v > t || (v === t && ties-- > 0)) {
      x[id] = v;
      if (oids) oids[c] = id;
      c++;
    } else x[id] = f;
  }
  return c;
}
