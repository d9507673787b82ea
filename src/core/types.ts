/**
 * The contract every piece of the library is built on, stated once (docs/architecture.md explains it
 * with the data flow of one decoding step).
 *
 * PROCESSOR. A function `(logits, history?) => logits` that edits one row of logits in place and
 * returns the same array: banned tokens become `-Infinity` (or a `filterValue`), others are rescaled
 * or shifted. Its factory validates every option once (RangeError/TypeError naming it; unknown keys
 * are errors) and owns any scratch buffers, so a call allocates nothing; a call validates the row
 * (`checkLogits`) and the history it needs. A processor never removes every token: at least
 * `minTokensToKeep` (default 1) survive. Every processor is built with `warper(label, plain, extras)`
 * (src/processors/warp-common.ts), which attaches `label` and the optional parts below.
 *
 * FAST PATHS (optional, each must leave the row bit-for-bit as the plain call would):
 * - `truncate(logits, cands, history?)`: the plain call that also writes the survivors into `cands`;
 *   returns false when it cannot report them (a pipeline whose chain ends dense). A truncation
 *   warper with a finite `filterValue` offers neither this nor `sparse` (`survivorPaths`).
 * - `sparse(logits, cands, history?)`: the call on a row whose cells outside `cands` are already
 *   `-Infinity`; costs O(cands.size) and shrinks `cands` to the new survivors.
 * - `divisor` / `afterScale` (src/processors/scale-fusion.ts): temperature followed by top-k in one pass.
 *
 * PIPELINE GUARANTEES (`pipeline(...)`, src/processors/pipeline.ts). Processors run left to right; the
 * first `truncate` that reports survivors switches the rest of the chain to `sparse` (from a processor
 * without `sparse` on, plain calls again); the row left is bit-for-bit that of running the
 * processors one by one; `pipeline.candidates` then hands the survivors to the sampler. A pipeline
 * is itself a processor.
 *
 * SAMPLER. `(logits, rng?, cands?) => id`: reads the row (never edits it), draws with `rng`, and with
 * `cands` works in O(cands.size).
 *
 * STATE. A processor or sampler that carries state across steps (Mirostat's μ, XTC's own generator)
 * implements {@link Stateful}: the decoding loops (src/decoding/stateful.ts) `reset()` it at the start
 * of a sequence, record `getState()` before each token and `setState()` after a rewind, and a beam or
 * branch uses `clone()`. Everything else is stateless between calls.
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

/** A logits processor: edits `logits` in place and returns it (the contract above). */
export interface Processor {
  (logits: Float32Array, history?: HistoryLike): Float32Array;
  /** Human-readable name, e.g. `"topP(0.9)"`. */
  readonly label?: string;
  /**
   * Dense run that also reports the survivors (every other cell is left `-Infinity`).
   * Returns false when it could not (a pipeline whose chain ends dense), in which case the
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
