/**
 * XTC, "exclude top choices" (p-e-w; llama.cpp `xtc`): with some probability, removes every token
 * at or above a probability threshold except the least probable of them, so the text leaves its
 * most predictable path while staying coherent. O(V) without a sort.
 */
import { expTotal, expTotalResult, indicesAtLeastAfterTotal } from '../core/exp-total.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { checkRng, OwnedRng } from '../core/owned-rng.js';
import { createRng } from '../core/rng.js';
import type { Candidates, Processor, Rng, Stateful } from '../core/types.js';
import { checkInteger, checkLogits, checkRange } from '../core/validate.js';
import { denseCall, dropRemoved, growI32, sortCandidates, warper } from './warp-common.js';

/** Options of {@link xtc} (llama.cpp's `xtc_*` parameters and `min_keep`, camelCase). */
export interface XtcOptions {
  /** Tokens with probability ≥ threshold are "top choices" (`xtc_threshold`), in [0, 1]; > 0.5 turns XTC off. Default 0.1. */
  threshold?: number;
  /** Chance that a step removes top choices (`xtc_probability`), in [0, 1]; 0 turns XTC off. Required. */
  probability: number;
  /** No removal when fewer than this many tokens would remain (`min_keep`), integer ≥ 0; default 1. */
  minTokensToKeep?: number;
  /** The generator of the per-step draws, owned by the processor (default: `createRng()`, unseeded). */
  rng?: Rng;
}

/** An XTC processor: also {@link Stateful} (its generator). */
export type XtcProcessor = Processor & Stateful<XtcProcessor>;

const KEYS = ['threshold', 'probability', 'minTokensToKeep', 'rng'];

/**
 * XTC with llama.cpp semantics. Each call, when the row has at least two finite cells and XTC is on
 * (`probability > 0`, `threshold ≤ 0.5`), draws one `rng.next()`; if it is ≤ `probability`, every
 * token whose probability (softmax of the row as it comes) is ≥ `threshold` becomes `-Infinity`
 * except the least probable of them (on a tie, the highest id stays), provided at least two reach
 * the threshold and at least `minTokensToKeep` tokens remain. Otherwise the row is unchanged.
 * Draws: 0 when off or when the row has fewer than 2 finite cells, else exactly 1.
 *
 * Probabilities are those of the row it receives: in llama.cpp's default order XTC runs before the
 * temperature (see docs/llama-cpp.md). A row holding NaN or +Infinity is left unchanged (no draw).
 * The processor owns its generator: `reset()` puts it back to its construction state.
 *
 * @example
 * ```ts
 * import { xtc, createRng } from 'degen-guard';
 * const proc = xtc({ threshold: 0.19, probability: 1, rng: createRng(0) });
 * const row = Float32Array.from([0.4, 0.3, 0.2, 0.1].map(Math.log));
 * // 0.4 and 0.3 are removed; 0.2 is the least probable token above the threshold and stays
 * Array.from(proc(row)).map((v) => v === -Infinity);  // → [true, true, false, false]
 * ```
 */
export function xtc(options: XtcOptions): XtcProcessor {
  checkOptionKeys('xtc options', options, KEYS);
  if (options == null) throw new TypeError('xtc needs options with at least { probability }');
  const threshold = checkRange('xtc threshold', options.threshold ?? 0.1, 0, 1);
  const probability = checkRange('xtc probability', options.probability, 0, 1);
  const minKeep = checkInteger('xtc minTokensToKeep', options.minTokensToKeep ?? 1, 0);
  const own = new OwnedRng(options.rng === undefined ? createRng() : checkRng('xtc rng', options.rng));
  return make(threshold, probability, minKeep, own);
}

function make(threshold: number, probability: number, minKeep: number, own: OwnedRng): XtcProcessor {
  const rng = own.rng;
  const tf = Math.fround(threshold);
  const pf = Math.fround(probability);
  const on = pf > 0 && tf <= 0.5;
  const tot = expTotalResult();
  const cutIn = new Float64Array(1);
  let above: Int32Array = new Int32Array(0);
  const label = `xtc(${threshold}, ${probability})`;

  /**
   * The step on `x` (ids null: the whole row of length n; else the ascending cells ids[0..n)).
   * Returns how many ids it removed (their ids are in `above`, except the one kept).
   */
  function step(x: Float32Array, ids: Int32Array | null, n: number): number {
    if (!on) return 0;
    // the softmax denominator in one pass (the kernel `sample` uses)
    expTotal(x, ids, n, tot);
    const m = tot.max;
    if (m !== m || m === -Infinity) return 0;
    // ≥ 2 finite cells: the max weighs 1, so a total above 1 settles it; else count
    if (!(tot.sum > 1) && countFinite(x, ids, n) < 2) return 0;
    if (rng.next() > pf) return 0;
    const S = tot.sum;
    // p ≥ t ⇔ x ≥ m + ln(t·S); cells next to the cut are decided on p itself (float32, as llama.cpp)
    const cut = tf > 0 ? m + Math.log(tf * S) - 1e-6 : -Infinity;
    above = growI32(above, n);
    let count = 0;
    if (ids === null) {
      cutIn[0] = cut;
      count = indicesAtLeastAfterTotal(x, n, cutIn, above);
    } else {
      for (let j = 0; j < n; j++) if (x[ids[j]] >= cut) above[count++] = ids[j];
    }
    let k = 0;
    let low = -1;
    let lowV = Infinity;
    for (let j = 0; j < count; j++) {
      const id = above[j];
      const v = x[id];
      if (v === -Infinity) continue;
      if (tf > 0 && !(Math.fround(Math.exp(v - m) / S) >= tf)) continue;
      above[k++] = id;
      if (v <= lowV) {
        lowV = v;
        low = id;
      }
    }
    if (k < 2) return 0;
    // the k are finite, so at least one token is left; count the rest only when minTokensToKeep > 1
    if (minKeep > 1 && countFinite(x, ids, n) - (k - 1) < minKeep) return 0;
    for (let j = 0; j < k; j++) if (above[j] !== low) x[above[j]] = -Infinity;
    return k - 1;
  }

  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    const ids = sortCandidates(cands);
    if (step(logits, ids, cands.size) === 0) return;
    dropRemoved(logits, cands);
  };
  const proc = warper(label, denseCall(step), {
    sparse,
    reset: () => own.reset(),
    getState: () => Float64Array.from(rng.getState()),
    setState: (state: ArrayLike<number>) => rng.setState(state),
    clone: (): XtcProcessor => make(threshold, probability, minKeep, own.clone()),
  });
  return proc as XtcProcessor;
}

/** Cells that are not -Infinity among x[0..n) (ids null) or x[ids[0..n)]. */
function countFinite(x: Float32Array, ids: Int32Array | null, n: number): number {
  let c = 0;
  if (ids === null) {
    for (let i = 0; i < n; i++) if (x[i] !== -Infinity) c++;
  } else {
    for (let j = 0; j < n; j++) if (x[ids[j]] !== -Infinity) c++;
  }
  return c;
}
