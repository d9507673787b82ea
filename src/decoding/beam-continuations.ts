/**
 * One beam's continuations offered to the step's bounded heap: value `float32(logProb[t] + beamScore)`,
 * index `base + t`. Cells that cannot reach the heap's threshold are rejected with one comparison, so
 * the vocabulary is never sorted.
 */
import { maxOf, sumExpShifted } from '../core/softmax.js';
import type { TopEntries } from '../core/top-entries.js';

/** A value safely below `v`: cells under it cannot reach a score threshold of v (NaN/-Inf: no cut). */
function cutFor(v: number): number {
  return v === v && v > -Infinity ? v - 1e-3 * (1 + Math.abs(v)) : -Infinity;
}

/**
 * From raw logits: the log-softmax is taken on the fly, in float32 as torch does
 * (`float32(float32(x - max) - float32(log Σ exp))`), only for cells that can enter the heap.
 */
export function offerLogits(top: TopEntries, keep: number, row: Float32Array, V: number, beamScore: number, base: number): void {
  const m = maxOf(row, V);
  const lse = Math.fround(Math.log(sumExpShifted(row, m, V)));
  // the cut is checked in double with a margin far wider than the float32 roundings
  let thr = top.threshold;
  let cut = cutFor(thr - beamScore + lse + m);
  for (let t = 0; t < V; t++) {
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
