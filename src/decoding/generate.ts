/**
 * The step loop: model → processors → sampler (or greedy) → history, with EOS ids, a token budget,
 * stop sequences, an AbortSignal, a per-step hook, streaming, and an optional repetition monitor
 * that stops or backs off and re-generates a looping span with stronger settings.
 */
import { createRng } from '../core/rng.js';
import { TokenHistory } from '../core/token-history.js';
import type { Candidates, Processor, Rng, Sampler } from '../core/types.js';
import { checkInteger, checkTokenIds } from '../core/validate.js';
import { greedy } from '../samplers/greedy.js';
import { sample } from '../samplers/sample.js';
import type { LanguageModel } from './language-model.js';
import { callModel, checkModel } from './model-call.js';
import { eosOption, maxNewTokensOption, processorOption, promptOption, seedOption, signalOption } from './options.js';

/** The part of a RepetitionMonitor that `generate` uses (push one token, read the state; reset). */
export interface MonitorLike {
  push(token: number): { triggered: boolean; reason: string | null; loopStart: number; period: number };
  reset(): void;
}

/** Back off and re-generate: rewind the looping span, then decode it again with stronger settings. */
export interface RepetitionBackoff {
  /** Processors used while backing off (they replace `processors`), e.g. a penalty and a no-repeat n-gram ban. */
  processors: Processor | readonly Processor[];
  /** Sample while backing off (default: the main `doSample`). */
  doSample?: boolean;
  /**
   * Tokens decoded with the stronger settings after the first rewind (default 48); each later back-off
   * of the same generation lasts twice as long as the one before, and always at least the rewound span.
   */
  tokens?: number;
  /**
   * Back-offs in a row allowed before the monitor stops generation instead (default 3). The count
   * starts again when a back-off's stronger span ends without a new alarm: only back-offs that fail to
   * leave the loop use it up.
   */
  maxRetries?: number;
}

/** What the per-step hook sees. */
export interface StepInfo {
  /** Index of the token being chosen among the generated ones (0 for the first new token). */
  step: number;
  /** The token the sampler chose. */
  token: number;
  /** The processed logits row the choice was made from (vetoed tokens are -Infinity in it). */
  logits: Float32Array;
  /** Survivors of the processors, when the pipeline knows them (a superset of the finite cells). */
  candidates: Candidates | null;
  /** Prompt and generated tokens so far (a view, valid during the call). */
  tokens: Int32Array;
  /** Whether the loop is backing off from a repetition. */
  backingOff: boolean;
}

/**
 * What the hook returns: nothing or `true` accepts the token; a token id replaces it; `false`
 * vetoes it (it is set to -Infinity and the sampler chooses again); `'stop'` ends generation.
 */
export type StepDecision = void | undefined | boolean | number | 'stop';

/** Options of {@link generate}; HF names in parentheses. */
export interface GenerateOptions {
  /** Tokens to generate at most (`max_new_tokens`), default 20. */
  maxNewTokens?: number;
  /** Processors applied to each row with the history, in order (`logits_processor`). */
  processors?: Processor | readonly Processor[];
  /** Sample from the processed row (`do_sample`); default false: greedy (argmax). */
  doSample?: boolean;
  /** A custom sampler (overrides `doSample`), e.g. a mirostat sampler. */
  sampler?: Sampler;
  /** Seed of the random numbers (ignored when `rng` is given). */
  seed?: number;
  /** A random source to use and advance. */
  rng?: Rng;
  /** Token id(s) that end generation; the EOS token is kept in the output (`eos_token_id`). */
  eosTokenIds?: number | readonly number[];
  /** Token sequences that end generation when the text ends with one (kept in the output). */
  stopSequences?: readonly (readonly number[])[];
  /** Cancels generation: the promise (or the stream) rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each choice; may veto or replace the token, or stop (human intervention). */
  onStep?: (info: StepInfo) => StepDecision | Promise<StepDecision>;
  /** A RepetitionMonitor fed every generated token. */
  monitor?: MonitorLike;
  /** What to do when the monitor triggers: `'stop'` (default) or back off and re-generate. */
  onRepetition?: 'stop' | RepetitionBackoff;
}

