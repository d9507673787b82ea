/**
 * `degen-guard/transformers-js`: degen-guard inside transformers.js and transformers.js inside
 * degen-guard, without importing transformers.js (the objects are passed in).
 */
export {
  transformersJsModel,
  type TransformersJsModelOptions,
  type TransformersJsLanguageModel,
  type TransformersJsModelStats,
} from './model.js';
export { asLogitsProcessor, type TransformersJsLogitsProcessor, type InputIds } from './logits-processor.js';
export type {
  TensorLike,
  TensorClass,
  TensorType,
  StandardTypedArray,
  TensorData,
  TypedArrayLike,
  SessionLike,
  SessionValueMetadata,
  TransformersJsCausalLM,
} from './types.js';
