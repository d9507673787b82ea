/**
 * One-pass softmax statistics of a row (or of its cells `ids`), with {@link expNegF32}'s arithmetic
 * (relative error below 1e-8) written out in the loop and a running max (the sums are rescaled when
 * it rises), for the samplers that threshold probabilities (xtc, mirostat) or need the entropy
 * (dynamic temperature). -Infinity cells weigh 0 and are not counted.
 */
import { EXP_NEG_FLOOR, F32_INV_STEP, F32_STEP, F32_TABLE, ROUND } from './fast-exp.js';

/** Results of the scans: the max (NaN when a cell is NaN or +Infinity), Σ exp(x − max), finite cells. */
export interface ExpTotal {
  max: number;
  sum: number;
  /** Cells that are not -Infinity. */
  count: number;
  /** {@link expMoments} only: Σ exp(x − max)·(x − max). */
  moment: number;
}

/** A fresh result object. */
export function expTotalResult(): ExpTotal {
  return { max: 0, sum: 0, count: 0, moment: 0 };
}

/**
 * Over `x[0..n)` (ids null) or the cells `ids[0..n)`: the max, Σ exp(x − max) and the finite count,
 * and lists in `list` every id whose value was ≥ (running max − `width`) when met (a superset of the
 * cells within `width` of the final max; `width` < 0 lists nothing). Returns the count listed.
 *
 */
export function expScan(x: Float32Array, ids: Int32Array | null, n: number, width: number, list: Int32Array, out: ExpTotal): number {
  return ids === null ? scanDense(x, n, width, list, out) : scanIds(x, ids, n, width, list, out);
}

function scanDense(x: Float32Array, n: number, width: number, list: Int32Array, out: ExpTotal): number {

  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  const listing = width >= 0;
  let m = -Infinity;
  let cut = -Infinity;
  let s = 0;
  let count = 0;
  let listed = 0;
  for (let j = 0; j < n; j++) {
    const id = j;
    const v = x[id];
    if (v <= cut) {
      // the common case: far below the max (its weight still counts)
      if (v === -Infinity) continue;
      count++;
      const z = v - m;
      if (z > FLOOR) {
        const kf = RND - z * INV - RND;
        const r = z + kf * STEP;
        s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      }
      continue;
    }
    if (!(v < Infinity)) {
      if (v === -Infinity) continue;
      out.max = NaN;
      out.sum = 0;
      out.count = count;
      return 0;
    }
    count++;
    if (v > m) {
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r = d + kf * STEP;
        s *= T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      } else s = 0;
      m = v;
      cut = listing ? m - width : m;
    }
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
    }
    if (listing) list[listed++] = id;
  }
  out.max = m;
  out.sum = m === -Infinity ? 0 : s;
  out.count = count;
  return listed;
}

function scanIds(x: Float32Array, ids: Int32Array, n: number, width: number, list: Int32Array, out: ExpTotal): number {
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  const listing = width >= 0;
  let m = -Infinity;
  let cut = -Infinity;
  let s = 0;
  let count = 0;
  let listed = 0;
  for (let j = 0; j < n; j++) {
    const id = ids[j];
    const v = x[id];
    if (v <= cut) {
      // the common case: far below the max (its weight still counts)
      if (v === -Infinity) continue;
      count++;
      const z = v - m;
      if (z > FLOOR) {
        const kf = RND - z * INV - RND;
        const r = z + kf * STEP;
        s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      }
      continue;
    }
    if (!(v < Infinity)) {
      if (v === -Infinity) continue;
      out.max = NaN;
      out.sum = 0;
      out.count = count;
      return 0;
    }
    count++;
    if (v > m) {
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r = d + kf * STEP;
        s *= T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      } else s = 0;
      m = v;
      cut = listing ? m - width : m;
    }
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      s += T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
    }
    if (listing) list[listed++] = id;
  }
  out.max = m;
  out.sum = m === -Infinity ? 0 : s;
  out.count = count;
  return listed;
}

/**
 * Over `x[0..n)` (ids null) or the cells `ids[0..n)`: the max, S = Σ exp(x − max), the moment
 * D = Σ exp(x − max)·(x − max) and the finite count, in one pass. The softmax entropy is
 * `ln S − D / S` nats.
 *
 */
export function expMoments(x: Float32Array, ids: Int32Array | null, n: number, out: ExpTotal): void {
  if (ids === null) momentsDense(x, n, out);
  else momentsIds(x, ids, n, out);
}

function momentsDense(x: Float32Array, n: number, out: ExpTotal): void {
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  let m = -Infinity;
  let s = 0;
  let d1 = 0;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (!(v <= m)) {
      if (!(v < Infinity)) {
        if (v === -Infinity) continue;
        out.max = NaN;
        out.sum = 0;
        out.moment = 0;
        out.count = count;
        return;
      }
      // new max: e' = e·r, z' = z + d with d = m − v
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r0 = d + kf * STEP;
        const r = T[kf | 0] * (1 + r0 * (1 + r0 * (0.5 + r0 * 0.16666666666666666)));
        d1 = r * (d1 + d * s);
        s *= r;
      } else {
        s = 0;
        d1 = 0;
      }
      m = v;
    }
    if (v === -Infinity) continue;
    count++;
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      const e = T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      s += e;
      d1 += e * z;
    }
  }
  out.max = m;
  out.sum = m === -Infinity ? 0 : s;
  out.moment = m === -Infinity ? 0 : d1;
  out.count = count;
}

function momentsIds(x: Float32Array, ids: Int32Array, n: number, out: ExpTotal): void {
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  let m = -Infinity;
  let s = 0;
  let d1 = 0;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const v = x[ids[j]];
    if (!(v <= m)) {
      if (!(v < Infinity)) {
        if (v === -Infinity) continue;
        out.max = NaN;
        out.sum = 0;
        out.moment = 0;
        out.count = count;
        return;
      }
      // new max: e' = e·r, z' = z + d with d = m − v
      const d = m - v;
      if (d > FLOOR) {
        const kf = RND - d * INV - RND;
        const r0 = d + kf * STEP;
        const r = T[kf | 0] * (1 + r0 * (1 + r0 * (0.5 + r0 * 0.16666666666666666)));
        d1 = r * (d1 + d * s);
        s *= r;
      } else {
        s = 0;
        d1 = 0;
      }
      m = v;
    }
    if (v === -Infinity) continue;
    count++;
    const z = v - m;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      const e = T[kf | 0] * (1 + r * (1 + r * (0.5 + r * 0.16666666666666666)));
      s += e;
      d1 += e * z;
    }
  }
  out.max = m;
  out.sum = m === -Infinity ? 0 : s;
  out.moment = m === -Infinity ? 0 : d1;
  out.count = count;
}
