/**
 * Calling a {@link LanguageModel} from a strategy: races the call against the AbortSignal, checks
 * what it returned (shape, NaN, +Infinity) and reports a failure with the strategy and the step.
 */
import type { LanguageModel, ModelOutput } from './language-model.js';

/**
 * A model returned logits or hidden states of the wrong size, or holding NaN or +Infinity.
 * `step` is 0 for the first call.
 *
 * @example
 * ```ts
 * import { generate, ModelOutputError, type LanguageModel } from 'degen-guard';
 * const model: LanguageModel = { vocabSize: 2, async forward() { return { logits: new Float32Array([0, Infinity]) }; } };
 * const err = await generate(model, [0]).then(() => null, (e: any) => e);
 * err instanceof ModelOutputError; // → true
 * err.message; // → 'generate, step 0: model returned +Infinity in logits (sequence 0, index 1)'
 * ```
 */
export class ModelOutputError extends Error {
  override readonly name = 'ModelOutputError';
  constructor(
    message: string,
    /** The decoding step (number of tokens generated before the call). */
    readonly step: number,
  ) {
    super(message);
  }
}

/**
 * `model.forward` threw or rejected. `step` is the decoding step of the call and `cause` the
 * original error. (A call cancelled by the strategy's AbortSignal rejects with the signal's reason
 * instead.)
 *
 * @example
 * ```ts
 * import { generate, ModelCallError, type LanguageModel } from 'degen-guard';
 * const model: LanguageModel = { vocabSize: 2, async forward() { throw new Error('out of memory'); } };
 * const err = await generate(model, [0]).then(() => null, (e: any) => e);
 * err instanceof ModelCallError; // → true
 * err.message; // → 'generate, step 0: model.forward failed: out of memory'
 * err.cause.message; // → 'out of memory'
 * ```
 */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  constructor(
    message: string,
    /** The decoding step (number of tokens generated before the call). */
    readonly step: number,
    /** What `model.forward` threw. */
    override readonly cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** Throws a TypeError unless `model` looks like a {@link LanguageModel}; returns its vocabulary size. */
export function checkModel(model: unknown, needHidden = false): number {
  const m = model as LanguageModel | null;
  if (m == null || typeof m.forward !== 'function') {
    throw new TypeError(`model must be a LanguageModel with a forward(sequences, options) method, got ${String(model)}`);
  }
  const v = m.vocabSize;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new TypeError(`model.vocabSize must be an integer ≥ 1, got ${String(v)}`);
  }
  if (needHidden) {
    const h = m.hiddenSize;
    if (typeof h !== 'number' || !Number.isInteger(h) || h < 1) {
      throw new TypeError(`model.hiddenSize must be an integer ≥ 1 for contrastive search, got ${String(h)}`);
    }
  }
  return v;
}

/** Throws if an AbortSignal has fired (with its reason, as fetch does). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
  }
}

/**
 * Awaits `pending`, or rejects with the signal's reason as soon as the signal fires (a model that
 * never settles cannot hang the caller). A late rejection of `pending` is swallowed.
 */
export function raceSignal<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    if (signal.aborted) {
      pending.catch(() => {}); // settled or not, the caller gets the signal's reason
      return onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Runs `model.forward` and checks the answer: `logits` a Float32Array of batch × vocab without NaN
 * or +Infinity, `hidden` (when asked) a Float32Array of batch × hiddenSize of finite values. The call
 * is raced against `where.signal`; an error thrown by `forward` becomes a {@link ModelCallError}.
 */
export async function callModel(
  model: LanguageModel,
  sequences: readonly Int32Array[],
  where: { strategy: string; step: number; hidden?: boolean; signal?: AbortSignal },
): Promise<ModelOutput> {
  throwIfAborted(where.signal);
  const at = `${where.strategy}, step ${where.step}`;
  let out: ModelOutput;
  try {
    const pending = Promise.resolve(model.forward(sequences, { hidden: where.hidden === true, signal: where.signal }));
    out = await raceSignal(pending, where.signal);
  } catch (e) {
    throwIfAborted(where.signal); // cancelled: the signal's reason, not a model failure
    throw new ModelCallError(`${at}: model.forward failed: ${e instanceof Error ? e.message : String(e)}`, where.step, e);
  }
  throwIfAborted(where.signal);
  const b = sequences.length;
  const v = model.vocabSize;
  if (out == null || !(out.logits instanceof Float32Array)) {
    throw new ModelOutputError(`${at}: model.forward must resolve to { logits: Float32Array }, got ${describe(out?.logits)}`, where.step);
  }
  if (out.logits.length !== b * v) {
    throw new ModelOutputError(
      `${at}: model returned logits of length ${out.logits.length}, expected ${b} sequences × vocabSize ${v} = ${b * v}`,
      where.step,
    );
  }
  checkValues(out.logits, v, 'logits', at, where.step, false);
  if (where.hidden) {
    const d = model.hiddenSize as number;
    if (!(out.hidden instanceof Float32Array) || out.hidden.length !== b * d) {
      throw new ModelOutputError(
        `${at}: model returned hidden of ${out.hidden instanceof Float32Array ? `length ${out.hidden.length}` : describe(out.hidden)}, expected ${b} sequences × hiddenSize ${d} = ${b * d}`,
        where.step,
      );
    }
    checkValues(out.hidden, d, 'hidden', at, where.step, true);
  }
  return out;
}

/** NaN and +Infinity are errors everywhere; -Infinity only in hidden states (a logit may be banned). */
function checkValues(x: Float32Array, width: number, what: string, at: string, step: number, finite: boolean): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < Infinity && (v > -Infinity || !finite)) continue;
    const row = Math.floor(i / width);
    const name = v !== v ? 'NaN' : v > 0 ? '+Infinity' : '-Infinity';
    throw new ModelOutputError(`${at}: model returned ${name} in ${what} (sequence ${row}, index ${i - row * width})`, step);
  }
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  return Object.prototype.toString.call(v);
}