/** Why generation ended. */
export type StopReason = 'eos' | 'maxNewTokens' | 'stopSequence' | 'hook' | 'repetition';

/** What `await generate(…)` gives. */
export interface GenerateResult {
  /** The generated tokens (prompt excluded). */
  tokens: Int32Array;
  stopReason: StopReason;
  /** Model calls made (includes steps later rewound by a back-off). */
  steps: number;
  /** Back-offs performed. */
  backoffs: number;
}

/** One streamed event: a new token, or a rewind (a back-off dropped tokens from index `length` on). */
export type GenerateEvent =
  | { type: 'token'; token: number; index: number }
  | { type: 'rewind'; length: number };

/**
 * A running generation: `await` it for the {@link GenerateResult}, or iterate it with `for await`
 * to stream {@link GenerateEvent}s (then `await` it afterwards for the result). It starts on the first
 * of the two.
 *
 * @example
 * ```ts
 * const run = generate(model, [0], { maxNewTokens: 8 });
 * for await (const ev of run) if (ev.type === 'token') console.log(ev.token);
 * const { tokens, stopReason } = await run;
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

/**
 * Generates up to `maxNewTokens` tokens after `prompt` (HF `generate` with greedy or sampling).
 *
 * @example
 * ```ts
 * const out = await generate(model, [0], { maxNewTokens: 30, processors: [repetitionPenalty(1.3)], seed: 1 });
 * out.tokens; // Int32Array of new tokens
 * for await (const ev of generate(model, [0], { doSample: true, seed: 2 })) if (ev.type === 'token') console.log(ev.token);
 * ```
 */
