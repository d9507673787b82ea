/** Locally typical sampling (HF TypicalLogitsWarper). */
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from '../../core/fast-exp.js';
import { checkOptionKeys } from '../../core/option-keys.js';
import { heapPopRoot, heapPush } from '../../core/index-heap.js';
import type { Candidates, Processor } from '../../core/types.js';
import { checkRange, filterValueOption, minTokensOption, WARPER_OPTION_KEYS } from '../../core/validate.js';
import type { WarperOptions } from '../options.js';
import { typicalBySort } from './sorted.js';
import { MOMENT_FLOOR_NATS, R_LISTED, R_MAX, R_MOMENT, R_NEG_INF, R_SCALE, R_SUM, R_TOP, scanMassMoments } from './mass-moments.js';
import { runWarper } from '../warp-common.js';
import { TypicalScratch, DONE, UNDECIDED, B_C, B_TARGET, B_DELTA, B_DB, B_IN_LO, B_IN_HI, B_IN_MASS, B_M, B_LSE, B_ENT } from './scratch.js';
import { crossingBounds, crossingTarget } from './crossing.js';
import { writeKept, keepAllFinite, keepFirst } from './keep.js';
import { nearFirst } from './near-first.js';

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
  return runWarper(`typicalP(${mass})`, filter, run);
}
/**
 * The exp pass lists the cells within this many nats of the max: when the interval lies there (a
 * confident row), no compare pass over the row is needed.
 */
const NEAR_NATS = 8;

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
 * import { typicalBySelect } from './typical-p.js';
 * import { TypicalScratch } from './scratch.js';
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
