/**
 * One beam's continuations offered to the step's bounded heap: value `float32(logProb[t] + beamScore)`,
 * index `base + t`. Cells that cannot reach the heap's threshold are rejected with one comparison, so
 * the vocabulary is never sorted.
 *
 * The log-probabilities are torch's float32 log-softmax, `float32(float32(x − max) − L)`, with one
 * log-sum-exp term L per row from {@link rowLogSumExp}. Both ways of offering a row use it: from the
 * raw logits ({@link offerLogits}, when nothing else needs the row: the log-probabilities of the few
 * cells that can enter the heap only) and from the whole row of log-probabilities
 * ({@link logSoftmaxWith}, then the processors, then {@link offerLogProbs}). So both give the same
 * beams to the bit.
 */
import { EXP_BLOCK_SHIFT } from '../core/exp-blocks.js';
import { blockCeilingsAfterTotal, expTotalResult } from '../core/exp-total.js';
import { logSumExpTerm, writeLogSoftmax, type LogSoftmaxTerms } from '../core/softmax.js';
import type { TopEntries } from '../core/top-entries.js';

const tot = expTotalResult();

/** What {@link rowLogSumExp} finds in a row. */
export interface RowTerms extends LogSoftmaxTerms {
  /** Per block of 256 ids, a bound no cell of the block exceeds. */
  ceilings: Float64Array;
  /** Blocks in `ceilings`. */
  blocks: number;
}

/** Scratch for rows of V cells. */
export function rowTerms(V: number): RowTerms {
  return { max: NaN, lse: NaN, ceilings: new Float64Array((V >> EXP_BLOCK_SHIFT) + 1), blocks: 0 };
}

/**
 * The max of `row[0..V)`, its float32 log-sum-exp term `L = float32(ln float32(S))`,
 * S = Σ exp(x − max), and a bound of each block of 256 cells, from one pass ({@link expTotal}: relative
 * error of S below 1e-8, so L is within one float32 rounding of the exact value, as torch's is).
 */
export function rowLogSumExp(row: Float32Array, V: number, out: RowTerms): void {
  logSumExpTerm(row, V, tot, out);
  out.blocks = blockCeilingsAfterTotal(row, V, out.ceilings);
}

/** Writes the log-softmax of `row[0..V)` into `lp` from the row's max and term L of {@link rowLogSumExp}. */
export function logSoftmaxWith(row: Float32Array, lp: Float32Array, V: number, terms: LogSoftmaxTerms): void {
  writeLogSoftmax(row, lp, V, terms);
}

/** A value safely below `v`: cells under it cannot reach a score threshold of v (NaN/-Inf: no cut). */
function cutFor(v: number): number {
  return v === v && v > -Infinity ? v - 1e-3 * (1 + Math.abs(v)) : -Infinity;
}

/**
 * From raw logits, with the row's terms from {@link rowLogSumExp} (`lse` finite): the log-probability
 * is taken only for cells that can enter the heap, and a block of 256 cells whose bound is below the
 * cut is skipped whole.
 */
export function offerLogits(top: TopEntries, keep: number, row: Float32Array, V: number, terms: RowTerms, beamScore: number, base: number): void {
  const { max: m, lse, ceilings, blocks } = terms;
  const SH = EXP_BLOCK_SHIFT;
  // the cut is checked in double with a margin far wider than the float32 roundings
  let thr = top.threshold;
  let cut = cutFor(thr - beamScore + lse + m);
  for (let b = 0; b < blocks; b++) {
    if (ceilings[b] < cut) continue;
    const end = Math.min(V, (b + 1) << SH);
    for (let t = b << SH; t < end; t++) {
      const x = row[t];
      if (x < cut) continue;
      const s = Math.fround(Math.fround(Math.fround(x - m) - lse) + beamScore);
      if (s > thr || (s === thr && top.size < keep)) {
        top.offer(s, base + t);
        thr = top.threshold;
        cut = cutFor(thr - beamScore + lse + m);
      }
    }
  }
}

/** From processed log-probabilities `lp` (length ≥ V). */
export function offerLogProbs(top: TopEntries, keep: number, lp: Float32Array, V: number, beamScore: number, base: number): void {
  let thr = top.threshold;
  let cut = cutFor(thr - beamScore);
  for (let t = 0; t < V; t++) {
    const x = lp[t];
    if (x < cut) continue;
    const s = Math.fround(x + beamScore);
    if (s > thr || (s === thr && top.size < keep)) {
      top.offer(s, base + t);
      thr = top.threshold;
      cut = cutFor(thr - beamScore);
    }
  }
}
