/**
 * What the transformers.js adapters need from the objects a user passes in, as TypeScript
 * interfaces (duck types): degen-guard never imports transformers.js. They describe
 * `@huggingface/transformers` v3/v4 (tested with 4.3.2).
 */

/** A typed array (Float32Array, BigInt64Array, Uint16Array …) as transformers.js tensors hold it. */
export interface TypedArrayLike {
  readonly length: number;
  readonly [index: number]: number | bigint;
  subarray(begin?: number, end?: number): TypedArrayLike;
}

/** What a transformers.js tensor's `data` may be: a typed array (or, rarely, a plain array). */
export type TensorData = TypedArrayLike | readonly unknown[];

/** A transformers.js `Tensor` (the parts the adapters read). */
export interface TensorLike {
  /** Element type: `'float32'`, `'float16'`, `'int64'` … */
  readonly type: string;
  /** Shape, outermost first. */
  readonly dims: readonly number[];
  /** Row-major data (on the CPU). */
  readonly data: TensorData;
  /** `'cpu'` (Node, wasm) or a GPU location such as `'gpu-buffer'` (WebGPU). */
  readonly location?: string;
  /** Frees GPU memory; a no-op need for CPU tensors. */
  dispose?(): void;
  /** A copy converted to another element type (`'float32'`). */
  to?(type: string): TensorLike;
}

/** Element types the adapters create tensors of (the cache keeps the model's own). */
export type TensorType = 'float32' | 'float16' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

/** The standard typed arrays (what the adapters hand to the Tensor constructor). */
export type StandardTypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The `Tensor` class of transformers.js: `new Tensor('int64', BigInt64Array, [1, 3])`. */
export type TensorClass = new (type: TensorType, data: StandardTypedArray, dims: number[]) => TensorLike;

/** Input or output metadata of an ONNX Runtime session (names, element type, symbolic shape). */
export interface SessionValueMetadata {
  readonly name: string;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

/** The ONNX Runtime session of a transformers.js model (its input and output names). */
export interface SessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly SessionValueMetadata[];
  readonly outputMetadata?: readonly SessionValueMetadata[];
}

/**
 * A transformers.js causal language model, as `AutoModelForCausalLM.from_pretrained(…)` returns it:
 * a decoder-only model whose session `model` takes `input_ids`, `attention_mask` and
 * `past_key_values.*`, and returns `logits`, `present.*` and optionally `last_hidden_state`.
 */
export interface TransformersJsCausalLM {
  /** The model's `config.json` (`vocab_size`; the hidden size when the session does not tell it). */
  readonly config: {
    readonly vocab_size?: number;
    readonly hidden_size?: number;
    readonly n_embd?: number;
    readonly d_model?: number;
    readonly normalized_config?: { readonly hidden_size?: number };
  };
  /** ONNX Runtime sessions by name; decoder-only models run `sessions.model`. */
  readonly sessions: { readonly [name: string]: SessionLike | undefined };
  /** One forward pass: tensors in (by input name, `past_key_values` as an object of tensors), tensors out. */
  forward(inputs: Record<string, unknown>): Promise<Record<string, TensorLike>>;
  /** Used once to find the `Tensor` class when `options.Tensor` is not given. */
  prepare_inputs_for_generation?(...args: unknown[]): Record<string, unknown>;
}
