/**
 * Moving KV-cache rows between transformers.js tensors: a cache entry is one row of a batch's
 * `present.*` output ([batch, heads, length, headSize]); a new model call needs the first `m`
 * positions of several such rows stacked into one `past_key_values.*` input [rows, heads, m, headSize].
 */
import type { StandardTypedArray, TensorClass, TensorLike, TensorType } from './types.js';

/** One cached row: `tensors[k]` is the k-th present tensor of the batch it came from. */
export interface PastRow {
  readonly tensors: readonly TensorLike[];
  readonly row: number;
}

/**
 * The k-th past input for `rows`, truncated to their first `m` positions. Reuses the cached tensor
 * itself when it is exactly that (one row, batch of one, length m); otherwise copies.
 */
export function gatherPast(Tensor: TensorClass, rows: readonly PastRow[], k: number, m: number, name: string): TensorLike {
  const first = rows[0].tensors[k];
  if (rows.length === 1 && first.dims[0] === 1 && first.dims[2] === m) return first;
  const [, H, , D] = first.dims;
  const G = rows.length;
  const Ctor = first.data.constructor as new (n: number) => StandardTypedArray;
  const out = Ctor === undefined ? null : new Ctor(G * H * m * D);
  for (let g = 0; g < G; g++) {
    const src = rows[g].tensors[k];
    if (src.location !== undefined && src.location !== 'cpu' && src.location !== 'cpu-pinned') {
      throw new Error(
        `transformersJsModel: ${name} is held on the device (location '${src.location}'); reordering or truncating it needs the cache on the CPU`,
      );
    }
    const data = src.data as unknown as { subarray(a: number, b: number): ArrayLike<unknown> };
    if (out === null || typeof data.subarray !== 'function') {
      throw new TypeError(`transformersJsModel: ${name} data is not a typed array (${Object.prototype.toString.call(src.data)})`);
    }
    const L = src.dims[2];
    const r = rows[g].row;
    for (let h = 0; h < H; h++) {
      const from = (r * H + h) * L * D;
      (out as Float32Array).set(data.subarray(from, from + m * D) as Float32Array, (g * H + h) * m * D);
    }
  }
  return new Tensor(first.type as TensorType, out as StandardTypedArray, [G, H, m, D]);
}

/** Throws unless a present tensor has the [batch, heads, length, headSize] layout the cache expects. */
export function checkPresent(t: TensorLike | undefined, name: string, batch: number, length: number): TensorLike {
  if (t == null || !Array.isArray(t.dims) && !ArrayBuffer.isView(t.dims)) {
    throw new Error(`transformersJsModel: the model returned no ${name} output`);
  }
  const d = t.dims;
  if (d.length !== 4 || d[0] !== batch || d[2] !== length) {
    throw new Error(
      `transformersJsModel: ${name} has shape [${d.join(', ')}], expected [${batch}, heads, ${length}, headSize]: this KV-cache layout is not supported (use maxCacheEntries: 0)`,
    );
  }
  return t;
}
