import { expNeg } from '../../src/core/fast-exp.js';

/**
 * What the exact routes of the cutoff warpers sum: the max m, S* = Σ expNeg(z) and W* = Σ expNeg(z)·z
 * with z = fround(x − m), in double in index order (the entropy is ln S* − W* / S*).
 */
export function exactSums(x: Float32Array): { m: number; s: number; w: number } {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  let s = 0;
  let w = 0;
  for (const v of x) {
    const z = Math.fround(v - m);
    const e = expNeg(z);
    if (e > 0) {
      s += e;
      w += e * z;
    }
  }
  return { m, s, w };
}
