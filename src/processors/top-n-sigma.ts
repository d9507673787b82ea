/**
 * Top-nσ (Tang et al. 2024, arXiv 2411.07641; llama.cpp `top_n_sigma`): keeps the logits within n
 * standard deviations of the largest one. Works on logits, so a temperature before or after it does
 * not change which tokens it keeps.
 */
import { gatherCells } from '../core/exp-blocks.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkFinite, checkLogits } from '../core/validate.js';
import { denseCall, dropRemoved, sortCandidates, warper } from './warp-common.js';

const f = Math.fround;

/**
 * Sets every logit below `max − n·σ` to `-Infinity`, with `max`, the mean and the population
 * standard deviation σ taken over the finite (not `-Infinity`) cells (sums in double; the cut is
 * rounded to float32 as llama.cpp's, which sums in float32: a cell within ~1e-7 (relative) of the cut
 * may be decided differently). `n ≤ 0` is the identity (llama.cpp:
 * "-1 = off"; 0 no longer means greedy). A row with fewer than 2 cells, or holding NaN or +Infinity,
 * is left unchanged. The maximum always survives. Two passes over the row, no allocation.
 *
 * @param n the width in standard deviations (any finite number; ≤ 0 = off).
 * @example
 * ```ts
 * import { topNSigma } from 'degen-guard';
 * const row = Float32Array.from([0.1, 0.2, 0.3, 0.4].map(Math.log));
 * Array.from(topNSigma(1)(row)).map((v) => v === -Infinity);  // → [true, true, false, false]
 * ```
 */
export function topNSigma(n: number): Processor {
  checkFinite('topNSigma n', n);
  const nf = f(n);
  // the cut comes back in this slot: a double returned from (or handed to) a call that V8 does not
  // inline is a new heap number on every call
  const cut = new Float64Array(1);
  const run = (x: Float32Array, ids: Int32Array | null, size: number): void => {
    if (!(nf > 0) || size <= 1) return;
    // the candidates' cells gathered in order, so that one moments loop serves both paths (an
    // `ids === null ? j : ids[j]` per cell made the dense call 6 % slower)
    if (!cutOver(ids === null ? x : gatherCells(x, ids, size), size)) return;
    const st = cut[0];
    if (ids === null) {
      for (let j = 0; j < size; j++) if (x[j] < st) x[j] = -Infinity;
    } else {
      for (let j = 0; j < size; j++) if (x[ids[j]] < st) x[ids[j]] = -Infinity;
    }
  };
  /**
   * Writes the cut max − n·σ over x[0..size) into `cut[0]`; false to leave the row alone (NaN,
   * +Infinity, no finite cell). Double sums: the float32 sums llama.cpp makes cost a dependent rounding
   * per cell; the cut differs from its by ~1e-7 relative at most. Σ(x − mean)² = Σx² − count·mean²,
   * clamped at 0.
   */
  const cutOver = (x: Float32Array, size: number): boolean => {
    let max = -Infinity;
    let sum = 0;
    let sq = 0;
    let count = 0;
    for (let j = 0; j < size; j++) {
      const v = x[j];
      if (!(v > -Infinity)) {
        if (v !== v) return false;
        continue;
      }
      if (v > max) max = v;
      sum += v;
      sq += v * v;
      count++;
    }
    if (count === 0 || max === Infinity) return false;
    const mean = sum / count;
    cut[0] = f(max - f(nf * f(Math.sqrt(Math.max(0, sq / count - mean * mean)))));
    return true;
  };
  // The finite cells all lie in the candidates; in ascending order the float sums are the dense ones.
  // (The "fewer than 2 cells" guard counts the row's cells, as llama.cpp counts its candidates.)
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (logits.length <= 1) return;
    const ids = sortCandidates(cands);
    run(logits, ids, cands.size);
    dropRemoved(logits, cands);
  };
  return warper(`topNSigma(${n})`, denseCall(run), { sparse });
}

