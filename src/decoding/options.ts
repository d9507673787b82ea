/** Option readers shared by the decoding strategies (each throws a typed error naming the option). */
import type { Processor, Rng } from '../core/types.js';
import { checkInteger, checkTokenIds } from '../core/validate.js';
import { pipeline } from '../processors/pipeline.js';
import type { TokenizerLike } from './text-stream.js';

/** `processors` as one processor (a pipeline for an array), or null when there are none. */
export function processorOption(value: Processor | readonly Processor[] | null | undefined): Processor | null {
  if (value == null) return null;
  if (typeof value === 'function') return value;
  if (!Array.isArray(value)) {
    throw new TypeError(`processors must be a processor or an array of processors, got ${Object.prototype.toString.call(value)}`);
  }
  return value.length === 0 ? null : pipeline(...value);
}

/** `eosTokenIds` (a number or an array) as a set of ids inside the vocabulary. */
export function eosOption(value: number | readonly number[] | null | undefined, vocabSize: number): Set<number> {
  if (value == null) return new Set();
  const ids = typeof value === 'number' ? [value] : value;
  return new Set(checkTokenIds('eosTokenIds', ids, vocabSize));
}

/** `maxNewTokens`: an integer ≥ 1 (default `fallback`). */
export function maxNewTokensOption(value: number | undefined, fallback = 20): number {
  return checkInteger('maxNewTokens', value ?? fallback, 1);
}

/** The prompt as an Int32Array of ids inside the vocabulary (at least one token). */
export function promptOption(prompt: ArrayLike<number>, vocabSize: number): Int32Array {
  const ids = checkTokenIds('prompt', prompt, vocabSize);
  if (ids.length === 0) throw new RangeError('prompt must hold at least one token id');
  return Int32Array.from(ids);
}

/** `seed`: undefined or a finite number. */
export function seedOption(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`seed must be a finite number, got ${String(value)}`);
  return value;
}

/** `signal`: undefined or an AbortSignal-like object. */
export function signalOption(value: AbortSignal | undefined): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof value.aborted !== 'boolean' || typeof value.addEventListener !== 'function') {
    throw new TypeError(`signal must be an AbortSignal, got ${String(value)}`);
  }
  return value;
}

/** `rng`: undefined or an object with a `next()` method. */
export function rngOption(value: Rng | undefined): Rng | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as Rng).next !== 'function') {
    throw new TypeError(`rng must be a random source with a next() method (createRng(seed)), got ${String(value)}`);
  }
  return value;
}

/** `tokenizer`: undefined or an object with `encode(text)` and `decode(ids)`. */
export function tokenizerOption(value: TokenizerLike | undefined): TokenizerLike | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof value.encode !== 'function' || typeof value.decode !== 'function') {
    throw new TypeError(`tokenizer must have encode(text) and decode(ids) methods, got ${String(value)}`);
  }
  return value;
}

/** `stopStrings`: undefined or an array of non-empty strings. */
export function stopStringsOption(value: readonly string[] | undefined, name = 'stopStrings'): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of strings, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  value.forEach((s, i) => {
    if (typeof s !== 'string' || s.length === 0) throw new TypeError(`${name}[${i}] must be a non-empty string, got ${JSON.stringify(s)}`);
  });
  return [...value];
}
