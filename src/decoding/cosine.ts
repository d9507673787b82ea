/** Cosine similarity kernels over rows of a row-major Float32Array (contrastive search). */

/** Euclidean norm of `x[offset .. offset + length)`, accumulated in double. */
export function l2Norm(x: ArrayLike<number>, offset: number, length: number): number {
  let s = 0;
  for (let i = offset, end = offset + length; i < end; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * The largest cosine similarity between the vector `v[vOffset .. vOffset + d)` and the `rows` rows of
 * `context` that start at `cOffset` (each `d` long). `contextNorms`, when given, holds each row's norm
 * (so they are computed once); `vNorm` is the vector's norm. Returns -Infinity for zero rows.
 * A zero-norm row or vector gives NaN, as HF's normalisation (no epsilon) does.
 */
export function maxCosine(
  context: ArrayLike<number>,
  cOffset: number,
  rows: number,
  d: number,
  v: ArrayLike<number>,
  vOffset: number,
  vNorm: number,
  contextNorms?: ArrayLike<number> | null,
): number {
  let best = -Infinity;
  for (let r = 0; r < rows; r++) {
    const base = cOffset + r * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += context[base + j] * v[vOffset + j];
    const n = contextNorms ? contextNorms[r] : l2Norm(context, base, d);
    const c = dot / (n * vNorm);
    if (c !== c) return NaN;
    if (c > best) best = c;
  }
  return best;
}
