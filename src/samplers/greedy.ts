/** Greedy decoding: the index of the largest logit. */
import type { Candidates } from '../core/types.js';
import { checkCandidates, checkLogits, foreignCandidates } from '../core/validate.js';
import { warmOnce } from '../core/warm-up.js';

let warm = false;

/**
 * The id of the largest logit (argmax); the lowest id wins a tie, as `torch.argmax` does.
 * Throws a RangeError for a row holding NaN or one that is all `-Infinity` (every token banned),
 * and for `cands` holding an id outside the row (candidates of another row).
 *
 * @param cands optional survivors from a pipeline: only `cands.ids[0..size)` are looked at.
 * @example
 * ```ts
 * import { greedy } from 'degen-guard';
 *
 * greedy(new Float32Array([0.1, 2.5, 2.5, -1])); // → 1
 * ```
 */
export function greedy(logits: Float32Array, cands?: Candidates | null): number {
  if (!warm) {
    // the dense loop, once per process, on small rows first (src/core/warm-up.ts says why)
    warm = true;
    warmOnce('greedy', [(row) => greedy(row)]);
  }
  checkLogits(logits);
  let best = -1;
  let m = -Infinity;
  if (cands) {
    const ids = cands.ids;
    const size = checkCandidates(cands, logits.length);
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      const v = logits[id];
      if (!(v < m)) {
        // v ≥ m, NaN, or undefined (an id outside the row): one branch for the common case
        if (v === undefined) throw foreignCandidates(id, logits.length);
        if (v !== v) throw nanError(id);
        if (v > m || id < best) {
          m = v;
          best = id;
        }
      }
    }
  } else {
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i];
      if (!(v <= m)) {
        // a new max, or NaN: one branch for the common case
        if (v !== v) throw nanError(i);
        m = v;
        best = i;
      }
    }
  }
  if (best < 0) throw new RangeError('logits are all -Infinity: every token is banned, nothing to choose');
  return best;
}

function nanError(i: number): RangeError {
  return new RangeError(`logits[${i}] is NaN: cannot choose a token`);
}
