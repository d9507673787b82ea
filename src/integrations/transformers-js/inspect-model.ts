/**
 * What the transformers.js adapter reads from a model before its first call: the session's cache
 * inputs and outputs, the vocabulary and hidden sizes, and transformers.js's Tensor class.
 */
import type { SessionLike, TensorClass, TransformersJsCausalLM } from './types.js';

/** The output contrastive search takes its hidden states from. */
export const HIDDEN = 'last_hidden_state';

/** A causal LM's shape, as the adapter needs it. */
export interface ModelInfo {
  session: SessionLike;
  /** Vocabulary size (`config.vocab_size`). */
  V: number;
  /** `past_key_values.*` inputs, and the `present.*` output of each. */
  pastNames: string[];
  presentNames: string[];
  /** The session takes `num_logits_to_keep`. */
  keepLogits: boolean;
  /** The session returns `last_hidden_state`, of size D. */
  hasHidden: boolean;
  D: number | undefined;
  /** The error for asking hidden states of an export without them. */
  noHidden(): TypeError;
}

/** Checks that `model` is a decoder-only transformers.js causal LM with a cache the adapter can keep. */
export function inspectModel(model: TransformersJsCausalLM): ModelInfo {
  if (model == null || typeof model.forward !== 'function') {
    throw new TypeError(`transformersJsModel: model must be a transformers.js model with a forward(inputs) method, got ${String(model)}`);
  }
  const session: SessionLike | undefined = model.sessions?.model;
  if (session == null || !Array.isArray(session.inputNames) || !Array.isArray(session.outputNames)) {
    throw new TypeError('transformersJsModel: model.sessions.model is missing: a decoder-only causal LM is needed (AutoModelForCausalLM)');
  }
  if (!session.inputNames.includes('input_ids')) {
    throw new TypeError(`transformersJsModel: the model takes no input_ids (inputs: ${session.inputNames.join(', ')})`);
  }
  const V = model.config?.vocab_size;
  if (typeof V !== 'number' || !Number.isInteger(V) || V < 1) {
    throw new TypeError(`transformersJsModel: model.config.vocab_size must be an integer ≥ 1, got ${String(V)}`);
  }
  const pastNames = session.inputNames.filter((n) => n.startsWith('past_'));
  const odd = pastNames.filter((n) => !n.startsWith('past_key_values.'));
  if (odd.length > 0) {
    throw new TypeError(`transformersJsModel: cache inputs ${odd.join(', ')} are not supported (only past_key_values.*)`);
  }
  const presentNames = pastNames.map((n) => n.replace('past_key_values', 'present'));
  const missing = presentNames.filter((n) => !session.outputNames.includes(n));
  if (missing.length > 0) throw new TypeError(`transformersJsModel: the model has past inputs but no outputs ${missing.join(', ')}`);
  const hasHidden = session.outputNames.includes(HIDDEN);
  return {
    session,
    V,
    pastNames,
    presentNames,
    keepLogits: session.inputNames.includes('num_logits_to_keep'),
    hasHidden,
    D: hasHidden ? hiddenSizeOf(model, session) : undefined,
    noHidden: () =>
      new TypeError(
        `transformersJsModel: this export has no '${HIDDEN}' output (outputs: ${session.outputNames.join(', ')}); contrastive search needs the last hidden state: export the model with it`,
      ),
  };
}

/** The size of `last_hidden_state`'s last axis: from the session's metadata, else the config. */
function hiddenSizeOf(model: TransformersJsCausalLM, session: SessionLike): number {
  const meta = session.outputMetadata?.find((m) => m.name === HIDDEN);
  const last = meta?.shape?.[meta.shape.length - 1];
  const c = model.config;
  const d = typeof last === 'number' ? last : (c.normalized_config?.hidden_size ?? c.hidden_size ?? c.n_embd ?? c.d_model);
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
    throw new TypeError(`transformersJsModel: cannot tell the size of '${HIDDEN}' (no static shape, no config.hidden_size), got ${String(d)}`);
  }
  return d;
}

/**
 * transformers.js's Tensor class, found through the model: `prepare_inputs_for_generation` builds an
 * attention mask (a Tensor) for inputs that have none.
 */
export function findTensorClass(model: TransformersJsCausalLM): TensorClass {
  let mask: unknown;
  try {
    mask = model.prepare_inputs_for_generation?.(null, { input_ids: { dims: [1, 1] } }, null)?.attention_mask;
  } catch {
    mask = undefined;
  }
  const C = (mask as { constructor?: unknown } | undefined)?.constructor;
  if (typeof C !== 'function' || C === Object) {
    throw new TypeError(
      "transformersJsModel: could not find transformers.js's Tensor class through the model: pass it, transformersJsModel(model, { Tensor }) with import { Tensor } from '@huggingface/transformers'",
    );
  }
  return C as TensorClass;
}
