/**
 * The shared core of epsilon and eta sampling: remove the cells whose float32 probability is below a
 * cutoff, except those ≥ the minTokensToKeep-th largest logit (ties all kept), as HF does.
 */
import { expNeg } from '../core/fast-exp.js';
import { kthLargest } from '../core/select.js';
import { growF32 } from './warp-common.js';

/** Scratch of one cutoff warper. */
export class CutoffScratch {
  select: Float32Array = new Float32Array(0);
}

/** Distance in logit space from the cutoff line beyond which float32 rounding cannot flip the test. */
const MARGIN = 1e-5;

/**
 * Masks with `f` every cell of `x` with `fround(exp(fround(x − m)) / s) < cutoff` that is below the
 * mtk-th largest value. `m` is the row max and `s` the softmax denominator (Σ expNeg in index order).
 */
export function applyCutoff(x: Float32Array, m: number, s: number, cutoff: number, mtk: number, f: number, st: CutoffScratch): void {
  const n = x.length;
  let keepFrom = m;
  if (mtk > 1) {
    st.select = growF32(st.select, n);
    keepFrom = kthLargest(x, Math.min(mtk, n), st.select, n);
  }
  // p < cutoff  ⇔  z < ln(cutoff · s), up to float32 rounding near the line
  const line = Math.log(cutoff * s);
  const lo = cutoff < 1e-30 ? -Infinity : line - MARGIN;
  const hi = cutoff < 1e-30 ? Infinity : line + MARGIN;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= keepFrom) continue;
    const z = Math.fround(v - m);
    if (z < lo) x[i] = f;
    else if (z < hi && Math.fround(expNeg(z) / s) < cutoff) x[i] = f;
  }
}
