/**
 * Softmax statistics of a row (or of its cells `ids`) in one pass, for the samplers that threshold
 * probabilities (xtc, mirostat) or need the entropy (dynamic temperature): the max, S = Σ exp(x − max)
 * (with {@link expBlockSumsIds}, the kernel `sample` uses) and D = Σ exp(x − max)·(x − max), with
 * {@link expNegF32} (relative error below 1e-8) in blocked loops.
 */
import { EXP_BLOCK_SHIFT, blockStarts, expBlockSumsIds, gatherCells } from './exp-blocks.js';
import { EXP_NEG_FLOOR, expNegF32 } from './fast-exp.js';

/** Results: the max (NaN when a cell is NaN or +Infinity), S, and for {@link expMoments} D and the -Infinity count. */
export interface ExpTotal {
  max: number;
  sum: number;
  moment: number;
  /** {@link expMoments}: cells equal to -Infinity. */
  negInf: number;
}

/** A fresh result object. */
export function expTotalResult(): ExpTotal {
  return { max: 0, sum: 0, moment: 0, negInf: 0 };
}

let W = new Float64Array(0);
/** Blocks of the last dense {@link expTotal} or {@link expMoments} (0 after a candidate-list one), for {@link indicesAtLeastAfterTotal}. */
let lastBlocks = 0;
let lastX: Float32Array | null = null;
let M = new Float64Array(0);
let D = new Float64Array(0);
let B = new Int32Array(0);
const idOut = new Float64Array(2);

function grow(blocks: number): void {
  if (W.length < blocks + 1) {
    W = new Float64Array(blocks + 1);
    M = new Float64Array(blocks + 1);
    D = new Float64Array(blocks + 1);
    B = new Int32Array(blocks + 1);
  }
}

/**
 * Over `x[0..n)` (ids null) or the cells `ids[0..n)` sorted ascending (every other cell being
 * -Infinity): writes the max and S = Σ exp(x − max) into `out` (`sum` 0 when every cell is -Infinity).
 */
export function expTotal(x: Float32Array, ids: Int32Array | null, n: number, out: ExpTotal): void {
  grow(ids === null ? (n >> EXP_BLOCK_SHIFT) + 1 : n + 1);
  // the max comes back in idOut, not as the return value (a double returned from a call that V8
  // does not inline is a new heap number)
  const nb = expBlockSumsIds(x, ids, n, W, M, ids === null ? null : B, idOut);
  const m = idOut[0];
  lastBlocks = ids === null ? nb : 0;
  lastX = ids === null ? x : null;
  out.max = m;
  out.moment = 0;
  if (m !== m || m === -Infinity) {
    out.sum = 0;
    return;
  }
  let total = 0;
  for (let b = 0; b < nb; b++) total += W[b] * expNegF32(M[b] - m);
  out.sum = total;
}

/**
 * A bound on |S / S* − 1| for the sum S of {@link expTotal} or {@link expMoments} over n cells, S* being
 * Σ expNeg(fround(x − max)) summed in double in index order (what the exact routes compute), either
 * within a few 1e-16 of Σ exp(fround(x − max)). Its parts: each term of S is a product of at most
 * 258 expNegF32 values (its own, up to 256 rescales of its block as the running max rises, the
 * block's factor), each within [−1e-8, +1e-13] of the exact exp; S takes exp(x − max) where S* takes
 * exp(fround(x − max)), which differ by a factor within 2⁻²⁴·|x − max|, and Σ p·|x − max| ≤ ln n
 * (the entropy less ln S, S ≥ 1); the double sums round by at most (n + blocks)·2⁻⁵³ each.
 * About 3.3e-6 at n = 128,256.
 */
export function expTotalErrorBound(n: number): number {
  return 2.6e-6 + 6e-8 * Math.log(n + 1) + 3e-16 * (n + 1024);
}

/**
 * A bound on |D − W*| / |D| for the moment D of {@link expMoments} over n cells, W* being
 * Σ e·fround(x − max), e = expNeg(fround(x − max)), summed in double in index order: as
 * {@link expTotalErrorBound}, with the rounding of each z = x − max counted twice (in e and as the
 * factor) and Σ e·z² ≤ 40·|D| + n·1600·e⁻⁴⁰ (e·z² decreases past |z| = 2). Absolute part:
 * {@link EXP_MOMENT_ABS_ERROR} per cell.
 */
export function expMomentErrorBound(n: number): number {
  return 2.6e-6 + 44 * 2 ** -24 + 3e-16 * (n + 1024);
}

/** The absolute part of {@link expMomentErrorBound}, per cell (S ≥ 1 makes it relative to S too). */
export const EXP_MOMENT_ABS_ERROR = 1e-20;

/**
 * The ids i < n with `x[i] ≥ cut`, cut = `cutIn[0]`, in id order, into `out`; returns how many. The cut
 * comes in a Float64Array: a double passed to a call V8 does not inline is a new heap number. Right
 * after a dense
 * {@link expTotal} or {@link expMoments} of the same unchanged row it skips every block of 256 cells whose sum bounds its
 * cells below the cut (each cell's weight is at most its block's sum: x ≤ M[b] + ln W[b]), so a cut
 * near the top of a peaked row costs O(blocks) instead of O(n).
 */
