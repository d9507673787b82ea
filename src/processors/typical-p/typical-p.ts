/** Locally typical sampling (HF TypicalLogitsWarper). */
import { expMoments, expTotalResult, indicesAtLeastAfterTotal } from '../../core/exp-total.js';
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expNegF32, expPolyF32 } from '../../core/fast-exp.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import { heapPopRoot, heapPush } from '../../core/index-heap.js';
import type { Candidates, Processor } from '../../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../../core/validate.js';
import { weightedSelectF32, WeightedSelectScratch } from '../../core/weighted-select.js';
import type { WarperOptions } from '../options.js';
import { typicalBySort, SortScratch } from './sorted.js';
import {
  MOMENT_FLOOR_NATS,
  MOMENT_RING,
  MOMENT_WINDOW,
  R_LISTED,
  R_MAX,
  R_MOMENT,
  R_NEG_INF,
  R_SCALE,
  R_SUM,
  R_TOP,
  bucketMass,
  scanMassMoments,
} from './mass-moments.js';
import { allCandidates, sortCandidates, warper } from '../warp-common.js';

/**
 * Keeps the tokens whose surprisal `−log p` is closest to the entropy H, in order of `|−log p − H|`,
 * until their mass reaches `mass` (the crossing token and every token tied with it kept), and the
 * first `minTokensToKeep` of that order. The shifts `|−log p − H|` are HF's float32 numbers (float32
 * log-softmax and entropy), so their ties are HF's. A row holding NaN or +Infinity, or all
 * `-Infinity`, is left unchanged.
 *
 * Cost: two passes over the row and no sort of it. `−log p − H` is `c − x` for one number c per row,
 * so the tokens kept are the logits in an interval around c. On a confident row an exp pass gives the
 * max, the softmax sum and the entropy, and the cells near the max are taken in increasing shift until
 * the mass is reached. Otherwise one exp pass gives them with the mass per 1/16-octave bucket of the
 * logit; the buckets give the interval up to one bucket at each end, and only the cells at its ends get
 * their shift and probability and are ordered (a heap). Then a fill or a masking pass. After a
 * truncation (pipeline `sparse`) only the survivors are visited.
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
  /** the cells' values in candidate order (sparse calls) */
  vals: Float32Array = new Float32Array(0);
  /** positions of the listed cells, then of the survivors */
  list: Int32Array = new Int32Array(0);
  /** the survivors' values while the row is filled */
  keptV: Float32Array = new Float32Array(0);
  /** the cells at the ends of the interval: shift, mass, position; a min-heap of (shift, index) */
  bShift: Float32Array = new Float32Array(0);
  bMass: Float64Array = new Float64Array(0);
  bPos: Int32Array = new Int32Array(0);
  heapV: Float32Array = new Float32Array(0);
  heapI: Int32Array = new Int32Array(0);
  /** the shifts of every finite cell (minTokensToKeep beyond the cells kept by mass) */
  shift: Float32Array = new Float32Array(0);
  /** the exp pass's mass and moment histogram and results */
  hist = new Float64Array(2 * MOMENT_RING);
  res = new Float64Array(7);
  /** the crossing's bounds (see `crossingBounds`) */
  bounds = new Float64Array(11);
  selOut = new Float64Array(4);
  bits = new Float32Array(1);
  bitsU = new Uint32Array(this.bits.buffer);
  select = new WeightedSelectScratch();
  sort = new SortScratch();
  /** the moments of {@link nearFirst}'s exp pass */
  et = expTotalResult();
  private bitsView: Uint32Array = new Uint32Array(0);
  fineMass = new Float64Array(256);
  fineCount = new Int32Array(256);

  /** The float32 bits of `bShift` (a view made again when it grows). */
  shiftBits(): Uint32Array {
    if (this.bitsView.buffer !== this.bShift.buffer) this.bitsView = new Uint32Array(this.bShift.buffer);
    return this.bitsView;
  }

  grow(n: number): void {
    if (this.list.length < n) {
      this.vals = new Float32Array(n);
      this.list = new Int32Array(n);
      this.keptV = new Float32Array(n);
    }
  }

  growEnds(n: number): void {
    if (this.bShift.length < n) {
      const size = Math.max(n, 2 * this.bShift.length);
      this.bShift = new Float32Array(size);
      this.bMass = new Float64Array(size);
      this.bPos = new Int32Array(size);
      this.heapV = new Float32Array(size);
      this.heapI = new Int32Array(size);
    }
  }
}

