/**
 * The model interface the decoding strategies call: next-token logits for a batch of token
 * sequences, and (when asked) the last hidden state of each sequence. Async, because real JS
 * models (transformers.js, onnxruntime-web, WebGPU) are.
 */

/** What {@link LanguageModel.forward} returns for a batch of B sequences. */
export interface ModelOutput {
  /** Next-token logits, row-major B × vocabSize: row b belongs to `sequences[b]`. */
  logits: Float32Array;
  /** Last hidden state, row-major B × hiddenSize; required when `forward` was asked for it. */
  hidden?: Float32Array;
}

/** Options of one {@link LanguageModel.forward} call. */
export interface ForwardOptions {
  /** Also return the hidden state of each sequence's last position (contrastive search asks). */
  hidden?: boolean;
  /** Forwarded from the strategy's own `signal`. */
  signal?: AbortSignal;
}

/**
 * A causal language model as the strategies see it.
 *
 * @example
 * ```ts
 * import type { LanguageModel } from 'degen-guard';
 *
 * // A toy bigram model over 3 tokens: always prefers (last + 1) % 3.
 * const model: LanguageModel = {
 *   vocabSize: 3,
 *   async forward(sequences) {
 *     const logits = new Float32Array(sequences.length * 3);
 *     sequences.forEach((s, b) => { logits[b * 3 + (s[s.length - 1] + 1) % 3] = 5; });
 *     return { logits };
 *   },
 * };
 * (await model.forward([Int32Array.from([0, 1])])).logits; // → [0, 0, 5]
 * ```
 */
export interface LanguageModel {
  /** Size of the vocabulary: the length of one logits row. */
  readonly vocabSize: number;
  /** Size of one hidden-state row (needed by contrastive search only). */
  readonly hiddenSize?: number;
  /**
   * Next-token logits for each sequence (and its last hidden state when `options.hidden`).
   * The sequences of one call may differ in length; the arrays handed in are not kept by the caller
   * after the promise settles, so a model may cache by content but must copy what it keeps.
   */
  forward(sequences: readonly Int32Array[], options?: ForwardOptions): Promise<ModelOutput>;
  /**
   * Optional: the hidden state at every position of one sequence (length × hiddenSize). Contrastive
   * search uses it once for the prompt; without it, the prompt's prefixes are run as a batch.
   */
  hiddenStates?(sequence: Int32Array, options?: { signal?: AbortSignal }): Promise<Float32Array>;
}