export function indicesAtLeastAfterTotal(x: Float32Array, n: number, cutIn: Float64Array, out: Int32Array): number {
  const cut = cutIn[0];
  let c = 0;
  if (lastX !== x || lastBlocks !== ((n + (1 << EXP_BLOCK_SHIFT) - 1) >> EXP_BLOCK_SHIFT)) {
    for (let i = 0; i < n; i++) if (x[i] >= cut) out[c++] = i;
    return c;
  }
  const SH = EXP_BLOCK_SHIFT;
  for (let b = 0; b < lastBlocks; b++) {
    if (blockCeiling(b) < cut) continue;
    const end = Math.min(n, (b + 1) << SH);
    for (let i = b << SH; i < end; i++) if (x[i] >= cut) out[c++] = i;
  }
  return c;
}

/**
 * After a dense {@link expTotal}: a bound no cell of block b (ids `b·256 … b·256 + 255`) exceeds. Each
 * cell's weight is at most its block's sum, so x ≤ M[b] + ln W[b]; a block whose sum is 0 holds only
 * cells at least 104 below M[b].
 */
function blockCeiling(b: number): number {
  const w = W[b];
  // 1e-5 > the most a block sum can fall short of its largest term (258 expNegF32 factors: 2.6e-6)
  return w > 0 ? M[b] + Math.log(w) + 1e-5 : M[b] + EXP_NEG_FLOOR + 1;
}

/**
 * Right after a dense {@link expTotal} of the same unchanged row `x[0..n)`: writes into `out[b]` a
 * bound that no cell of block b (ids `b·256 … b·256 + 255`) exceeds, and returns the number of
 * blocks; 0 (nothing written) when the last {@link expTotal} was not over this row. A scan for the
 * largest cells skips every block whose bound is below what it already holds.
 */
export function blockCeilingsAfterTotal(x: Float32Array, n: number, out: Float64Array): number {
  if (lastX !== x || lastBlocks !== ((n + (1 << EXP_BLOCK_SHIFT) - 1) >> EXP_BLOCK_SHIFT) || out.length < lastBlocks) return 0;
  for (let b = 0; b < lastBlocks; b++) out[b] = blockCeiling(b);
  return lastBlocks;
}

/**
 * Over `x[0..n)` (ids null) or the cells `ids[0..n)` sorted ascending (every other cell being
 * -Infinity): the max, S, D = Σ exp(x − max)·(x − max) and the number of -Infinity cells, in one
 * blocked pass (per block of 256 ids a running max; the block's sums are rescaled when it rises:
 * e' = e·r, z' = z + d). The candidate cells of a block are summed in the dense pass's order, so both
 * give the same numbers to the bit. The entropy is `ln S − D / S` nats.
 */
export function expMoments(x: Float32Array, ids: Int32Array | null, n: number, out: ExpTotal): void {
  const SH = EXP_BLOCK_SHIFT;
  grow(ids === null ? (n >> SH) + 1 : n + 1);
  if (ids === null) {
    lastBlocks = (n + (1 << SH) - 1) >> SH;
    lastX = x;
    if (momentBlocks(x, null, lastBlocks, n, out) < 0) notFinite(out, negBefore);
  } else {
    lastBlocks = 0;
    lastX = null;
    if (momentBlocks(gatherCells(x, ids, n), B, blockStarts(ids, n, B), n, out) < 0) notFinite(out, negBefore);
  }
}

/** The -Infinity cells {@link momentBlocks} met before a NaN or +Infinity one. */
let negBefore = 0;

/**
 * The loop of {@link expMoments} over the cells `v[0..n)` in blocks (`starts` null: of 256 cells;
 * else block b is `v[starts[b] .. starts[b + 1])`); per block a running max, the block's sums rescaled
 * when it rises (e' = e·r, z' = z + d). It reads `v[j]` directly: candidates are gathered first, as in
 * expBlockSumsIds.
 */
function momentBlocks(v: Float32Array, starts: Int32Array | null, nb: number, n: number, out: ExpTotal): number {
  const FLOOR = EXP_NEG_FLOOR;
  const SH = EXP_BLOCK_SHIFT;
  let m = -Infinity;
  let neg = 0;
  for (let b = 0; b < nb; b++) {
    const start = starts === null ? b << SH : starts[b];
    const end = starts === null ? Math.min(n, (b + 1) << SH) : starts[b + 1];
    let s = 0;
    let d1 = 0;
    for (let j = start; j < end; j++) {
      const y = v[j];
      if (!(y <= m)) {
        if (!(y < Infinity)) {
          negBefore = neg; // through a module variable, as sumBlocks reports its bad cell
          return -1;
        }
        const d = m - y;
        if (d > FLOOR) {
          const r = expNegF32(d);
          d1 = r * (d1 + d * s);
          s *= r;
        } else {
          s = 0;
          d1 = 0;
        }
        m = y;
      }
      const z = y - m;
      if (z > FLOOR) {
        const e = expNegF32(z);
        s += e;
        d1 += e * z;
      } else if (y === -Infinity) neg++;
    }
    W[b] = s;
    D[b] = d1;
    M[b] = m;
  }
  out.max = m;
  out.negInf = neg;
  if (m === -Infinity) {
    out.sum = 0;
    out.moment = 0;
    return 0;
  }
  let S = 0;
  let Dm = 0;
  for (let b = 0; b < nb; b++) {
    const d = M[b] - m;
    const r = expNegF32(d);
    S += W[b] * r;
    Dm += r * (D[b] + d * W[b]);
  }
  out.sum = S;
  out.moment = Dm;
  return 0;
}

/** The result for a row holding NaN or +Infinity (`neg` the -Infinity cells met before it). */
function notFinite(out: ExpTotal, neg: number): void {
  out.max = NaN;
  out.sum = 0;
  out.moment = 0;
  out.negInf = neg;
}