/** {@link typicalBySelect} finished (the row is processed). */
export const DONE = 0;
/** {@link typicalBySelect} did not decide (a row beyond its histogram); the row is untouched. */
export const UNDECIDED = 1;

/** Below this fraction of the row kept, the row is filled and the survivors written back. */
const FILL_FRACTION = 0.125;
/**
 * The exp pass lists the cells within this many nats of the max: when the interval lies there (a
 * confident row), no compare pass over the row is needed.
 */
const NEAR_NATS = 8;
/** Relative slack of the bucket walks over the rounding of grouped sums. */
const WALK_SLACK = 1e-9;

/**
 * typicalP's rule on the cells `ids0[0..n)` (ascending; null = the whole row), every other cell being
 * -Infinity; writes the finite survivors into `out` when given.
 *
 * The numbers: m the max; S = Σ exp(x − m) and D = Σ exp(x − m)·(x − m) at float32 accuracy (relative
 * error below 1e-8, one pass); torch's float32 log-softmax offset `lse = fround(ln fround(S))`; the
 * entropy `H = fround(exp(−lse) · (lse·S − D))` (= −Σ log p · p); each cell's shift
 * `fround(|fround(fround(x − m) − lse) + H|)` (HF's float32 `|−log p − H|`), which grows with the
 * distance of x from `c = m + lse − H`. Cells are ordered by (shift, id); the cumulative mass
 * (exp(x − m) at the same accuracy, summed in double) is compared with the smallest double whose float32
 * rounding reaches `fround(mass)`; the crossing cell, every cell with a shift up to its shift, and the
 * first `minTokensToKeep` of the order survive.
 *
 * The mass histogram of the exp pass (per ln2/16 of logit) bounds the crossing shift between two bucket
 * walks outward from c; the buckets wholly inside the lower bound are kept as a whole, and only the
 * cells between the bounds are taken in increasing shift from a min-heap (its order among equal
 * shifts depends only on the cells and their order) and summed on top of them, in that order.
 * Returns UNDECIDED (nothing written) when the row's max lies beyond ±65,536 or the interval reaches
 * more than 38.9 nats below the max (out of the histogram): `typicalBySort` then decides.
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
  st.grow(n);
  let vals = x;
  if (ids0 !== null) {
    vals = st.vals;
    for (let q = 0; q < n; q++) vals[q] = x[ids0[q]];
  }
  if (mtk === 1 && nearFirst(x, ids0, n, vals, fm, f, st, out)) return DONE;
  // ---- pass 1 (read-only): max, S, D and the mass histogram
  const res = st.res;
  const list = st.list;
  const status = scanMassMoments(vals, n, st.hist, res, list, NEAR_NATS);
  if (status === -1) return DONE; // NaN or +Infinity: left unchanged
  if (status === -2) return UNDECIDED;
  const m = res[R_MAX];
  if (m === -Infinity) return DONE; // all -Infinity: left unchanged
  const nF = n - res[R_NEG_INF];
  if (mtk >= nF) {
    keepAllFinite(x, ids0, n, vals, nF, mtk, f, out);
    return DONE;
  }
  const S = res[R_SUM];
  const lse = Math.fround(Math.log(Math.fround(S)));
  const ent = Math.fround(Math.exp(-lse) * (lse * S - res[R_MOMENT]));
  if (!(ent < Infinity && ent > -Infinity)) return UNDECIDED;
  // the cumulative mass crosses fround(mass) in float32 once it reaches `target` (relative to m's weight)
  const bd = st.bounds;
  crossingTarget(fm, st);
  const target = bd[B_TARGET] * S;
  const c = m + lse - ent;
  // |shift − |x − c|| ≤ δ for the cells within the histogram's window (float32 roundings of x − m,
  // of − lse and of the shift), with the bucket edges' rounding
  const delta = 2.384185791015625e-7 * (40 + Math.abs(lse) + Math.abs(ent)) + 1e-9 * (1 + Math.abs(m));
  bd[B_C] = c;
  bd[B_TARGET] = target;
  bd[B_DELTA] = delta;
  if (!crossingBounds(st.hist, res, bd)) return UNDECIDED;
  const dB = bd[B_DB];
  const aIL = bd[B_IN_LO];
  const aIR = bd[B_IN_HI];
  const wIn = bd[B_IN_MASS];
  const lo = c - dB - 2 * delta;
  const hi = c + dB + 2 * delta;
  // the cells below lo lie beyond the crossing; those left out of the histogram must be among them
  if (!(lo > m - MOMENT_FLOOR_NATS + 1e-6)) return UNDECIDED;
  // ---- the cells in [lo, hi] (the interval and its two ends): from those the exp pass listed when they
  // hold them all, else a compare pass (read-only, no branch per cell)
  let nl = 0;
  const listed = res[R_LISTED];
  if (lo >= m - NEAR_NATS) {
    for (let q = 0; q < listed; q++) {
      const j = list[q];
      const v = vals[j];
      list[nl] = j;
      nl += +(v >= lo) & +(v <= hi);
    }
  } else {
    for (let j = 0; j < n; j++) {
      const v = vals[j];
      list[nl] = j;
      nl += +(v >= lo) & +(v <= hi);
    }
  }
  // the listed cells of the inner buckets are kept; the others get their shift and mass
  st.growEnds(nl);
  const bSh = st.bShift;
  const bW = st.bMass;
  const bP = st.bPos;
  const hv = st.heapV;
  const hx = st.heapI;
  const top = res[R_TOP];
  const tScale = res[R_SCALE];
  const T = F32_TABLE;
  let nb = 0;
  let kept = 0;
  for (let q = 0; q < nl; q++) {
    const v = vals[list[q]];
    const a = ROUND + v * F32_INV_STEP - ROUND;
    if (a >= aIL && a <= aIR) {
      list[kept++] = list[q];
      continue;
    }
    const sh = Math.fround(Math.abs(Math.fround(Math.fround(v - m) - lse) + ent));
    bSh[nb] = sh;
    bW[nb] = T[top - a] * tScale * expPolyF32(v - a * F32_STEP);
    heapPush(hv, hx, nb, sh, nb);
    bP[nb++] = list[q];
  }
  // the crossing: the end cells in increasing shift (popped from the heap: its order among equal
  // shifts depends only on the cells and their order), summed on top of the inner buckets' mass
  let acc = wIn;
  let limit = NaN;
  for (let size = nb; size > 0; size = heapPopRoot(hv, hx, size)) {
    acc += bW[hx[0]];
    if (acc >= target) {
      limit = hv[0];
      break;
    }
  }
  if (limit !== limit) return UNDECIDED; // (the bounds guarantee a crossing: rounding beyond the slack)
  for (let p = 0; p < nb; p++) {
    if (bSh[p] <= limit) list[kept++] = bP[p];
  }
  if (kept < mtk) {
    bd[B_M] = m;
    bd[B_LSE] = lse;
    bd[B_ENT] = ent;
    keepFirst(st, x, ids0, vals, n, nF, mtk, f, out);
    return DONE;
  }
  // ---- the survivors: list[0..kept) (positions, not in order); every other cell gets f
  writeKept(x, ids0, n, vals, kept, f, st, out);
  return DONE;
}

/**
 * {@link nearFirst} lists the cells within this many nats of the max, or 2.5 times as far as c lies
 * below it when that is more (the interval usually reaches the max, so it reaches about as far below
 * c), and leaves the rows where that exceeds NEAR_MAX_NATS.
 */
