/** Nucleus (top-p) truncation (HF TopPLogitsWarper). */
import { expTotal, expTotalResult, indicesAtLeastAfterTotal, type ExpTotal } from '../../core/exp-total.js';
import { expNeg, sumExpNeg } from '../../core/fast-exp.js';
import { HIST_RING, HIST_TAIL, histLeftOut, massHistogramOf, type MassHistogram } from './mass-histogram.js';
import { sortF32Ascending, sortIdsAscending } from '../../core/sort-ids.js';
import { SEL_KEY, SEL_TARGET, SelectBuffers, selectNum, weightedSelectInto } from '../../core/weighted-select.js';
import { histSelectInto } from './hist-select.js';
import { FALL_THROUGH, keepPositive } from './p-one.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import { warmOnce } from '../../core/warm-up.js';
import type { Candidates, Processor } from '../../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../../core/validate.js';
import { allCandidates, growF32, survivorPaths, warper } from '../warp-common.js';
import type { WarperOptions } from '../options.js';

/**
 * Keeps the smallest set of most likely tokens whose probability mass reaches `p` (the token that
 * crosses `p` included), and at least `minTokensToKeep` tokens; the others become `filterValue`.
 *
 * Exactly HF's rule: sort ascending, `cum = cumsum(float32 softmax)`, remove `cum ≤ fround(1 − p)`,
 * keep the last `minTokensToKeep`. Equal logits at the boundary are split as HF's stable sort does
 * (higher ids kept first). `p = 1` is not a no-op: tokens whose float32 probability is 0 go. A row
 * holding NaN or +Infinity, or all `-Infinity`, is left unchanged (its probabilities are NaN).
 *
 * No full sort: one fused pass finds the max and the softmax denominator, a compare pass lists the
 * cells of probability ≥ about 1/8,192 (every finite cell of a row of up to 256), and when the nucleus
 * lies among them only those are sorted; a wider nucleus is selected from a mass histogram of the row.
 *
 * @param p in [0, 1].
 * @example
 * ```ts
 * import { topP } from 'degen-guard';
 *
 * const warp = topP(0.8);
 * // 0.665 + 0.245 ≥ 0.8
 * warp(new Float32Array([3, 2, 1, 0])); // → [3, 2, -Infinity, -Infinity]
 * ```
 */
export function topP(p: number, options: WarperOptions = {}): Processor {
  checkRange('topP p', p, 0, 1);
  checkOptionKeys('topP options', options, WARPER_OPTION_KEYS);
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const thr = Math.fround(1 - p);
  const st = new TopPScratch(crossingTarget(thr));
  warmWidePath(thr, mtk, filter, st);

  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    topPRun(logits, logits.length, thr, mtk, filter, st, logits.length, null);
    return logits;
  };
  const truncate = (logits: Float32Array, cands: Candidates): boolean => {
    checkLogits(logits);
    const kept = topPRun(logits, logits.length, thr, mtk, filter, st, logits.length, null);
    if (kept < 0) allCandidates(cands, logits.length);
    else copyKept(st.kept, kept, cands);
    return true;
  };
  // the same run over the candidates gathered in id order (the same cells, in the same order, as the
  // plain call meets them), written back
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    const ids = cands.ids;
    const n = cands.size;
    sortIdsAscending(ids, n);
    const g = (st.gathered = growF32(st.gathered, n));
    for (let q = 0; q < n; q++) g[q] = logits[ids[q]];
    const kept = topPRun(g, n, thr, mtk, filter, st, logits.length, logits, ids);
    if (kept < 0) return;
    for (let q = 0; q < n; q++) logits[ids[q]] = g[q];
    const k = st.kept;
    for (let q = 0; q < kept; q++) k[q] = ids[k[q]];
    copyKept(k, kept, cands);
  };
  return warper(`topP(${p})`, plain, survivorPaths(filter, { truncate, sparse }));
}

