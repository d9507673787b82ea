/** Nucleus (top-p) truncation (HF TopPLogitsWarper). */
import { expNeg } from '../core/fast-exp.js';
import { heapPush, heapReplaceRoot } from '../core/index-heap.js';
import { kthLargest } from '../core/select.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption } from '../core/validate.js';
import { allCandidates, growF32, growI32, sortCandidates, warper } from './warp-common.js';

/** Options of {@link topP} (and of the other probability warpers). */
export interface WarperOptions {
  /** At least this many tokens survive (default 1). */
  minTokensToKeep?: number;
  /** Value written into removed cells (default `-Infinity`). */
  filterValue?: number;
}

/** How many top candidates the first pass keeps; retries multiply it by 8. */
const FIRST_M = 256;

/**
 * Keeps the smallest set of most likely tokens whose probability mass reaches `p` (the token that
 * crosses `p` included), and at least `minTokensToKeep` tokens; the others become `filterValue`.
 *
 * Exactly HF's rule: sort ascending, `cum = cumsum(float32 softmax)`, remove `cum ≤ fround(1 − p)`,
 * keep the last `minTokensToKeep`. Equal logits at the boundary are split as HF's stable sort does
 * (higher ids kept first). `p = 1` is not a no-op: tokens whose float32 probability is 0 go. A row
 * holding NaN or +Infinity, or all `-Infinity`, is left unchanged (its probabilities are NaN).
 *
 * No full sort: one pass keeps the 256 largest logits in a heap while summing the softmax
 * denominator; only those are sorted, and a larger set is taken in the rare case the nucleus is
 * bigger.
 *
 * @param p in [0, 1].
 * @example
 * ```ts
 * const warp = topP(0.8);
 * warp(new Float32Array([3, 2, 1, 0])); // [3, 2, -Infinity, -Infinity]: 0.665 + 0.245 ≥ 0.8
 * ```
 */
export function topP(p: number, options: WarperOptions = {}): Processor {
  checkRange('topP p', p, 0, 1);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const thr = Math.fround(1 - p);
  const st = new TopPScratch();

  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    topPRun(logits, null, logits.length, thr, mtk, filter, st);
    return logits;
  };
  const truncate = (logits: Float32Array, cands: Candidates): boolean => {
    checkLogits(logits);
    const kept = topPRun(logits, null, logits.length, thr, mtk, filter, st);
    if (filter !== -Infinity) return false;
    if (kept < 0) allCandidates(cands, logits.length);
    else {
      cands.ids.set(st.kept.subarray(0, kept));
      cands.size = kept;
    }
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      topPRun(logits, null, logits.length, thr, mtk, filter, st);
      allCandidates(cands, logits.length);
      return;
    }
    const ids = sortCandidates(cands);
    const kept = topPRun(logits, ids, cands.size, thr, mtk, filter, st);
    if (kept >= 0) {
      cands.ids.set(st.kept.subarray(0, kept));
      cands.size = kept;
    }
  };
  return warper(`topP(${p})`, plain, { truncate, sparse });
}

/** Scratch buffers of one topP processor, grown once to the vocabulary size. */
class TopPScratch {
  heapV: Float32Array = new Float32Array(FIRST_M);
  heapI: Int32Array = new Int32Array(FIRST_M);
  maybe: Int32Array = new Int32Array(0);
  backup: Float32Array = new Float32Array(0);
  /** ids of the candidate set T (ascending), then the survivors */
  cand: Int32Array = new Int32Array(0);
  vals: Float32Array = new Float32Array(0);
  kept: Int32Array = new Int32Array(0);
  select: Float32Array = new Float32Array(0);
  /** the smallest value of T on the retry path */
  cutValue = -Infinity;

  grow(n: number): void {
    if (this.maybe.length < n) {
      this.maybe = new Int32Array(n);
      this.backup = new Float32Array(n);
      this.cand = new Int32Array(n);
      this.vals = new Float32Array(n);
      this.kept = new Int32Array(n);
    }
  }
}

/**
 * Runs top-p over the cells `ids[0..n)` (ascending; null = the whole row, n = its length), every
 * other cell being -Infinity. Returns how many cells survive (their ids in `st.kept`), or -1 when
 * the row was left unchanged (NaN, +Infinity or all -Infinity).
 *
 * Definition used (HF's, with torch's float32 rounding where it matters): m the max, S the softmax
 * denominator summed in double, p_i = fround(exp(fround(x_i − m)) / S) for the top candidates T,
 * and the mass of the cells below T summed unrounded; the ascending cumulative sums are in double,
 * each rounded to float32 before the comparison with fround(1 − p).
 */