const NEAR_FIRST_NATS = 10;
const NEAR_MAX_NATS = 16;
/** Above this many listed cells, {@link nearFirst} locates the crossing by a histogram of their shifts first. */
const NEAR_CELLS = 4096;
/** {@link nearFirst} leaves rows that list more than this fraction of their cells. */
const NEAR_FRACTION = 0.5;
/** Shift buckets of 1/8 octave: the float32 bits of a shift (≥ 0) shifted right by this … */
const SHIFT_BUCKET_BITS = 20;
/** … and 256 finer ones in each (1/2048 octave). */
const FINE_BUCKET_BITS = 12;

/**
 * The confident row's way, for minTokensToKeep 1: one exp pass with a running max (`expMoments`: the
 * max, S and D, the same numbers to the bit over the row or its candidate ids), a listing of the cells
 * within NEAR_FIRST_NATS (or 2.5 (max − c)) of the max, skipping the blocks of 256 cells that pass
 * bounds below, and those cells taken in increasing shift (a min-heap,
 * after a histogram of their shifts when they are many) until their mass reaches the target. Every cell
 * not listed lies farther from c than any listed one up to the crossing, or the row is left to the
 * histogram (false, nothing written): when c lies more than NEAR_MAX_NATS / 2.5 below the max, when
 * more than half the cells are listed, or when the crossing is not reached before the shifts of
 * unlisted cells. Returns true when the row is processed.
 */
