/**
 * Top-nσ (Tang et al. 2024, arXiv 2411.07641; llama.cpp `top_n_sigma`): keeps the logits within n
 * standard deviations of the largest one. Works on logits, so a temperature before or after it does
 * not change which tokens it keeps.
 */
import type { Candidates, Processor } from '../core/types.js';
import { checkFinite, checkLogits } from '../core/validate.js';
import { sortCandidates, warper } from './warp-common.js';

const f = Math.fround;

/**
 * Sets every logit below `max − n·σ` to `-Infinity`, with `max`, the mean and the population
 * standard deviation σ taken over the finite (not `-Infinity`) cells, in llama.cpp's float32
 * arithmetic (float sums in index order, the squares in double). `n ≤ 0` is the identity (llama.cpp:
 * "-1 = off"; 0 no longer means greedy). A row with fewer than 2 cells, or holding NaN or +Infinity,
 * is left unchanged. The maximum always survives. Three passes over the row, no allocation.
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
  const run = (x: Float32Array, ids: Int32Array | null, size: number): void => {
    if (!(nf > 0) || size <= 1) return;
    let max = -Infinity;
    let sum = 0;
    let count = 0;
    for (let j = 0; j < size; j++) {
      const v = x[ids === null ? j : ids[j]];
      if (v === -Infinity) continue;
      if (!(v < Infinity)) return; // NaN or +Infinity: leave the row alone
      if (v > max) max = v;
      sum = f(sum + v);
      count++;
    }
    if (count === 0) return;
    const mean = f(sum / count);
    let acc = 0;
    for (let j = 0; j < size; j++) {
      const v = x[ids === null ? j : ids[j]];
      if (v === -Infinity) continue;
      const d = f(v - mean);
      acc = f(acc + d * d);
    }
    const sd = f(Math.sqrt(f(acc / count)));
    const cut = f(max - f(nf * sd));
    for (let j = 0; j < size; j++) {
      const id = ids === null ? j : ids[j];
      if (x[id] < cut) x[id] = -Infinity;
    }
  };
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    run(logits, null, logits.length);
    return logits;
  };
  // The finite cells all lie in the candidates; in ascending order the float sums are the dense ones.
  // (The "fewer than 2 cells" guard counts the row's cells, as llama.cpp counts its candidates.)
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (logits.length <= 1) return;
    const ids = sortCandidates(cands);
    run(logits, ids, cands.size);
    let c = 0;
    for (let j = 0; j < cands.size; j++) if (logits[ids[j]] !== -Infinity) ids[c++] = ids[j];
    cands.size = c;
  };
  return warper(`topNSigma(${n})`, plain, { sparse });
}
