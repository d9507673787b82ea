/**
 * A running generation: a promise of the result and a one-shot async stream of events.
 */
import type { BeamHypothesis } from './beam-search.js';

/** Why generation ended. */
export type StopReason = 'eos' | 'maxNewTokens' | 'stopSequence' | 'stopString' | 'hook' | 'repetition';

/** Which decoding strategy ran: a `config` picks beam or contrastive search the way HF does. */
export type GenerateStrategy = 'greedy' | 'sample' | 'beamSearch' | 'contrastiveSearch';

/** What `await generate(…)` gives. */
export interface GenerateResult {
  /** The generated tokens (prompt excluded); with beam search, those of the best hypothesis. */
  tokens: Int32Array;
  stopReason: StopReason;
  /** Model calls made (includes steps later rewound by a back-off). */
  steps: number;
  /** Back-offs performed. */
  backoffs: number;
  /** The strategy that ran. */
  strategy: GenerateStrategy;
  /** With a tokenizer: the decoded text of `tokens` (special tokens skipped; cut before a stop string unless it is kept). */
  text?: string;
  /** Beam search only: every returned hypothesis, best first (`sequences[0].tokens` is `tokens`). */
  sequences?: BeamHypothesis[];
}

/**
 * One streamed event. `token`: a new token (and, with a tokenizer, the text it adds: possibly ''
 * while a character or a possible stop string is incomplete). `rewind`: drop the tokens from index
 * `length` on (a back-off), and with a tokenizer the text from `textLength` on. `text`: text added
 * without a new token (the held-back end, when generation stops).
 */
export type GenerateEvent =
  | { type: 'token'; token: number; index: number; text?: string }
  | { type: 'rewind'; length: number; textLength?: number }
  | { type: 'text'; text: string };

/**
 * A running generation: `await` it for the {@link GenerateResult}, or iterate it with `for await`
 * to stream {@link GenerateEvent}s (then `await` it afterwards for the result). It starts on the first
 * of the two. It can be iterated once, and not after it was awaited (that throws an Error). Leaving
 * the loop early (`break`, `return`, a throw) stops the generation, and awaiting it afterwards
 * rejects with "generation was stopped by the consumer of the stream".
 *
 * @example
 * ```ts
 * import { generate, type LanguageModel } from 'degen-guard';
 * const model: LanguageModel = {
 *   vocabSize: 3,
 *   async forward(seqs) { const l = new Float32Array(3); l[(seqs[0].at(-1)! + 1) % 3] = 1; return { logits: l }; },
 * };
 * const run = generate(model, [0], { maxNewTokens: 4 });
 * const seen: number[] = [];
 * for await (const ev of run) if (ev.type === 'token') seen.push(ev.token);
 * seen; // → [1, 2, 0, 1]
 * (await run).stopReason; // → 'maxNewTokens'
 * ```
 */
export class Generation implements AsyncIterable<GenerateEvent>, PromiseLike<GenerateResult> {
  private readonly gen: AsyncGenerator<GenerateEvent, GenerateResult>;
  private started = false;
  private readonly done: Promise<GenerateResult>;
  private resolve!: (r: GenerateResult) => void;
  private reject!: (e: unknown) => void;

  /** @internal */
  constructor(gen: AsyncGenerator<GenerateEvent, GenerateResult>) {
    this.gen = gen;
    this.done = new Promise<GenerateResult>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.done.catch(() => {}); // reported through then() / the iterator
  }

  [Symbol.asyncIterator](): AsyncIterator<GenerateEvent> {
    if (this.started) throw new Error('a Generation can be iterated once, and not after it was awaited');
    this.started = true;
    return {
      next: async () => {
        try {
          const r = await this.gen.next();
          if (r.done) {
            this.resolve(r.value);
            return { done: true, value: undefined };
          }
          return r;
        } catch (e) {
          this.reject(e);
          throw e;
        }
      },
      return: async () => {
        await this.gen.return(undefined as never);
        this.reject(new Error('generation was stopped by the consumer of the stream'));
        return { done: true, value: undefined };
      },
    };
  }

  then<A = GenerateResult, B = never>(
    onFulfilled?: ((value: GenerateResult) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    if (!this.started) {
      this.started = true;
      (async () => {
        for (;;) {
          const r = await this.gen.next();
          if (r.done) return r.value;
        }
      })().then(this.resolve, this.reject);
    }
    return this.done.then(onFulfilled, onRejected);
  }
}
