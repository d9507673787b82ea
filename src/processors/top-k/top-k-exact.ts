/**
 * llama.cpp's top-k: keeps exactly k tokens (HF's keeps every token tied with the k-th largest).
 * Among tokens tied at the k-th value the lower ids stay (llama.cpp leaves that order unspecified).
 */
import type { Candidates, Processor } from '../../core/types.js';
import { checkInteger, checkLogits } from '../../core/validate.js';
import { topK } from './top-k.js';
import { dropRemoved, sortCandidates, warper } from '../warp-common.js';

/**
 * Top-k keeping exactly `min(k, finite cells)` tokens (llama.cpp `top_k`), built on {@link topK}: the
 * tied tokens beyond k, highest ids first, become `-Infinity`.
 *
 * @example
 * ```ts
 * import { topKExact } from 'degen-guard';
 * Array.from(topKExact(2)(new Float32Array([1, 3, 3, 3])));  // → [-Infinity, 3, 3, -Infinity]
 * ```
 */
export function topKExact(k: number): Processor {
  checkInteger('topK k', k, 1);
  const base = topK(k);
  const own: Candidates = { ids: new Int32Array(0), size: 0 };

  /** Drops the tied survivors beyond k (highest ids first); cands hold the survivors. */
  const trim = (x: Float32Array, cands: Candidates): void => {
    let n = 0;
    let low = Infinity;
    const ids = cands.ids;
    for (let j = 0; j < cands.size; j++) {
      const v = x[ids[j]];
      if (v === -Infinity) continue;
      n++;
      if (v < low) low = v;
    }
    if (n <= k) return;
    sortCandidates(cands);
    let extra = n - k;
    for (let j = cands.size - 1; j >= 0 && extra > 0; j--) {
      if (x[ids[j]] === low) {
        x[ids[j]] = -Infinity;
        extra--;
      }
    }
    dropRemoved(x, cands);
  };
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    if (own.ids.length < logits.length) own.ids = new Int32Array(logits.length);
    base.truncate!(logits, own);
    trim(logits, own);
    return logits;
  };
  const truncate = (logits: Float32Array, cands: Candidates): boolean => {
    checkLogits(logits);
    base.truncate!(logits, cands);
    trim(logits, cands);
    return true;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    base.sparse!(logits, cands);
    trim(logits, cands);
  };
  return warper(`topK(${k}, exact)`, plain, { truncate, sparse });
}
