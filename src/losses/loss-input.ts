/**
 * Argument checks shared by the training losses: typed-array inputs, the batch × length × size shape
 * (each dimension optional when the others and the array lengths determine it), token-id arrays and
 * the gradient output buffer. Every error names the argument and the value it got.
 * @internal
 */
import { checkInteger } from '../core/validate.js';

/** The float arrays a loss accepts: float32 (as models return them) or float64. */
export type FloatArray = Float32Array | Float64Array;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return Object.prototype.toString.call(value);
}

/** Throws unless `value` is a non-empty Float32Array or Float64Array. */
export function checkFloatArray(name: string, value: unknown): FloatArray {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw new TypeError(`${name} must be a Float32Array (or Float64Array), got ${show(value)}`);
  }
  if (value.length === 0) throw new RangeError(`${name} is empty`);
  return value;
}

/** Throws unless `value` is an array-like of numbers (a plain array or a typed array). */
export function checkIdArray(name: string, value: unknown): ArrayLike<number> {
  if (value == null || typeof value !== 'object' || typeof (value as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${name} must be an array of token ids, got ${show(value)}`);
  }
  return value as ArrayLike<number>;
}

/**
 * Resolves `[batch, length, size]` of a `batch × length × size` array given `total` cells and
 * `rows = batch · length` (the length of the ids array, or undefined when there is none).
 * Omitted dimensions are inferred: batch defaults to 1, length to rows / batch, size to total / rows.
 */
export function resolveShape(
  arrayName: string,
  total: number,
  rows: number | undefined,
  rowsName: string,
  o: { batch?: number; length?: number },
  sizeName: string,
  size: number | undefined,
): [number, number, number] {
  const batch = checkInteger('batch', o.batch ?? 1, 1);
  let length: number;
  if (o.length !== undefined) length = checkInteger('length', o.length, 1);
  else if (rows !== undefined) {
    if (rows % batch !== 0) throw new RangeError(`${rowsName} has length ${rows}, not a multiple of batch = ${batch}`);
    length = rows / batch;
    if (length === 0) throw new RangeError(`${rowsName} is empty`);
  } else if (size !== undefined) {
    checkInteger(sizeName, size, 1);
    if (total % (batch * size) !== 0) {
      throw new RangeError(`${arrayName} has length ${total}, not a multiple of batch · ${sizeName} = ${batch * size}`);
    }
    length = total / (batch * size);
  } else throw new TypeError(`length is required (give length or ${sizeName})`);
  if (rows !== undefined && rows !== batch * length) {
    throw new RangeError(`${rowsName} has length ${rows}, expected batch · length = ${batch} · ${length} = ${batch * length}`);
  }
  let d: number;
  if (size !== undefined) d = checkInteger(sizeName, size, 1);
  else {
    if (total % (batch * length) !== 0) {
      throw new RangeError(`${arrayName} has length ${total}, not a multiple of batch · length = ${batch * length}`);
    }
    d = total / (batch * length);
  }
  if (total !== batch * length * d) {
    const from = o.length === undefined && rows !== undefined ? ` (length ${length} from ${rowsName}, which has length ${rows})` : '';
    throw new RangeError(
      `${arrayName} has length ${total}, expected batch · length · ${sizeName} = ${batch} · ${length} · ${d} = ${batch * length * d}${from}`,
    );
  }
  return [batch, length, d];
}

/**
 * The gradient buffer: `out` when given (checked: same type and length as the input, then zeroed
 * where the loss does not write), else a new array of that type.
 */
export function gradBuffer(input: FloatArray, out: unknown): FloatArray {
  if (out === undefined) return input instanceof Float32Array ? new Float32Array(input.length) : new Float64Array(input.length);
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    throw new TypeError(`gradOut must be a Float32Array or Float64Array, got ${show(out)}`);
  }
  if (out.constructor !== input.constructor) {
    throw new TypeError(`gradOut must be a ${input.constructor.name} like the input, got a ${out.constructor.name}`);
  }
  if (out.length !== input.length) throw new RangeError(`gradOut has length ${out.length}, expected ${input.length}`);
  if (out === input) throw new RangeError('gradOut must not be the input array itself');
  return out;
}

/** Throws unless every id is an integer in [0, vocabSize), or equals `skip` when given. */
export function checkIdsInVocab(name: string, ids: ArrayLike<number>, vocabSize: number, skip?: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === skip && skip !== undefined) continue;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new TypeError(`${name}[${i}] must be an integer token id, got ${show(id)}`);
    if (id < 0 || id >= vocabSize) throw new RangeError(`${name}[${i}] = ${id} is outside the vocabulary of size ${vocabSize}`);
  }
}

/** Throws unless `reduction` is one of `allowed` (undefined gives `allowed[0]`). */
export function reductionOption<T extends string>(value: unknown, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0];
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new RangeError(`reduction must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${show(value)}`);
  }
  return value as T;
}