function topPRun(
  x: Float32Array,
  ids: Int32Array | null,
  n: number,
  thr: number,
  mtk: number,
  f: number,
  st: TopPScratch,
): number {
  st.grow(x.length);
  const hv = st.heapV;
  const hi = st.heapI;
  const maybe = st.maybe;
  const backup = st.backup;
  const M = FIRST_M;
  // ---- one pass: max and Σexp (online), the M largest in a heap, the rest masked at once
  let m = -Infinity;
  let s = 0;
  let size = 0;
  let nm = 0;
  let ninf = 0;
  let bad = false;
  let j = 0;
  if (ids === null) backup.set(x);
  else for (let q = 0; q < n; q++) backup[q] = x[ids[q]];
  for (; j < n && size < M; j++) {
    const id = ids === null ? j : ids[j];
    const v = x[id];
    if (!(v < Infinity)) {
      bad = true; // NaN or +Infinity
      break;
    }
    if (v === -Infinity) ninf++;
    if (v > m) {
      s *= expNeg(m - v);
      m = v;
    }
    s += expNeg(v - m);
    size = heapPush(hv, hi, size, v, id);
  }
  if (!bad && j < n) {
    let hm = hv[0];
    if (ids === null) {
      for (; j < n; j++) {
        const v = x[j];
        if (v < hm) {
          x[j] = f;
          if (v === -Infinity) ninf++;
          else s += expNeg(v - m);
        } else if (v > hm) {
          if (v > m) {
            if (v === Infinity) {
              bad = true;
              break;
            }
            s *= expNeg(m - v);
            m = v;
          }
          s += expNeg(v - m);
          maybe[nm++] = hi[0];
          heapReplaceRoot(hv, hi, size, v, j);
          hm = hv[0];
        } else if (v === hm) {
          if (v === -Infinity) ninf++;
          else s += expNeg(v - m);
          maybe[nm++] = j;
        } else {
          bad = true;
          break;
        }
      }
    } else {
      for (; j < n; j++) {
        const id = ids[j];
        const v = x[id];
        if (v < hm) {
          x[id] = f;
          if (v === -Infinity) ninf++;
          else s += expNeg(v - m);
        } else if (v > hm) {
          if (v > m) {
            if (v === Infinity) {
              bad = true;
              break;
            }
            s *= expNeg(m - v);
            m = v;
          }
          s += expNeg(v - m);
          maybe[nm++] = hi[0];
          heapReplaceRoot(hv, hi, size, v, id);
          hm = hv[0];
        } else if (v === hm) {
          if (v === -Infinity) ninf++;
          else s += expNeg(v - m);
          maybe[nm++] = id;
        } else {
          bad = true;
          break;
        }
      }
    }
  }
  if (bad || m === -Infinity) {
    restore(x, ids, n, backup);
    return -1;
  }
  // ---- the candidate set T: finite cells ≥ the heap minimum
  const cut = hv[0];
  const cand = st.cand;
  let nT = 0;
  for (let q = 0; q < size; q++) {
    if (hv[q] > -Infinity) cand[nT++] = hi[q];
    else x[hi[q]] = f;
  }
  for (let q = 0; q < nm; q++) {
    const id = maybe[q];
    const v = x[id];
    if (v >= cut && v > -Infinity) cand[nT++] = id;
    else x[id] = f;
  }
  const finite = n - ninf;
  let kept = walk(x, nT, finite, m, s, thr, mtk, f, st);
  if (kept < 0) {
    // The nucleus (or minTokensToKeep) reaches below T: undo the masking, take a larger T.
    restore(x, ids, n, backup);
    let M2 = M * 8;
    for (;;) {
      nT = gatherTop(x, ids, n, Math.min(M2, n), st);
      if (nT >= finite) {
        kept = walk(x, nT, finite, m, s, thr, mtk, f, st);
        break;
      }
      kept = walk(x, nT, finite, m, s, thr, mtk, f, st);
      if (kept >= 0) break;
      M2 *= 8;
    }
    // walk() settled the cells of T; mask every other one
    maskBelow(x, ids, n, st.cutValue, f);
  }
  if (kept > nT && ids === null && f !== -Infinity) keepNegInf(x, kept - nT, backup, f);
  return Math.min(kept, nT);
}

