/** Greedy decoding: the index of the largest logit. */
import type { Candidates } from '../core/types.js';
import { checkLogits } from '../core/validate.js';

/**
 * The id of the largest logit (argmax); the lowest id wins a tie, as `torch.argmax` does.
 * Throws a RangeError for a row holding NaN or one that is all `-Infinity` (every token banned).
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
  checkLogits(logits);
  let best = -1;
  let m = -Infinity;
  if (cands) {
    const ids = cands.ids;
    for (let i = 0; i < cands.size; i++) {
      const id = ids[i];
      const v = logits[id];
      if (!(v < m)) {
        // v ≥ m, or NaN: one branch for the common case
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
