/** Min-p truncation (HF MinPLogitsWarper). */
import { gatherCells } from '../core/exp-blocks.js';
import { expNeg, sumExpNeg } from '../core/fast-exp.js';
import { kth, kthLargestTies } from '../core/select.js';
import { checkOptionKeys } from '../core/option-keys.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../core/validate.js';
import type { WarperOptions } from './options.js';
import { allCandidates, growF32, growI32, sortCandidates, survivorPaths, warper } from './warp-common.js';

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
    minPRun(logits, null, logits.length, fp, mtk, filter, st, cands);
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    const ids = sortCandidates(cands);
    minPRun(logits, ids, cands.size, fp, mtk, filter, st, cands);
  };
  return warper(`minP(${p})`, plain, survivorPaths(filter, { truncate, sparse }));
}

class MinPScratch {
  near: Int32Array = new Int32Array(0);
  select: Float32Array = new Float32Array(0);
}

/** Minimum distance in logit space from ln(p) at which the float32 test cannot go the other way. */
const MARGIN = 1e-5;

/**
 * A value below every x with `fround(x − m') ≥ lo` for any max m' ≥ m (`lo` < 0): the margin is far
 * wider than the float32 and double roundings of the test. -Infinity while m is.
 */
function collectCut(m: number, lo: number): number {
  return m + lo - 1e-6 * (1 + Math.abs(m) + Math.abs(lo));
}

/**
 * min-p over the cells ids[0..n) (null: the whole row). With `out`, writes the survivors into it
 * (`out.ids` may be `ids`). Every cell outside ids is -Infinity.
 *
 * One read-only pass finds the max and lists the cells within |ln p| (and a margin) of the running
 * max: every survivor is among them. Their test `x − max < ln p` is decided in logit space, except
 * for cells within 1e-5 of the line, which need the softmax denominator S (then computed once, from
 * the untouched row). Nothing is written before every survivor is known: then one pass sets the
 * other cells to the filter value. The candidates' cells are gathered first, so that the passes read
 * one array by position on both paths (a per-cell choice between the row and the ids made V8 compile
 * the dense pass slower).
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
  if (fp === 0) {
    // p = 0: nothing is removed
    if (out && ids === null) allCandidates(out, x.length);
    return;
  }
  const vals = ids === null ? x : gatherCells(x, ids, n); // the cells in position order
  const lnP = Math.log(fp);
  const tiny = fp < 1e-20; // c might be subnormal: decide every cell exactly
  const lo = tiny ? -Infinity : lnP - MARGIN;
  const hi = tiny ? Infinity : lnP + MARGIN;
  st.near = growI32(st.near, n);
  const near = st.near;
  const nc = scanNear(vals, n, lo, near);
  const m = scanMax;
  if (!(m > -Infinity)) {
    // NaN / +Infinity / all -Infinity rows: nothing is removed
    if (out && ids === null) allCandidates(out, x.length);
    return;
  }
  // decided in logit space: below the band out, above it kept; the band's cells stay listed
  let kept = 0;
  let band = 0;
  for (let q = 0; q < nc; q++) {
    const j = near[q];
    const z = Math.fround(vals[j] - m);
    if (z < lo) continue;
    if (z < hi) band++;
    near[kept++] = j;
  }
  if (band > 0) {
    // p_i = fround(e_i / S), max prob = fround(1 / S): the exact float32 test needs S, once
    const s = sumExpNeg(vals, m, null, n);
    const c = Math.fround(fp * Math.fround(1 / s));
    let k = 0;
    for (let q = 0; q < kept; q++) {
      const j = near[q];
      const z = Math.fround(vals[j] - m);
      if (z < hi && Math.fround(expNeg(z) / s) < c) continue;
      near[k++] = j;
    }
    kept = k;
  }
  // out.ids may be ids: each pass below reads position j before it writes any position ≤ j
  const oids = out ? out.ids : null;
  if (kept < mtk) kept = keepTop(x, ids, vals, n, mtk, f, st, oids);
  else {
    maskAllBut(x, ids, n, near, kept, f);
    if (oids === null) {
      // nothing to list
    } else if (ids === null) for (let q = 0; q < kept; q++) oids[q] = near[q];
    else for (let q = 0; q < kept; q++) oids[q] = ids[near[q]];
  }
  if (out) out.size = kept;
}

/** The max of {@link scanNear}'s cells (NaN when one is NaN or +Infinity). */
let scanMax = 0;

/**
 * The max of `v[0..n)` into {@link scanMax}, and the positions j whose cell is at least the running
 * max's cut into `near` (a superset of the survivors); returns how many. A function of its own,
 * the max reported through a module variable: written inside minPRun, the dense pass ran about 8 %
 * slower.
 */
function scanNear(v: Float32Array, n: number, lo: number, near: Int32Array): number {
  let m = -Infinity;
  let cut = -Infinity;
  let nc = 0;
  for (let j = 0; j < n; j++) {
    const y = v[j];
    if (y >= cut) {
      if (y > m) {
        if (y === Infinity) {
          m = NaN;
          break;
        }
        m = y;
        cut = collectCut(m, lo);
      }
      near[nc++] = j;
    } else if (y !== y) {
      m = NaN;
      break;
    }
  }
  scanMax = m;
  return nc;
}

/** Sets every cell of ids[0..n) (null: x[0..n)) to f except those at the positions keep[0..k) (ascending). */
function maskAllBut(x: Float32Array, ids: Int32Array | null, n: number, keep: Int32Array, k: number, f: number): void {
  let from = 0;
  for (let q = 0; q <= k; q++) {
    const to = q < k ? keep[q] : n;
    if (ids === null) x.fill(f, from, to);
    else for (let j = from; j < to; j++) x[ids[j]] = f;
    from = to + 1;
  }
}

/**
 * Keeps exactly the mtk largest cells (ties by lower id) of the untouched cells, the others set to f;
 * `vals` holds the cells in position order (the row itself when ids is null).
 */
function keepTop(
  x: Float32Array,
  ids: Int32Array | null,
  vals: Float32Array,
  n: number,
  mtk: number,
  f: number,
  st: MinPScratch,
  oids: Int32Array | null,
): number {
  const k = Math.min(mtk, n);
  st.select = growF32(st.select, n);
  let ties = kthLargestTies(vals, k, st.select, n);
  const t = kth[0];
  let c = 0;
  for (let j = 0; j < n; j++) {
    const id = ids === null ? j : ids[j];
    const v = vals[j];
    if (v > t || (v === t && ties-- > 0)) {
      if (oids) oids[c] = id;
      c++;
    } else x[id] = f;
  }
  return c;
}
