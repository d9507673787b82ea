/**
 * degen-guard processors inside transformers.js's own `generate()` loop: its `LogitsProcessorList`
 * calls each entry as `(inputIds: bigint[][], logits: Tensor[B, V]) => Tensor`.
 */
import { TokenHistory } from '../../core/token-history.js';
import type { Processor } from '../../core/types.js';
import { processorOption } from '../../decoding/options.js';
import type { TensorLike } from './types.js';

/** The ids transformers.js passes: one array of token ids per batch row (bigints; numbers accepted). */
export type InputIds = readonly (readonly (bigint | number)[])[];

/**
 * What {@link asLogitsProcessor} returns: a function `(inputIds, logits) => logits` for transformers.js's
 * `logits_processor` list, which is also shaped like a one-entry `LogitsProcessorList`, so that
 * `logits_processor: asLogitsProcessor(…)` type-checks against transformers.js's own types.
 */
export interface TransformersJsLogitsProcessor<T extends TensorLike = TensorLike> {
  (inputIds: InputIds, logits: T): T;
  /** The wrapped processor's label. */
  readonly label?: string;
  /** Forgets the rows' histories (the next call starts a new generation). */
  reset(): void;
  /** `LogitsProcessorList` shape: the functions run in order (this adapter first). */
  readonly processors: ((inputIds: InputIds, logits: T) => T)[];
  /** `LogitsProcessorList` shape: the same as calling it. */
  _call(inputIds: InputIds, logits: T): T;
  /** `LogitsProcessorList` shape: appends a transformers.js processor to run after this one. */
  push(item: (inputIds: InputIds, logits: T) => T): void;
  /** `LogitsProcessorList` shape: appends several. */
  extend(items: Iterable<(inputIds: InputIds, logits: T) => T>): void;
  /** `LogitsProcessorList` shape: what transformers.js takes from it when it is given as the list. */
  [Symbol.iterator](): ReturnType<((inputIds: InputIds, logits: T) => T)[]['values']>;
}

/**
 * Runs a degen-guard processor (or an array of them, as a pipeline) on every row of the logits
 * transformers.js hands its logits processors, in place, each row with its own {@link TokenHistory}.
 * The histories are kept across calls and updated with the new tokens only; they start again when
 * the ids are not an extension of the previous call's (a new `generate()`).
 *
 * @example
 * ```ts integration
 * import { env, AutoModelForCausalLM, AutoTokenizer } from '@huggingface/transformers';
 * import { noRepeatNgram, repetitionPenalty } from 'degen-guard';
 * import { asLogitsProcessor } from 'degen-guard/transformers-js';
 *
 * env.allowRemoteModels = false;
 * env.localModelPath = 'test/fixtures/models/';
 * const tokenizer = await AutoTokenizer.from_pretrained('kjv-genesis-gpt2');
 * const model = await AutoModelForCausalLM.from_pretrained('kjv-genesis-gpt2');
 * const out = await model.generate({
 *   ...tokenizer('And God said'),
 *   max_new_tokens: 12,
 *   logits_processor: [asLogitsProcessor([repetitionPenalty(1.3), noRepeatNgram(3)])],
 * });
 * tokenizer.decode(out[0], { skip_special_tokens: true }); // → 'And God said, I am the LORD hath blessed me.\nAnd Abraham'
 * ```
 */
export function asLogitsProcessor<T extends TensorLike = TensorLike>(processor: Processor | readonly Processor[], ...rest: never[]): TransformersJsLogitsProcessor<T> {
  if (rest.length > 0) throw new TypeError(`asLogitsProcessor takes one argument (a processor or an array of them), got ${rest.length + 1}: it has no options`);
  const proc = processorOption(processor);
  if (proc === null) throw new TypeError('asLogitsProcessor: processor must be a processor or a non-empty array of processors');
  let rows: TokenHistory[] = [];
  let lastIds: unknown = null;

  const apply = (inputIds: InputIds, logits: T): T => {
    if (!Array.isArray(inputIds)) throw new TypeError(`asLogitsProcessor: inputIds must be an array of token-id arrays, got ${String(inputIds)}`);
    if (logits == null || !Array.isArray(logits.dims) || logits.dims.length !== 2) {
      throw new TypeError(`asLogitsProcessor: logits must be a Tensor of shape [batch, vocab], got ${logits == null ? String(logits) : `dims [${logits.dims}]`}`);
    }
    if (!(logits.data instanceof Float32Array)) {
      throw new TypeError(`asLogitsProcessor: logits must hold float32 data, got ${logits.type}`);
    }
    const [B, V] = logits.dims;
    if (!Number.isInteger(B) || !Number.isInteger(V) || B < 1 || V < 1 || logits.data.length !== B * V) {
      throw new RangeError(`asLogitsProcessor: logits of dims [${logits.dims}] hold ${logits.data.length} values, expected batch · vocab`);
    }
    if (inputIds.length !== B) throw new RangeError(`asLogitsProcessor: ${inputIds.length} rows of ids for ${B} rows of logits`);
    const sameRun = inputIds === lastIds && rows.length === B;
    if (rows.length !== B) rows = Array.from({ length: B }, () => new TokenHistory());
    lastIds = inputIds;
    const data = logits.data;
    for (let b = 0; b < B; b++) {
      const ids = inputIds[b];
      const h = rows[b];
      sync(h, ids, sameRun, V, b);
      const row = data.subarray(b * V, b * V + V);
      const out = proc(row, h);
      if (out !== row) row.set(out);
    }
    return logits;
  };
  const processors: ((inputIds: InputIds, logits: T) => T)[] = [apply];
  const list = (inputIds: InputIds, logits: T): T => {
    let out = logits;
    for (const p of processors) out = p(inputIds, out);
    return out;
  };
  const push = (item: (inputIds: InputIds, logits: T) => T): void => {
    if (typeof item !== 'function') throw new TypeError(`asLogitsProcessor: push needs a function (inputIds, logits) => logits, got ${String(item)}`);
    processors.push(item);
  };
  return Object.assign(list, {
    label: proc.label,
    processors,
    reset(): void {
      rows = [];
      lastIds = null;
    },
    _call: list,
    push,
    extend(items: Iterable<(inputIds: InputIds, logits: T) => T>): void {
      for (const item of items) push(item);
    },
    [Symbol.iterator]() {
      return processors.values();
    },
  }) as TransformersJsLogitsProcessor<T>;
}

/**
 * Brings `h` up to `ids`: pushes the new tokens when `ids` extends it, else restarts from `ids`.
 * Within one transformers.js run (the same array of rows, grown in place) only the boundary token is
 * checked; otherwise the whole known prefix is compared.
 */
function sync(h: TokenHistory, ids: readonly (bigint | number)[], sameRun: boolean, V: number, b: number): void {
  const n = h.length;
  let extends_ = ids.length >= n;
  if (extends_ && n > 0) {
    const t = h.tokens;
    if (sameRun) extends_ = Number(ids[n - 1]) === t[n - 1];
    else for (let i = 0; i < n && extends_; i++) extends_ = Number(ids[i]) === t[i];
  }
  if (!extends_) h.reset();
  for (let i = h.length; i < ids.length; i++) {
    const id = Number(ids[i]);
    if (!Number.isInteger(id) || id < 0 || id >= V) {
      throw new RangeError(`asLogitsProcessor: inputIds[${b}][${i}] = ${String(ids[i])} is not a token id of the vocabulary (size ${V})`);
    }
    h.push(id);
  }
}