/** Copies the survivors into `cands` (no subarray view: no allocation). */
function copyKept(kept: Int32Array, size: number, cands: Candidates): void {
  const ids = cands.ids;
  for (let q = 0; q < size; q++) ids[q] = kept[q];
  cands.size = size;
}

/**
 * The smallest double `t` with `fround(t) > thr`: a cumulative mass `acc` crosses the threshold in
 * float32 (`fround(acc) > thr`) exactly when `acc ≥ t`. For thr > 0 (at 0 it is not used): the
 * midpoint between thr and the next float32 up, or the next double up when that midpoint rounds down
 * (to an even thr). The midpoint is no power of two, so adding mid · 2⁻⁵³ (between half an ulp and one)
 * rounds to the next double.
 */
function crossingTarget(thr: number): number {
  const up = new Float32Array([thr]);
  new Int32Array(up.buffer)[0]++; // the next float32 up (thr ≥ 0)
  const mid = (thr + up[0]) / 2; // exact in double
  return Math.fround(mid) > thr ? mid : mid + mid * 2 ** -53;
}

/** Scratch buffers of one topP processor, grown once to the vocabulary size. */
class TopPScratch {
  /** the mass a cumulative sum must reach to cross fround(1 − p) in float32 (see crossingTarget) */
  readonly target: number;
  sel: SelectBuffers = new SelectBuffers();
  selOut: Float64Array = new Float64Array(5);
  /** ids of the candidate set T (ascending) */
  cand: Int32Array = new Int32Array(0);
  vals: Float32Array = new Float32Array(0);
  /** the survivors' ids, then their values while the row is filled */
  kept: Int32Array = new Int32Array(0);
  keptV: Float32Array = new Float32Array(0);
  /** the candidates' cells, gathered by the sparse call */
  gathered: Float32Array = new Float32Array(0);
  /** the row's max and S (from the fused pass, then from the histogram when a wide nucleus needs it) */
  res: MassHistogram = { max: -Infinity, sum: 0, top: 0, scale: 0 };
  /** results of the fused pass */
  tot: ExpTotal = expTotalResult();
  /** the cut handed to indicesAtLeastAfterTotal */
  cutIn: Float64Array = new Float64Array(1);
  /** the mass histogram, valid when `res.top` is not NaN */
  hist: Float64Array = new Float64Array(HIST_RING);

  constructor(target: number) {
    this.target = target;
  }

  grow(n: number): void {
    if (this.cand.length < n) {
      this.cand = new Int32Array(n);
      this.vals = new Float32Array(n);
      this.kept = new Int32Array(n);
      this.keptV = new Float32Array(n);
    }
  }
}

/**
 * Runs top-p over the row `x[0..n)` (`len`: the length of the caller's row, which alone decides
 * between the paths, so that the sparse call on gathered candidates takes the plain call's; `row` and
 * `rowIds`: that call's row and its candidates, ascending, for the fused pass). Returns how many cells
 * survive (their ids in `st.kept`), or -1 when the row was left unchanged (NaN, +Infinity or all
 * -Infinity).
 *
 * Definition used (HF's, with torch's float32 rounding where it matters): m the max, S the softmax
 * denominator, p_i = fround(exp(fround(x_i − m)) / S) for the candidates T, and the mass of the cells
 * below T summed unrounded; the ascending cumulative sums are in double, each rounded to float32
 * before the comparison with fround(1 − p).
 */
