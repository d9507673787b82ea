/**
 * typicalP's one exp pass: the row max and, per bucket of the exp's table step (ln2/16 ≈ 0.043 nats of
 * the logit), the softmax mass and its first moment, from which the softmax sum S, the entropy and the
 * mass by distance from any logit follow without a second exp pass.
 *
 * Each term is the polynomial of `expNegF32` on the cell's offset from its bucket (relative error below
 * 1e-8); each bucket is scaled once at the end by its table entry.
 */
import { F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from '../../core/fast-exp.js';

/**
 * Buckets kept below the max's (≈ 39 nats), in a ring of {@link MOMENT_RING} slots of two doubles
 * (16 kB, which stays in L1 cache beside the row).
 */
export const MOMENT_WINDOW = 900;
/** Slots of the ring (a power of two above {@link MOMENT_WINDOW}). */
export const MOMENT_RING = 1024;
/**
 * Cells at or below `max − MOMENT_FLOOR_NATS` may be left out of the histogram (each weighs less than
 * 1.3e-17 of the max's).
 */
export const MOMENT_FLOOR_NATS = (MOMENT_WINDOW - 2) * F32_STEP;
/** The scan handles rows whose max lies in [−MOMENT_LIMIT, MOMENT_LIMIT]. */
const MOMENT_LIMIT = 65536;

/** Indices of the results in the `res` array of {@link scanMassMoments}. */
export const R_MAX = 0;
/** S = Σ exp(x − max) over the cells within the window. */
export const R_SUM = 1;
/** D = Σ exp(x − max) · (x − max) over the same cells. */
export const R_MOMENT = 2;
/** The max's bucket, round(max · 16/ln2). */
export const R_TOP = 3;
/** exp(top · ln2/16 − max): bucket b's mass is `hist[2 (b & (RING − 1))] · 2^((b − top)/16) · scale`. */
export const R_SCALE = 4;
/** The number of −Infinity cells. */
export const R_NEG_INF = 5;
/** The number of cells listed (every cell within `near` nats of the max is among them). */
export const R_LISTED = 6;

/**
 * Scans `x[0..n)` once, read-only: fills `res` (length ≥ 7, indices `R_*`) and leaves in `hist`
 * (length 2·{@link MOMENT_RING}) per absolute bucket b = round(x · 16/ln2), at slot 2·(b & (RING − 1)),
 * Σ exp(r) and Σ exp(r)·r over its cells (r = x − b·ln2/16, |r| ≤ ln2/32). Cells more than
 * MOMENT_WINDOW − 2 steps below the running max are left out. Lists in `list` (ascending, no branch per
 * cell) every j whose cell lay within `near` nats of the running max when met: a superset of the cells
 * within `near` of the max. Returns 0, −1 for a NaN or +Infinity cell, −2 when the max lies outside
 * [−65536, 65536]. The sums of an all −Infinity row are 0.
 *
 * @example
 * ```ts
 * import { MOMENT_RING, R_LISTED, R_MAX, R_MOMENT, R_SUM, scanMassMoments } from './mass-moments.js';
 *
 * const res = new Float64Array(7);
 * const list = new Int32Array(2);
 * scanMassMoments(Float32Array.from([0, -1]), 2, new Float64Array(2 * MOMENT_RING), res, list, 0.5); // → 0
 * // the cells within 0.5 nats of the max
 * res[R_LISTED]; // → 1
 * res[R_MAX]; // → 0
 * // 1 + e^-1, and −e^-1
 * res[R_SUM]; // → 1.36787944
 * res[R_MOMENT]; // → -0.36787944
 * ```
 */
export function scanMassMoments(
  x: Float32Array,
  n: number,
  hist: Float64Array,
  res: Float64Array,
  list: Int32Array,
  near: number,
): number {
  let m = -Infinity;
  let top = -Infinity;
  let ninf = 0;
  let nl = 0;
  // module constants as locals: inlined, a module constant is reloaded and unboxed on every cell
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = -MOMENT_FLOOR_NATS;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!(v <= m)) {
      if (!(v < Infinity)) return -1; // NaN or +Infinity
      if (v > MOMENT_LIMIT) return -2;
      top = raiseTop(hist, top, RND + v * INV - RND);
      m = v;
    }
    list[nl] = j;
    nl += +(v >= m - near);
    if (v - m > FLOOR) {
      const a = RND + v * INV - RND;
      addTerm(hist, a, v - a * STEP);
    } else if (v === -Infinity) ninf++;
  }
  // literal indices (R_*): a module constant as the key left the stores without feedback after the loop
  res[0] = m;
  res[3] = top;
  res[5] = ninf;
  res[6] = nl;
  res[1] = 0;
  res[2] = 0;
  res[4] = 0;
  if (m === -Infinity) return 0;
  if (m < -MOMENT_LIMIT) return -2;
  const T = F32_TABLE;
  const scale = Math.exp(top * STEP - m);
  let s = 0;
  let d = 0;
  for (let k = MOMENT_WINDOW - 1; k >= 0; k--) {
    const b = top - k;
    const slot = (b & (MOMENT_RING - 1)) << 1;
    const e = hist[slot] * T[k];
    s += e;
    d += e * (b * STEP - m) + hist[slot + 1] * T[k];
  }
  res[4] = scale;
  res[1] = s * scale;
  res[2] = d * scale;
  return 0;
}

/**
 * The max's bucket rises from `top` to `a`: clears the slots of the buckets above the old max (they may
 * hold buckets a ring length below; the whole ring for the first cell). Returns `a`.
 */
function raiseTop(hist: Float64Array, top: number, a: number): number {
  for (let b = Math.max(top + 1, a - MOMENT_RING + 1); b <= a; b++) {
    const s = (b & (MOMENT_RING - 1)) << 1;
    hist[s] = 0;
    hist[s + 1] = 0;
  }
  return a;
}

/** Adds a cell of bucket `a` at offset `r` from it: exp(r) to the bucket's mass, exp(r)·r to its moment. */
function addTerm(hist: Float64Array, a: number, r: number): void {
  const e = expPolyF32(r);
  const s = (a & (MOMENT_RING - 1)) << 1;
  hist[s] += e;
  hist[s + 1] += e * r;
}

/** The mass of bucket `b` (0 outside the window [top − MOMENT_WINDOW + 1, top]), relative to the max's. */
export function bucketMass(hist: Float64Array, top: number, scale: number, b: number): number {
  const k = top - b;
  if (k < 0 || k >= MOMENT_WINDOW) return 0;
  return hist[(b & (MOMENT_RING - 1)) << 1] * F32_TABLE[k] * scale;
}
