/** typicalP's route for a confident row: the cells near the max, taken in increasing shift. */
import { expMoments, indicesAtLeastAfterTotal } from '../../core/exp-total.js';
import { expNegF32 } from '../../core/fast-exp.js';
import { heapPopRoot, heapPush } from '../../core/index-heap.js';
import type { Candidates } from '../../core/types.js';
import { TypicalScratch, B_TARGET } from './scratch.js';
import { crossingTarget } from './crossing.js';
import { writeKept } from './keep.js';


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
export function nearFirst(
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
  st.cutIn[0] = cut;
  if (ids0 === null) nl = indicesAtLeastAfterTotal(x, n, st.cutIn, list);
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
