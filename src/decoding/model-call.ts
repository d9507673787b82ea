/**
 * Calling a {@link LanguageModel} from a strategy: checks what it returned (shape, NaN) and
 * reports a bad answer with the strategy and the step that got it.
 */
import type { LanguageModel, ModelOutput } from './language-model.js';

/**
 * A model returned logits or hidden states of the wrong size, or NaN. `step` is 0 for the first call.
 *
 * @example
 * ```ts
 * import { ModelOutputError, generate } from 'degen-guard';
 *
 * // a model whose rows have the wrong length
 * const model = { vocabSize: 4, forward: async () => ({ logits: new Float32Array(3) }) };
 * let step = -1;
 * try { await generate(model, [0]); }
 * catch (e) { if (e instanceof ModelOutputError) step = e.step; }
 * step; // → 0
 * await generate(model, [0]); // throws ModelOutputError: step 0
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
 * Runs `model.forward` and checks the answer: `logits` a Float32Array of batch × vocab without NaN,
 * `hidden` (when asked) a Float32Array of batch × hiddenSize without NaN.
 */
export async function callModel(
  model: LanguageModel,
  sequences: readonly Int32Array[],
  where: { strategy: string; step: number; hidden?: boolean; signal?: AbortSignal },
): Promise<ModelOutput> {
  throwIfAborted(where.signal);
  const out = await model.forward(sequences, { hidden: where.hidden === true, signal: where.signal });
  throwIfAborted(where.signal);
  const at = `${where.strategy}, step ${where.step}`;
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
  checkNaN(out.logits, v, 'logits', at, where.step);
  if (where.hidden) {
    const d = model.hiddenSize as number;
    if (!(out.hidden instanceof Float32Array) || out.hidden.length !== b * d) {
      throw new ModelOutputError(
        `${at}: model returned hidden of ${out.hidden instanceof Float32Array ? `length ${out.hidden.length}` : describe(out.hidden)}, expected ${b} sequences × hiddenSize ${d} = ${b * d}`,
        where.step,
      );
    }
    checkNaN(out.hidden, d, 'hidden', at, where.step);
  }
  return out;
}

function checkNaN(x: Float32Array, width: number, what: string, at: string, step: number): void {
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i]) {
      const row = Math.floor(i / width);
      throw new ModelOutputError(`${at}: model returned NaN in ${what} (sequence ${row}, index ${i - row * width})`, step);
    }
  }
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  return Object.prototype.toString.call(v);
}