function restore(x: Float32Array, ids: Int32Array | null, n: number, backup: Float32Array): void {
  if (ids === null) x.set(backup.subarray(0, n));
  else for (let q = 0; q < n; q++) x[ids[q]] = backup[q];
}

/**
 * Puts into st.cand the finite cells ≥ the M-th largest value (all ties), and remembers that value in
 * st.cutValue. Returns their count.
 */
function gatherTop(x: Float32Array, ids: Int32Array | null, n: number, M: number, st: TopPScratch): number {
  st.select = growF32(st.select, n);
  let cut: number;
  if (ids === null) cut = kthLargest(x, M, st.select, n);
  else {
    const vals = st.vals;
    for (let q = 0; q < n; q++) vals[q] = x[ids[q]];
    cut = kthLargest(vals, M, st.select, n);
  }
  st.cutValue = cut;
  const cand = st.cand;
  let c = 0;
  for (let q = 0; q < n; q++) {
    const id = ids === null ? q : ids[q];
    const v = x[id];
    if (v >= cut && v > -Infinity) cand[c++] = id;
  }
  return c;
}

function maskBelow(x: Float32Array, ids: Int32Array | null, n: number, cut: number, f: number): void {
  for (let q = 0; q < n; q++) {
    const id = ids === null ? q : ids[q];
    const v = x[id];
    if (v < cut || v === -Infinity) x[id] = f;
  }
}

/**
 * With minTokensToKeep above the number of finite cells, HF also keeps some -Infinity cells (the
 * highest ids, last in its stable ascending sort); with filter -Infinity that is invisible.
 */
function keepNegInf(x: Float32Array, count: number, backup: Float32Array, f: number): void {
  for (let i = x.length - 1; i >= 0 && count > 0; i--) {
    if (backup[i] === -Infinity) {
      x[i] = -Infinity;
      count--;
    }
  }
}

/**
 * Walks the candidates T = st.cand[0..nT) from the smallest up, accumulating the ascending cumulative
 * probability on top of the mass below T, and masks the removed ones. Returns the number of
 * survivors (their ids in st.kept), or -1 when more than T is needed (nothing written then).
 */
function walk(
  x: Float32Array,
  nT: number,
  finite: number,
  m: number,
  s: number,
  thr: number,
  mtk: number,
  f: number,
  st: TopPScratch,
): number {
  const cand = st.cand;
  const complete = nT >= finite;
  if (!complete && mtk > nT) return -1;
  const ids = cand.subarray(0, nT);
  ids.sort();
  // Masses of T in index order (the same on the dense and the sparse path). When T holds every
  // finite cell, S is recomputed from the float32 shifts as torch does; otherwise the one-pass sum
  // stands and the mass below T is S minus the mass of T.
  let eT = 0;
  const vals = st.vals;
  for (let q = 0; q < nT; q++) {
    const v = x[ids[q]];
    vals[q] = v;
    eT += complete ? expNeg(Math.fround(v - m)) : expNeg(v - m);
  }
  if (complete) s = eT;
  const below = complete ? 0 : (s - eT) / s;
  const sorted = vals.subarray(0, nT);
  sorted.sort();
  let acc = below;
  let jK = nT; // first ascending position that survives
  for (let q = 0; q < nT; q++) {
    acc += Math.fround(expNeg(Math.fround(sorted[q] - m)) / s);
    if (Math.fround(acc) > thr) {
      jK = q;
      break;
    }
  }
  if (jK === 0 && !complete) return -1;
  let K = nT - jK;
  if (K < mtk) K = mtk;
  if (K > nT) {
    if (!complete) return -1;
    // every finite cell survives
    const kept = st.kept;
    for (let q = 0; q < nT; q++) kept[q] = ids[q];
    return K;
  }
  const vK = sorted[nT - K];
  let tiesKept = 0;
  for (let q = nT - K; q < nT && sorted[q] === vK; q++) tiesKept++;
  // mask: below vK removed; ties at vK keep the highest ids
  const kept = st.kept;
  let c = 0;
  for (let q = nT - 1; q >= 0; q--) {
    const id = ids[q];
    const v = x[id];
    if (v > vK) kept[c++] = id;
    else if (v === vK && tiesKept > 0) {
      tiesKept--;
      kept[c++] = id;
    } else x[id] = f;
  }
  return c;
}
