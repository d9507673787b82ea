/** typicalP's crossing from the mass histogram: the bucket walks outward from c, and the target mass. */
import { F32_INV_STEP, F32_STEP, ROUND } from '../../core/fast-exp.js';
import { MOMENT_WINDOW, R_SCALE, R_TOP, bucketMass } from './mass-moments.js';
import { TypicalScratch, B_C, B_TARGET, B_DELTA, B_DA, B_DB, B_IN_LO, B_IN_HI, B_IN_MASS } from './scratch.js';

/** Relative slack of the bucket walks over the rounding of grouped sums. */
const WALK_SLACK = 1e-9;

/**
 * Bounds of the crossing from the mass histogram, walking the buckets outward from c: dA, the distance
 * at which the buckets reaching within it (by their nearest edge) first hold `target` (the crossing
 * shift is at least dA − δ), and dB, the distance at which the buckets lying wholly within it first hold
 * `target` (the crossing shift is at most dB + δ). The inner buckets [aIL, aIR] lie wholly within
 * dA − 2δ of c (their cells are kept: shift < dA − δ) and hold the mass wIn. Reads c, target and δ from
 * `bd` and writes the results there (doubles passed to a call that is not inlined would be boxed).
 * Returns false when the histogram does not hold `target`.
 */
export function crossingBounds(hist: Float64Array, res: Float64Array, bd: Float64Array): boolean {
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
export function crossingTarget(fm: number, st: TypicalScratch): void {
  st.bits[0] = fm;
  st.bitsU[0] -= 1;
  const mid = (st.bits[0] + fm) / 2; // exact: the rounding boundary below fm
  // a tie at mid rounds to the float32 with an even significand
  st.bounds[B_TARGET] = Math.fround(mid) >= fm ? mid : mid + mid * 1.1102230246251565e-16;
}
