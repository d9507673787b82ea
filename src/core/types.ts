/**
 * Shared types: what a processor, a sampler and a random source look like.
 *
 * A processor edits one row of logits in place and returns the same array. A sampler picks a
 * token id from one row of logits. See docs/processors.md for the data flow.
 */
import type { TokenHistory } from './token-history.js';

/** A sequence's tokens: a {@link TokenHistory} (O(1) indexes) or any array of ids (indexed per call). */
export type HistoryLike = TokenHistory | ArrayLike<number>;

/**
 * The survivors of a truncation: every cell of the logits row outside `ids[0..size)` is `-Infinity`.
 * A pipeline hands it from one processor to the next so that later ones cost O(size), not O(V).
 */
export interface Candidates {
  /** Token ids of the survivors, in no particular order; capacity ≥ the vocabulary size. */
  ids: Int32Array;
  /** How many entries of `ids` are valid. */
  size: number;
}

/** A logits processor: edits `logits` in place and returns it. */
export interface Processor {
  (logits: Float32Array, history?: HistoryLike): Float32Array;
  /** Human-readable name, e.g. `"topP(0.9)"`. */
  readonly label?: string;
  /**
   * Dense run that also reports the survivors (every other cell is left `-Infinity`).
   * Returns false when it could not (e.g. a non-infinite filter value), in which case the
   * row was still processed exactly as the plain call would.
   */
  readonly truncate?: (logits: Float32Array, cands: Candidates, history?: HistoryLike) => boolean;
  /**
   * Same result as the plain call, given that every cell outside `cands` is already `-Infinity`;
   * updates `cands` to the new survivors. Cost O(cands.size).
   */
  readonly sparse?: (logits: Float32Array, cands: Candidates, history?: HistoryLike) => void;
}

/** A source of uniform random numbers in [0, 1). */
export interface Rng {
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A copy of the generator's state; `setState` of it replays the same numbers. */
  getState(): Uint32Array;
  /** Restores a state from `getState()`. */
  setState(state: ArrayLike<number>): void;
  /** An independent generator with a copy of this one's state. */
  clone(): Rng;
}

/** A sampler: picks a token id from a row of logits. */
export type Sampler = (logits: Float32Array, rng?: Rng, cands?: Candidates | null) => number;

/**
 * Per-sequence state carried by a sampler or processor (Mirostat's μ, a random generator it owns).
 * One model for all of them: `reset()` at the start of a sequence, `getState`/`setState` to rewind
 * (the state after a kept prefix), `clone()` for an independent copy (a branch or a beam).
 * See docs/llama-cpp.md ("State").
 */
export interface Stateful<T = unknown> {
  /** Back to the state at construction: μ = 2τ, the owned generator at its construction state. */
  reset(): void;
  /** A copy of the whole state as numbers (μ first, then the owned generator's words). */
  getState(): Float64Array;
  /** Restores a state from `getState()` of this object or of a clone of it. */
  setState(state: ArrayLike<number>): void;
  /** An independent copy with the same options and the same current state. */
  clone(): T;
}