function nearFirst(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  vals: Float32Array,
  fm: number,
  f: number,
  st: TypicalScratch,
  out: Candidates | null,
): boolean {
  const et = st.et;
  expMoments(x, ids0, n, et);
  const m = et.max;
  if (m !== m || m === -Infinity) return false; // (the histogram's pass leaves such rows unchanged)
  const S = et.sum;
  const lse = Math.fround(Math.log(Math.fround(S)));
  const ent = Math.fround(Math.exp(-lse) * (lse * S - et.moment));
  if (!(ent < Infinity && ent > -Infinity)) return false;
  const c = m + lse - ent;
  // the interval usually reaches the max, so about as far below c: list somewhat beyond that
  const depth = 2.5 * (m - c);
  if (!(depth <= NEAR_MAX_NATS)) return false;
  crossingTarget(fm, st);
  const target = st.bounds[B_TARGET] * S;
  const delta = 2.384185791015625e-7 * (40 + Math.abs(lse) + Math.abs(ent)) + 1e-9 * (1 + Math.abs(m));
  const cut = m - Math.max(NEAR_FIRST_NATS, depth);
  // on the row, the blocks of 256 cells that expMoments bounds below the cut are skipped; on candidate
  // ids a branch per cell (few pass it on a confident row: a branchless store per cell cost a max pass)
  const list = st.list;
  let nl = 0;
  if (ids0 === null) nl = indicesAtLeastAfterTotal(x, n, cut, list);
  else for (let j = 0; j < n; j++) if (vals[j] >= cut) list[nl++] = j;
  if (nl > n * NEAR_FRACTION) return false;
  st.growEnds(nl);
  const bW = st.bMass;
  const bSh = st.bShift;
  const hv = st.heapV;
  const hx = st.heapI;
  for (let q = 0; q < nl; q++) {
    const v = vals[list[q]];
    bSh[q] = Math.fround(Math.abs(Math.fround(Math.fround(v - m) - lse) + ent));
    bW[q] = expNegF32(v - m);
  }
  // many cells: the mass per 1/8 octave of shift (their float32 bits), summed in index order, locates
  // the crossing bucket, whose cells alone go into the heap on top of the mass below it
  let acc = 0;
  let hs = 0;
  if (nl > NEAR_CELLS) {
    const bits = st.shiftBits();
    const mass = st.select.mass;
    const count = st.select.count;
    mass.fill(0);
    count.fill(0);
    for (let q = 0; q < nl; q++) {
      const b = bits[q] >>> SHIFT_BUCKET_BITS;
      mass[b] += bW[q];
      count[b]++;
    }
    let b = 0;
    for (; b < mass.length; b++) {
      if (count[b] > 0 && acc + mass[b] >= target) break;
      acc += mass[b];
    }
    if (b === mass.length) return false;
    // within that bucket, 256 finer ones (the next 8 bits), so that few cells go into the heap
    const fine = st.fineMass;
    const fineCount = st.fineCount;
    fine.fill(0);
    fineCount.fill(0);
    for (let q = 0; q < nl; q++) {
      const u = bits[q];
      if (u >>> SHIFT_BUCKET_BITS === b) {
        const g = (u >>> FINE_BUCKET_BITS) & 255;
        fine[g] += bW[q];
        fineCount[g]++;
      }
    }
    let g = 0;
    for (; g < 256; g++) {
      if (fineCount[g] > 0 && acc + fine[g] >= target) break;
      acc += fine[g];
    }
    if (g === 256) return false;
    const key = (b << 8) | g;
    for (let q = 0; q < nl; q++) if (bits[q] >>> FINE_BUCKET_BITS === key) hs = heapPush(hv, hx, hs, bSh[q], q);
  } else {
    for (let q = 0; q < nl; q++) hs = heapPush(hv, hx, hs, bSh[q], q);
  }
  // an unlisted cell lies more than c − cut from c: its shift exceeds c − cut − δ
  const far = c - cut - 2 * delta;
  let limit = NaN;
  for (let size = hs; size > 0; size = heapPopRoot(hv, hx, size)) {
    if (!(hv[0] < far)) return false;
    acc += bW[hx[0]];
    if (acc >= target) {
      limit = hv[0];
      break;
    }
  }
  if (limit !== limit) return false;
  let kept = 0;
  for (let q = 0; q < nl; q++) {
    list[kept] = list[q];
    kept += +(bSh[q] <= limit);
  }
  writeKept(x, ids0, n, vals, kept, f, st, out);
  return true;
}