function topPRun(
  x: Float32Array,
  n: number,
  thr: number,
  mtk: number,
  f: number,
  st: TopPScratch,
  len: number,
  row: Float32Array | null,
  rowIds: Int32Array | null = null,
): number {
  st.grow(n);
  if (thr === 0) {
    // p = 1: only zero-probability cells go, found without a sort
    const k1 = keepPositive(x, n, mtk, st.kept);
    if (k1 !== FALL_THROUGH) {
      if (k1 < 0 || k1 === n) return k1;
      for (let q = 0; q < k1; q++) st.keptV[q] = x[st.kept[q]];
      return fillKept(x, n, k1, f, st);
    }
  }
  // ---- pass 1, read-only: the max and S together (expTotal, over the caller's row and candidates, so
  // that the plain and the sparse call get the same sums to the bit)
  const res = st.res;
  const tot = st.tot;
  expTotal(row ?? x, rowIds, n, tot);
  const m = tot.max;
  if (!(m > -Infinity)) return -1; // NaN, +Infinity or all -Infinity: left unchanged
  res.max = m;
  res.sum = tot.sum;
  // ---- T: every finite cell of a short row, else the cells of probability ≥ about 1/FAST_LIST (at
  // most FAST_LIST of them); the nucleus is taken among them when it lies there
  const short = len <= SHORT_ROW;
  let kept = -1;
  if (short || tot.sum <= FAST_LIST) {
    const cut = short ? -Number.MAX_VALUE : m + Math.log(tot.sum / FAST_LIST);
    st.cutIn[0] = cut;
    const nT = indicesAtLeastAfterTotal(x, n, st.cutIn, st.cand);
    kept = walk(x, nT, short || nT === n, thr, mtk, st);
    // T may hold every finite cell: then the walk is exact, else the nucleus is wider
    if (kept === TAIL_UNKNOWN) kept = nT === finiteCount(x, n) ? walk(x, nT, true, thr, mtk, st) : -1;
  }
  if (kept >= 0) return fillKept(x, n, kept, f, st);
  // ---- a wider nucleus (or minTokensToKeep): the row's mass histogram gives the crossing. When it
  // leaves out cells (44 nats below the max, ≤ n · HIST_TAIL of the mass) it is used if that is below
  // 1e-8 of the mass a crossing needs (fround(1 − p) ≥ ~7.7e-7 at V = 128,256; below that, a compare
  // pass looks for such cells); otherwise S is summed exactly, in a second pass. (Here, not in a
  // function of its own: called on wide rows only, such a function stays unoptimised for long, and
  // unoptimised code boxes every double it reads or computes.)
  massHistogramOf(x, n, res, st.hist); // res.max is m
  if (res.top !== res.top || (!(thr > 1e8 * len * HIST_TAIL) && histLeftOut(x, n, m))) {
    res.top = NaN;
    res.sum = sumExpNeg(x, m, null, n);
  }
  return wideNucleus(x, n, thr, mtk, f, st);
}

/**
 * The warm-up of the wide path (src/core/warm-up.ts says why one is needed): the warm-up rows, 512
 * cells, are too short for a nucleus to reach below the listed cells, so the plain call never takes
 * this path there; without it, the first wide row of 128,256 cells compiles the histogram's loop
 * on-stack with no feedback for the code after it, and the process may deoptimise there on every
 * wide row (measured: 23 B/call of heap numbers over the bench's rows, in one process in two).
 */
function warmWidePath(thr: number, mtk: number, f: number, st: TopPScratch): void {
  warmOnce('topP: wide path', [
    (row) => {
      const n = row.length;
      st.grow(n);
      expTotal(row, null, n, st.tot);
      st.res.max = st.tot.max;
      st.res.sum = st.tot.sum;
      massHistogramOf(row, n, st.res, st.hist);
      wideNucleus(row, n, thr, mtk, f, st);
    },
  ]);
}

/** Rows up to this length take every finite cell as the candidates (an exact walk). */
const SHORT_ROW = 256;
/** Longer rows list the cells of probability ≥ about 1/FAST_LIST: at most that many. */
const FAST_LIST = 8192;
/** {@link walk}'s result when the mass below T is too small to tell from the sum's error. */
const TAIL_UNKNOWN = -3;
/**
 * The least relative mass below the candidates that {@link walk} accepts when T may not hold every
 * finite cell: far above the error of the one-pass sum, far below any real row's tail (128,256 cells
 * 20 nats below the max weigh 2.6e-4 of it).
 */
const BELOW_MIN = 1e-6;

