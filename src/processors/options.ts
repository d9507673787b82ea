/**
 * The option types and readers the processors share (one module, so that no processor imports
 * another): token-id lists and vocabulary binding, the history a call needs, the probability
 * warpers' options, the history penalties' window and strength, additive biases. Each reader throws
 * a RangeError/TypeError naming the option and the value.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { checkFinite, checkInteger, checkNumber, checkTokenIds } from '../core/validate.js';
import type { HistoryLike } from '../core/types.js';

/** Options of processors that can be bound to one vocabulary size. */
export interface VocabOptions {
  /** When set, ids are checked against it at construction and logits must have this length. */
  vocabSize?: number;
}

/**
 * Reads `vocabSize` from options: an integer ≥ 1, or undefined. With `where` (e.g. `"minLength
 * options"`) the options object is first checked to hold no key but `vocabSize`.
 */
export function vocabSizeOption(options: VocabOptions | undefined, where?: string): number | undefined {
  if (where !== undefined) checkOptionKeys(where, options, ['vocabSize']);
  const v = options?.vocabSize;
  if (v === undefined) return undefined;
  return checkInteger('vocabSize', v, 1);
}

/**
 * One id (when `allowSingle`) or an array of ids (HF's `int | list[int]`), as distinct ids in
 * first-seen order.
 * Throws unless every id is an integer ≥ 0 (and < vocabSize when given).
 */
export function tokenIdList(
  name: string,
  value: unknown,
  vocabSize?: number,
  allowEmpty = true,
  allowSingle = true,
): Int32Array {
  const arr = allowSingle && typeof value === 'number' ? [value] : value;
  const ids = checkTokenIds(name, arr, vocabSize ?? Infinity);
  if (!allowEmpty && ids.length === 0) throw new RangeError(`${name} must not be empty`);
  const seen = new Set<number>();
  const out: number[] = [];
  for (const id of ids) {
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return Int32Array.from(out);
}


/** Throws a TypeError unless a history (TokenHistory or array of ids) was given. */
export function requireHistory(history: HistoryLike | undefined, label: string): HistoryLike {
  if (history == null || typeof (history as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${label} needs the history (a TokenHistory or an array of token ids), got ${String(history)}`);
  }
  return history;
}

/** Options of the probability warpers ({@link topP}, {@link typicalP}, {@link minP}, {@link epsilonCutoff}, {@link etaCutoff}). */
export interface WarperOptions {
  /** At least this many tokens survive (default 1). */
  minTokensToKeep?: number;
  /** Value written into removed cells (default `-Infinity`). */
  filterValue?: number;
}

/** @internal The keys of the history penalties' options. */
export const PENALTY_OPTION_KEYS = ['window', 'promptIgnoreLength'] as const;

/** @internal Reads a positive penalty; the name appears in the error. */
export function checkPenalty(name: string, value: unknown): number {
  const p = checkFinite(name, value);
  if (!(p > 0)) throw new RangeError(`${name} must be > 0, got ${p}`);
  return p;
}

/** @internal Reads a window option: an integer ≥ 1 or Infinity (the default). */
export function windowOption(value: unknown): number {
  if (value === undefined || value === Infinity) return Infinity;
  return checkInteger('window', value, 1);
}

/** Reads a bias: a finite number or -Infinity (+Infinity and NaN would turn -Infinity cells into NaN). */
export function checkBias(name: string, value: unknown): number {
  const b = checkNumber(name, value);
  if (b === Infinity) throw new RangeError(`${name} must be finite or -Infinity, got Infinity`);
  return b;
}