/** Indices of `TypicalScratch.bounds`: inputs of {@link crossingBounds} (c, the target mass, δ) … */
const B_C = 0;
const B_TARGET = 1;
const B_DELTA = 2;
/** … and its results. */
const B_DA = 3;
const B_DB = 4;
const B_IN_LO = 5;
const B_IN_HI = 6;
const B_IN_MASS = 7;
/** The max, lse and H, for {@link keepFirst}. */
const B_M = 8;
const B_LSE = 9;
const B_ENT = 10;

/**
 * Bounds of the crossing from the mass histogram, walking the buckets outward from c: dA, the distance
 * at which the buckets reaching within it (by their nearest edge) first hold `target` (the crossing
 * shift is at least dA − δ), and dB, the distance at which the buckets lying wholly within it first hold
 * `target` (the crossing shift is at most dB + δ). The inner buckets [aIL, aIR] lie wholly within
 * dA − 2δ of c (their cells are kept: shift < dA − δ) and hold the mass wIn. Reads c, target and δ from
 * `bd` and writes the results there (doubles passed to a call that is not inlined would be boxed).
 * Returns false when the histogram does not hold `target`.
 */
function crossingBounds(hist: Float64Array, res: Float64Array, bd: Float64Array): boolean {
  const top = res[R_TOP];
  const scale = res[R_SCALE];
  const c = bd[B_C];
  const bot = top - MOMENT_WINDOW + 1;
  let ac = ROUND + c * F32_INV_STEP - ROUND;
  if (ac > top) ac = top;
  if (ac < bot) ac = bot;
  walk(hist, res, bd, ac, false);
  walk(hist, res, bd, ac, true);
  const dA = bd[B_DA];
  if (dA !== dA || bd[B_DB] !== bd[B_DB]) return false;
  const inner = dA - 2 * bd[B_DELTA];
  let aIL = ac + 1;
  let aIR = ac;
  let wIn = 0;
  if (farEdge(c, ac) < inner) {
    aIL = ac;
    aIR = ac;
    while (aIL > bot && farEdge(c, aIL - 1) < inner) aIL--;
    while (aIR < top && farEdge(c, aIR + 1) < inner) aIR++;
    for (let b = aIL; b <= aIR; b++) wIn += bucketMass(hist, top, scale, b);
  }
  bd[B_IN_LO] = aIL;
  bd[B_IN_HI] = aIR;
  bd[B_IN_MASS] = wIn;
  return true;
}

/** The distance from c of bucket b's nearest point. */
function nearEdge(c: number, b: number): number {
  const lo = (b - 0.5) * F32_STEP;
  const hi = (b + 0.5) * F32_STEP;
  return lo > c ? lo - c : hi < c ? c - hi : 0;
}

/** The distance from c of bucket b's farthest point. */
function farEdge(c: number, b: number): number {
  return Math.max(c - (b - 0.5) * F32_STEP, (b + 0.5) * F32_STEP - c);
}

/**
 * Adds the buckets from `ac` outward in order of their distance from c (the nearest edge's, or with
 * `far` the farthest edge's) until the mass reaches the target (less or more the walk's slack); writes
 * that bucket's distance into `bd[B_DA]` (`bd[B_DB]` with `far`), NaN when the window's mass stays below.
 */
function walk(hist: Float64Array, res: Float64Array, bd: Float64Array, ac: number, far: boolean): void {
  const top = res[R_TOP];
  const scale = res[R_SCALE];
  const c = bd[B_C];
  const target = bd[B_TARGET] * (far ? 1 + WALK_SLACK : 1 - WALK_SLACK);
  const bot = top - MOMENT_WINDOW + 1;
  let acc = bucketMass(hist, top, scale, ac);
  let d = far ? farEdge(c, ac) : nearEdge(c, ac);
  let l = ac - 1;
  let r = ac + 1;
  while (acc < target) {
    const dl = l < bot ? Infinity : far ? farEdge(c, l) : nearEdge(c, l);
    const dr = r > top ? Infinity : far ? farEdge(c, r) : nearEdge(c, r);
    if (dl === Infinity && dr === Infinity) {
      d = NaN;
      break;
    }
    if (dl <= dr) {
      acc += bucketMass(hist, top, scale, l--);
      d = dl;
    } else {
      acc += bucketMass(hist, top, scale, r++);
      d = dr;
    }
  }
  bd[far ? B_DB : B_DA] = d;
}