/** The finite cells of `x[0..n)`. */
function finiteCount(x: Float32Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (x[i] > -Infinity) c++;
  return c;
}

/**
 * Writes the result: the survivors `st.kept[0..c)` get back their values `st.keptV[0..c)`, every other
 * cell of the row becomes `f` — a fill and a few stores, not a compare over every cell. Returns c.
 */
function fillKept(x: Float32Array, n: number, c: number, f: number, st: TopPScratch): number {
  const kI = st.kept;
  const kV = st.keptV;
  x.fill(f, 0, n);
  for (let q = 0; q < c; q++) x[kI[q]] = kV[q];
  return c;
}

/**
 * `x[0..n)` as doubles in `st.sel.keys`, with the weights expNeg(fround(x − m)) (m = `st.res.max`: the
 * terms of S when there is no histogram) in `st.sel.weights`, or unit weights when `unit`; then
 * weightedSelect's selection (`st.selOut` as its `out`; the target read from, the key left in
 * `selectNum`).
 */
function selectRow(x: Float32Array, n: number, unit: boolean, st: TopPScratch): void {
  const sel = st.sel;
  sel.reserve(n);
  const k = sel.keys;
  const w = sel.weights;
  const m = st.res.max;
  for (let i = 0; i < n; i++) {
    k[i] = x[i];
    if (!unit) w[i] = expNeg(Math.fround(x[i] - m));
  }
  weightedSelectInto(k, unit ? null : w, n, st.selOut);
}

/**
 * The nucleus when it reaches below the candidate set: one weighted selection finds the crossing
 * value vK, the smallest logit whose ascending cumulative mass Σ_{x ≤ vK} exp(x − m) reaches
 * `st.target · s` (the float32 crossing of fround(1 − p), masses unrounded, against the one-pass
 * denominator s): from the mass histogram when there is one (a compare pass, which also lists
 * every cell ≥ vK), else a selection over the row's masses. The ties at vK are walked upward (lowest
 * ids first, as HF's stable sort) to find the crossing one; it and the higher-id ties survive.
 * minTokensToKeep, when larger, is a second (unit weight) selection: the mtk-th largest logit. Then
 * the removed cells get `f` (a fill and the listed survivors written back, or one pass over the row)
 * and the survivors are listed in `st.kept`. Returns the survivor count. O(n), no sort.
 */
function wideNucleus(x: Float32Array, n: number, thr: number, mtk: number, f: number, st: TopPScratch): number {
  const res = st.res;
  const out = st.selOut;
  const target = st.target * res.sum;
  // the selections take their target and give their key through selectNum (no number crosses a call)
  const histValid = res.top === res.top;
  // p = 1 gets here only when minTokensToKeep exceeds the cells of positive float32 probability
  // (keepPositive decided every other case): the nucleus is smaller than mtk, the top mtk decide
  let vK = NaN;
  if (thr !== 0) {
    // the mass histogram locates the crossing bucket (no second exp pass over the row)
    selectNum[SEL_TARGET] = target;
    if (histValid) histSelectInto(x, n, st.hist, res, st.sel, out, st.cand);
    else selectRow(x, n, false, st);
    vK = selectNum[SEL_KEY];
  }
  let tiesKept = 0;
  if (vK === vK) {
    const nTies = out[3] - out[2];
    const wK = (out[1] - out[0]) / nTies;
    let acc = out[0] + wK;
    let j = 1;
    while (j < nTies && acc < target) {
      acc += wK;
      j++;
    }
    tiesKept = nTies - j + 1;
  }
  const K = vK === vK ? n - out[3] + tiesKept : 0;
  let listed = histValid && vK === vK ? out[4] : 0; // cells listed in st.cand, every one ≥ vK among them
  if (K < mtk) {
    listed = 0;
    if (mtk >= n) {
      vK = -Infinity;
      tiesKept = n;
    } else {
      // the mtk-th largest: the smallest whose count of cells ≤ it reaches n − mtk + 1
      selectNum[SEL_TARGET] = n - mtk + 1;
      selectRow(x, n, true, st);
      vK = selectNum[SEL_KEY];
      tiesKept = mtk - (n - out[3]);
    }
  }
  const kept = st.kept;
  let c = 0;
  if (listed > 0 && tiesKept === out[3] - out[2]) {
    // the cells ≥ vK (all the ties at vK kept) are among those listed in st.cand (ascending)
    const up = st.cand;
    const kV = st.keptV;
    for (let q = listed - 1; q >= 0; q--) {
      const id = up[q];
      const v = x[id];
      if (v >= vK) {
        kept[c] = id;
        kV[c++] = v;
      }
    }
    return fillKept(x, n, c, f, st);
  }
  for (let q = n - 1; q >= 0; q--) {
    const v = x[q];
    if (v > vK) kept[c++] = q;
    else if (v === vK && tiesKept > 0) {
      tiesKept--;
      kept[c++] = q;
    } else x[q] = f;
  }
  return c;
}

