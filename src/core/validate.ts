/**
 * Argument checks shared by every factory and call. Each throws a RangeError or TypeError whose
 * message names the argument and the value it got.
 */

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return Object.prototype.toString.call(value);
}

/** Throws a TypeError unless `value` is a finite or infinite number (not NaN). */
export function checkNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number, got ${show(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number. */
export function checkFinite(name: string, value: unknown): number {
  checkNumber(name, value);
  if (!Number.isFinite(value as number)) throw new RangeError(`${name} must be finite, got ${show(value)}`);
  return value as number;
}

/** Throws unless `value` is an integer ≥ `min` (and ≤ `max` when given). */
export function checkInteger(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${show(value)}`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be ${range}, got ${value}`);
  }
  return value;
}

/**
 * Throws unless `min (<|≤) value (<|≤) max`. `open` says which ends are excluded:
 * `'both'`, `'low'`, `'high'` or `'none'`.
 */
export function checkRange(
  name: string,
  value: unknown,
  min: number,
  max: number,
  open: 'both' | 'low' | 'high' | 'none' = 'none',
): number {
  const v = checkNumber(name, value);
  const lo = open === 'both' || open === 'low';
  const hi = open === 'both' || open === 'high';
  if ((lo ? v <= min : v < min) || (hi ? v >= max : v > max)) {
    throw new RangeError(`${name} must be in ${lo ? '(' : '['}${min}, ${max}${hi ? ')' : ']'}, got ${v}`);
  }
  return v;
}

/** Throws unless `value` is a Float32Array (of `length` when given). */
export function checkLogits(logits: unknown, length?: number, name = 'logits'): Float32Array {
  if (!(logits instanceof Float32Array)) {
    throw new TypeError(`${name} must be a Float32Array, got ${show(logits)}`);
  }
  if (length !== undefined && logits.length !== length) {
    throw new RangeError(`${name} has length ${logits.length}, expected the vocabulary size ${length}`);
  }
  if (logits.length === 0) throw new RangeError(`${name} is empty`);
  return logits;
}

/** Throws unless every entry is an integer id in [0, vocabSize) (vocabSize optional). */
export function checkTokenIds(name: string, ids: unknown, vocabSize = Infinity): number[] {
  if (ids == null || typeof (ids as ArrayLike<number>).length !== 'number' || typeof ids === 'string') {
    throw new TypeError(`${name} must be an array of token ids, got ${show(ids)}`);
  }
  const arr = ids as ArrayLike<number>;
  const out: number[] = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const id = arr[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new RangeError(`${name}[${i}] must be a token id (integer ≥ 0), got ${show(id)}`);
    }
    if (id >= vocabSize) {
      throw new RangeError(`${name}[${i}] = ${id} is outside the vocabulary of size ${vocabSize}`);
    }
    out[i] = id;
  }
  return out;
}

/** The keys of the probability warpers' options ({@link minTokensOption}, {@link filterValueOption}). */
export const WARPER_OPTION_KEYS = ['minTokensToKeep', 'filterValue'] as const;

/** Reads `minTokensToKeep` from options: an integer ≥ 1, default 1. */
export function minTokensOption(options: { minTokensToKeep?: number } | undefined): number {
  const v = options?.minTokensToKeep ?? 1;
  return checkInteger('minTokensToKeep', v, 1);
}

/** Reads `filterValue` from options: any number but NaN, default -Infinity. */
export function filterValueOption(options: { filterValue?: number } | undefined): number {
  const v = options?.filterValue ?? -Infinity;
  return checkNumber('filterValue', v);
}

/**
 * Throws unless `cands` looks like a candidate set (`ids` an Int32Array, `size` an integer in
 * [0, ids.length]); returns the size. The ids themselves are checked against the row by the caller.
 */
export function checkCandidates(cands: unknown, rowLength: number, name = 'cands'): number {
  const c = cands as { ids?: unknown; size?: unknown };
  if (c == null || typeof c !== 'object' || !(c.ids instanceof Int32Array)) {
    throw new TypeError(`${name} must be { ids: Int32Array, size } (a pipeline's .candidates), got ${show(cands)}`);
  }
  const size = c.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > c.ids.length) {
    throw new RangeError(`${name}.size must be an integer in [0, ${c.ids.length}], got ${show(size)}`);
  }
  if (size > rowLength) throw foreignCandidates(-1, rowLength, size);
  return size;
}

/** The error for candidates that do not belong to the row they are used with. */
export function foreignCandidates(id: number, rowLength: number, size = -1): RangeError {
  const what = id >= 0 ? `they hold id ${id}` : `they are ${size} candidates`;
  return new RangeError(
    `cands do not belong to this row: ${what}, but logits has length ${rowLength} (use the candidates of the pipeline call that processed this row)`,
  );
}