/** Writes into `bounds[B_TARGET]` the smallest double whose float32 rounding is ≥ fm (fm > 0). */
function crossingTarget(fm: number, st: TypicalScratch): void {
  st.bits[0] = fm;
  st.bitsU[0] -= 1;
  const mid = (st.bits[0] + fm) / 2; // exact: the rounding boundary below fm
  // a tie at mid rounds to the float32 with an even significand
  st.bounds[B_TARGET] = Math.fround(mid) >= fm ? mid : mid + mid * 1.1102230246251565e-16;
}

/**
 * Writes the survivors `st.list[0..kept)` (positions into the cells) and sets every other cell to f:
 * on the whole row (ids null) a fill and the survivors written back when they are few, else a masking
 * pass against their value range; on candidate ids a pass over the ids, listing the survivors in `out`.
 */
function writeKept(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  vals: Float32Array,
  kept: number,
  f: number,
  st: TypicalScratch,
  out: Candidates | null,
): void {
  const list = st.list;
  // the survivors are the cells whose value lies in [xL, xR] (the shift grows with |x − c|)
  let xL = Infinity;
  let xR = -Infinity;
  for (let q = 0; q < kept; q++) {
    const v = vals[list[q]];
    if (v < xL) xL = v;
    if (v > xR) xR = v;
  }
  if (ids0 === null && out === null) {
    if (kept < n * FILL_FRACTION) {
      const kv = st.keptV;
      for (let q = 0; q < kept; q++) kv[q] = x[list[q]];
      x.fill(f, 0, n);
      for (let q = 0; q < kept; q++) x[list[q]] = kv[q];
    } else {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (!(v >= xL && v <= xR)) x[i] = f;
      }
    }
    return;
  }
  let k = 0;
  for (let q = 0; q < n; q++) {
    const v = vals[q];
    const id = ids0 === null ? q : ids0[q];
    if (v >= xL && v <= xR) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else x[id] = f;
  }
  if (out !== null) out.size = k;
}

/**
 * Every finite cell survives (minTokensToKeep ≥ their count); with a finite filter value the
 * -Infinity cells go, except the first `mtk − nF` of them (HF's order puts them after the finite ones).
 */
function keepAllFinite(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  vals: Float32Array,
  nF: number,
  mtk: number,
  f: number,
  out: Candidates | null,
): void {
  let exempt = mtk - nF;
  let k = 0;
  for (let q = 0; q < n; q++) {
    const id = ids0 === null ? q : ids0[q];
    if (vals[q] !== -Infinity) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else if (exempt > 0) exempt--;
    else x[id] = f;
  }
  if (out !== null) out.size = k;
}

/**
 * Fewer cells than minTokensToKeep reach the mass: the first `mtk` (< nF) of the order by (shift, id)
 * survive: every shift below the mtk-th smallest, and the first ties with it (a unit-weight selection
 * over every finite cell's shift).
 */
function keepFirst(
  st: TypicalScratch,
  x: Float32Array,
  ids0: Int32Array | null,
  vals: Float32Array,
  n: number,
  nF: number,
  mtk: number,
  f: number,
  out: Candidates | null,
): void {
  if (st.shift.length < nF) st.shift = new Float32Array(Math.max(nF, st.list.length));
  const shift = st.shift;
  const m = st.bounds[B_M];
  const lse = st.bounds[B_LSE];
  const ent = st.bounds[B_ENT];
  let c = 0;
  for (let q = 0; q < n; q++) {
    const v = vals[q];
    if (v !== -Infinity) shift[c++] = Math.abs(Math.fround(Math.fround(v - m) - lse) + ent);
  }
  const so = st.selOut;
  // the mtk-th smallest shift: so[2] cells lie below it; the first mtk − so[2] ties with it survive
  const cut = weightedSelectF32(shift, null, nF, mtk, st.select, so);
  let ties = mtk - so[2];
  let k = 0;
  c = 0;
  for (let q = 0; q < n; q++) {
    const id = ids0 === null ? q : ids0[q];
    if (vals[q] === -Infinity) {
      x[id] = f;
      continue;
    }
    const sh = shift[c++];
    if (sh < cut || (sh === cut && ties-- > 0)) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else x[id] = f;
  }
  if (out !== null) out.size = k;
}