/**
 * Walks the candidates T = st.cand[0..nT) (every cell ≥ T's smallest value) from the smallest up,
 * accumulating the ascending cumulative probability on top of the mass below T (none when `complete`:
 * T holds every finite cell). Returns the number of survivors (their ids in st.kept), or -1 when more
 * than T is needed (the mass below T already crosses the threshold, or minTokensToKeep asks for more),
 * {@link TAIL_UNKNOWN} when that mass is at most BELOW_MIN of S. Their values in st.keptV. Writes
 * nothing into the row.
 */
function walk(x: Float32Array, nT: number, complete: boolean, thr: number, mtk: number, st: TopPScratch): number {
  // first, before any double is read: a walk that ends here stays unoptimised for long, and
  // unoptimised code boxes each double it reads
  if (mtk > nT) return -1;
  const m = st.res.max;
  let s = st.res.sum;
  const ids = st.cand;
  sortIdsAscending(ids, nT);
  // Masses of T in index order (the same on the dense and the sparse path); the mass below T is S
  // minus the mass of T (0 when T holds every finite cell: then S is exactly the mass of T).
  let eT = 0;
  const vals = st.vals;
  for (let q = 0; q < nT; q++) {
    const v = x[ids[q]];
    vals[q] = v;
    eT += expNeg(Math.fround(v - m));
  }
  if (complete) s = eT;
  // a mass below T of at most BELOW_MIN (relative) is not told apart from the sum's error
  else if (!(s - eT > BELOW_MIN * s)) return TAIL_UNKNOWN;
  const below = complete ? 0 : (s - eT) / s;
  // the cells below T cross the threshold by themselves: the crossing lies below T (no sort needed)
  if (!(Math.fround(below) <= thr)) return -1;
  // The ascending walk over T's values, sorted (the ids stay in index order)
  sortF32Ascending(vals, nT);
  let acc = below;
  let jK = nT; // first ascending position that survives
  for (let q = 0; q < nT; q++) {
    acc += Math.fround(expNeg(Math.fround(vals[q] - m)) / s);
    if (Math.fround(acc) > thr) {
      jK = q;
      break;
    }
  }
  // the survivors: the cells above vK and the highest-id `tiesKept` of its ties, vK the crossing value
  // (its ties from the crossing one up are kept) or, when minTokensToKeep decides, the mtk-th largest
  // (its ties from the top)
  if (nT - jK < mtk) jK = nT - mtk;
  const vK = vals[jK];
  let tiesKept = 0;
  for (let q = jK; q < nT && vals[q] === vK; q++) tiesKept++;
  // the survivors among T (ids ascending): the cells above vK, and the `tiesKept` highest-id ties at vK
  const kept = st.kept;
  const kV = st.keptV;
  let c = 0;
  for (let q = nT - 1; q >= 0; q--) {
    const id = ids[q];
    const v = x[id];
    if (v > vK || (v === vK && tiesKept-- > 0)) {
      kept[c] = id;
      kV[c++] = v;
    }
  }
  return c;
}