export function generate(model: LanguageModel, prompt: ArrayLike<number>, options: GenerateOptions = {}): Generation {
  const V = checkModel(model);
  const promptIds = promptOption(prompt, V);
  const maxNew = maxNewTokensOption(options.maxNewTokens);
  const proc = processorOption(options.processors);
  const doSample = options.doSample ?? false;
  if (typeof doSample !== 'boolean') throw new TypeError(`doSample must be a boolean, got ${String(doSample)}`);
  if (options.sampler !== undefined && typeof options.sampler !== 'function') {
    throw new TypeError(`sampler must be a function (logits, rng, candidates) => id, got ${String(options.sampler)}`);
  }
  const seed = seedOption(options.seed);
  const rng = options.rng ?? createRng(seed ?? 0);
  const eos = eosOption(options.eosTokenIds, V);
  const stops = (options.stopSequences ?? []).map((s, i) => {
    const ids = checkTokenIds(`stopSequences[${i}]`, s, V);
    if (ids.length === 0) throw new RangeError(`stopSequences[${i}] is empty`);
    return ids;
  });
  const signal = signalOption(options.signal);
  if (options.onStep !== undefined && typeof options.onStep !== 'function') {
    throw new TypeError(`onStep must be a function, got ${String(options.onStep)}`);
  }
  const monitor = options.monitor;
  if (monitor !== undefined && (typeof monitor?.push !== 'function' || typeof monitor.reset !== 'function')) {
    throw new TypeError('monitor must be a RepetitionMonitor (push(token) and reset())');
  }
  const policy = options.onRepetition ?? 'stop';
  let backoff: { proc: Processor | null; doSample: boolean; tokens: number | null; maxRetries: number } | null = null;
  if (policy !== 'stop') {
    if (policy === null || typeof policy !== 'object') {
      throw new TypeError(`onRepetition must be 'stop' or { processors, doSample?, tokens?, maxRetries? }, got ${String(policy)}`);
    }
    backoff = {
      proc: processorOption(policy.processors),
      doSample: policy.doSample ?? doSample,
      tokens: policy.tokens === undefined ? null : checkInteger('onRepetition.tokens', policy.tokens, 1),
      maxRetries: checkInteger('onRepetition.maxRetries', policy.maxRetries ?? 3, 0),
    };
  }
  return new Generation(run());

  async function* run(): AsyncGenerator<GenerateEvent, GenerateResult> {
    const history = new TokenHistory(promptIds);
    const P = promptIds.length;
    monitor?.reset();
    let steps = 0;
    let backoffs = 0;
    let strongUntil = -1; // generated length up to which the back-off settings apply
    let failedInARow = 0; // alarms in a row, each before the previous back-off's stronger span was over
    const finish = (stopReason: StopReason): GenerateResult => ({
      tokens: history.tokens.slice(P),
      stopReason,
      steps,
      backoffs,
    });
    while (history.length - P < maxNew) {
      const index = history.length - P;
      const out = await callModel(model, [history.tokens], { strategy: 'generate', step: index, signal });
      steps++;
      const row = out.logits.length === V ? out.logits : out.logits.subarray(0, V);
      const strong = backoff !== null && index < strongUntil;
      const p = strong ? backoff!.proc : proc;
      const sampling = strong ? backoff!.doSample : doSample;
      if (p) p(row, history);
      const cands = p && 'candidates' in p ? ((p as { candidates: Candidates | null }).candidates ?? null) : null;
      let token = -1;
      for (;;) {
        token = options.sampler ? options.sampler(row, rng, cands) : sampling ? sample(row, rng, cands) : greedy(row, cands);
        if (!options.onStep) break;
        const d = await options.onStep({ step: index, token, logits: row, candidates: cands, tokens: history.tokens, backingOff: strong });
        if (d === undefined || d === true) break;
        if (d === 'stop') return finish('hook');
        if (d === false) {
          row[token] = -Infinity; // veto: choose again without it
          continue;
        }
        if (typeof d === 'number') {
          token = checkTokenIds('onStep result', [d], V)[0];
          break;
        }
        throw new TypeError(`onStep must return undefined, true, false, a token id or 'stop', got ${String(d)}`);
      }
      history.push(token);
      yield { type: 'token', token, index };
      if (eos.has(token)) return finish('eos');
      if (endsWithStop(history.tokens, stops)) return finish('stopSequence');
      if (monitor) {
        const st = monitor.push(token);
        if (st.triggered) {
          // an alarm during a back-off's stronger span means that back-off failed
          failedInARow = strong ? failedInARow + 1 : 1;
          if (!backoff || failedInARow > backoff.maxRetries) return finish('repetition');
          const len = history.length - P;
          // keep the first block of a loop; for a seq-rep alarm drop the last 8 tokens
          const keep = st.reason === 'loop' && st.loopStart >= 0 ? Math.min(len, st.loopStart + st.period) : Math.max(0, len - 8);
          history.truncate(P + keep);
          monitor.reset();
          const gen = history.tokens;
          for (let i = P; i < gen.length; i++) monitor.push(gen[i]);
          backoffs++;
          // each back-off lasts twice as long as the one before (a model that keeps walking back into
          // loops is kept away longer), and at least the dropped span, so that a back-off that is not
          // a failure always ends past the last alarm
          strongUntil = keep + Math.max((backoff.tokens ?? 48) * 2 ** Math.min(backoffs - 1, 20), len - keep);
          yield { type: 'rewind', length: keep };
        }
      }
    }
    return finish('maxNewTokens');
  }
}

function endsWithStop(tokens: Int32Array, stops: number[][]): boolean {
  const n = tokens.length;
  outer: for (const s of stops) {
    if (s.length > n) continue;
    for (let i = 0; i < s.length; i++) if (tokens[n - s.length + i] !== s[i]) continue outer;
    return true;
  }
  return false;
}
