/**
 * `generate`: the step loop (model → processors → sampler or greedy → history) with EOS ids, a
 * token budget, stop sequences and stop strings, an AbortSignal, a per-step hook, streaming of
 * tokens and decoded text, and an optional repetition monitor that stops or backs off and
 * re-generates a looping span with stronger settings. Given a `config` (what fromGenerationConfig
 * and the other config translators return), the config picks the strategy and its limits.
 */
import { checkOptionKeys } from '../core/option-keys.js';
import { createRng } from '../core/rng.js';
import { TokenHistory } from '../core/token-history.js';
import type { Candidates, Processor, Rng, Sampler } from '../core/types.js';
import { checkInteger, checkTokenIds } from '../core/validate.js';
import type { GenerationSetup } from '../config/from-generation-config.js';
import { greedy } from '../samplers/greedy.js';
import { sample } from '../samplers/sample.js';
import { Generation, type GenerateEvent, type GenerateResult, type GenerateStrategy, type StopReason } from './generation.js';
import type { LanguageModel } from './language-model.js';
import { callModel, checkModel } from './model-call.js';
import {
  eosOption,
  maxNewTokensOption,
  processorOption,
  promptOption,
  rngOption,
  seedOption,
  signalOption,
  stopStringsOption,
  tokenizerOption,
} from './options.js';
import { runSearch } from './search-run.js';
import { encodeText, TextStream, type TokenizerLike } from './text-stream.js';

export { Generation } from './generation.js';
export type { GenerateEvent, GenerateResult, GenerateStrategy, StopReason } from './generation.js';
export type { TokenizerLike } from './text-stream.js';
import { StateTrail } from './stateful.js';

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

/** Options of {@link generate}; HF names in parentheses. An option given here wins over the `config`'s value. */
export interface GenerateOptions {
  /**
   * A decoding set-up from {@link fromGenerationConfig} (or another config translator): its
   * processors, token choice, EOS ids, length limits, seed and stop strings, and its strategy
   * (`num_beams` > 1: beam search; `penalty_alpha` with `top_k` > 1: contrastive search).
   */
  config?: GenerationSetup;
  /** Tokens to generate at most (`max_new_tokens`); default: the config's limit, else 20. */
  maxNewTokens?: number;
  /** Processors applied to each row with the history, in order (`logits_processor`); they replace the config's. */
  processors?: Processor | readonly Processor[];
  /** Sample from the processed row (`do_sample`); default false: greedy (argmax). */
  doSample?: boolean;
  /** A custom sampler (overrides `doSample`), e.g. a mirostat sampler. */
  sampler?: Sampler;
  /** Seed of the random numbers (ignored when `rng` is given); default 0. */
  seed?: number;
  /** A random source to use and advance. */
  rng?: Rng;
  /** Token id(s) that end generation; the EOS token is kept in the output (`eos_token_id`). */
  eosTokenIds?: number | readonly number[];
  /** Token sequences that end generation when the text ends with one (kept in the output). */
  stopSequences?: readonly (readonly number[])[];
  /** Needed for a string prompt, decoded text and stop strings: transformers.js's tokenizer or any `{ encode, decode }`. */
  tokenizer?: TokenizerLike;
  /** Strings that end generation once the decoded text contains one (`stop_strings`; OpenAI `stop`). Needs `tokenizer`. */
  stopStrings?: readonly string[];
  /** Keep the matched stop string in `.text` (HF: true, nothing is cut); default false: the text ends before it (OpenAI, vLLM). */
  includeStopStrInOutput?: boolean;
  /** Cancels generation, even during a pending model call: the promise (or the stream) rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each choice; may veto or replace the token, or stop (human intervention). */
  onStep?: (info: StepInfo) => StepDecision | Promise<StepDecision>;
  /** A RepetitionMonitor fed every generated token. */
  monitor?: MonitorLike;
  /** What to do when the monitor triggers: `'stop'` (default) or back off and re-generate. */
  onRepetition?: 'stop' | RepetitionBackoff;
}

const OPTION_KEYS = [
  'config',
  'maxNewTokens',
  'processors',
  'doSample',
  'sampler',
  'seed',
  'rng',
  'eosTokenIds',
  'stopSequences',
  'tokenizer',
  'stopStrings',
  'includeStopStrInOutput',
  'signal',
  'onStep',
  'monitor',
  'onRepetition',
];
const BACKOFF_KEYS = ['processors', 'doSample', 'tokens', 'maxRetries'];
/** Options that only the step loop (greedy / sampling) understands. */
const STEP_LOOP_ONLY = ['onStep', 'monitor', 'onRepetition', 'sampler', 'rng', 'doSample', 'stopStrings'] as const;

function checkGenerateKeys(options: object): void {
  for (const key of Object.keys(options)) {
    if (OPTION_KEYS.includes(key) || !key.includes('_')) continue;
    const camel = key.replace(/_+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
    if (OPTION_KEYS.includes(camel)) continue; // checkOptionKeys suggests the camelCase name
    throw new TypeError(
      `generate options: unknown option "${key}" (a generation_config key goes through config: ` +
        `generate(model, prompt, { config: fromGenerationConfig({ ${key}: … }) }))`,
    );
  }
  checkOptionKeys('generate options', options, OPTION_KEYS);
}

/** Re-throws an error of a token choice with the step it happened at (same class, original as `cause`). */
function atStep(e: unknown, step: number): unknown {
  if (e instanceof RangeError) return new RangeError(`generate, step ${step}: ${e.message}`, { cause: e });
  if (e instanceof TypeError) return new TypeError(`generate, step ${step}: ${e.message}`, { cause: e });
  return e;
}

/** Whether `value` is a setup from a config translator (they all carry `choose` and `numBeams`). */
function isSetup(value: unknown): value is GenerationSetup {
  return value != null && typeof (value as GenerationSetup).choose === 'function' && 'numBeams' in (value as object);
}

/** The config as built for this prompt (a setup with `forPrompt` is rebuilt for the prompt's length). */
function configOption(value: GenerationSetup | undefined, promptLength: number): GenerationSetup | null {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || typeof value.doSample !== 'boolean') {
    const json = value !== null && typeof value === 'object' && Object.keys(value).some((k) => k.includes('_'));
    throw new TypeError(
      `config must be a GenerationSetup (what fromGenerationConfig returns)${json ? ': pass fromGenerationConfig(json), not the JSON itself' : `, got ${String(value)}`}`,
    );
  }
  const setup = typeof value.forPrompt === 'function' ? value.forPrompt(promptLength) : value;
  checkInteger('config.numBeams', setup.numBeams, 1);
  return setup;
}

/**
 * Generates up to `maxNewTokens` tokens after `prompt` (HF `generate`). Without a `config` it
 * decodes greedily, or samples with `doSample`; with one (`fromGenerationConfig(json)`, or any
 * config translator's setup) the config picks the strategy and its limits as HF does, and options
 * given here win over the config's values. With a `tokenizer`, the prompt may be a string, events
 * carry the decoded text they add, the result has `.text`, and `stopStrings` work.
 *
 * @example
 * ```ts
 * import { generate, fromGenerationConfig, repetitionPenalty, type LanguageModel } from 'degen-guard';
 * // a toy model: always prefers (last + 1) % 4, with token 3 as EOS
 * const model: LanguageModel = {
 *   vocabSize: 4,
 *   async forward(seqs) { const l = new Float32Array(4); l[(seqs[0].at(-1)! + 1) % 4] = 2; return { logits: l }; },
 * };
 * const out = await generate(model, [0], { maxNewTokens: 5, processors: [repetitionPenalty(1.3)] });
 * Array.from(out.tokens); // → [1, 2, 3, 0, 1]
 * const hf = await generate(model, [0], { config: fromGenerationConfig({ eos_token_id: 3, max_new_tokens: 10 }) });
 * Array.from(hf.tokens); // → [1, 2, 3]
 * hf.stopReason; // → 'eos'
 * ```
 */
export function generate(
  model: LanguageModel,
  prompt: string | ArrayLike<number>,
  options: GenerateOptions | GenerationSetup = {},
): Generation {
  // a setup passed in place of the options is its `config`
  const o: GenerateOptions = isSetup(options) ? { config: options } : (options ?? {});
  checkGenerateKeys(o);
  const V = checkModel(model);
  const tokenizer = tokenizerOption(o.tokenizer);
  let promptIds: Int32Array;
  if (typeof prompt === 'string') {
    if (!tokenizer) throw new TypeError('a string prompt needs a tokenizer (options.tokenizer)');
    promptIds = promptOption(encodeText(tokenizer, prompt), V);
  } else {
    promptIds = promptOption(prompt, V);
  }
  const P = promptIds.length;
  const setup = configOption(o.config, P);
  const maxNew = maxNewOption(o.maxNewTokens, setup, P);
  const proc = o.processors !== undefined ? processorOption(o.processors) : setup ? setup.pipeline : null;
  const doSample = o.doSample ?? setup?.doSample ?? false;
  if (typeof doSample !== 'boolean') throw new TypeError(`doSample must be a boolean, got ${String(doSample)}`);
  const sampler = o.sampler ?? setup?.sampler;
  if (sampler !== undefined && typeof sampler !== 'function') {
    throw new TypeError(`sampler must be a function (logits, rng, candidates) => id, got ${String(sampler)}`);
  }
  const seed = seedOption(o.seed ?? setup?.seed);
  const rng = rngOption(o.rng) ?? createRng(seed ?? 0);
  const eos = eosOption(o.eosTokenIds ?? setup?.eosTokenIds, V);
  const stops = (o.stopSequences ?? []).map((s, i) => {
    const ids = checkTokenIds(`stopSequences[${i}]`, s, V);
    if (ids.length === 0) throw new RangeError(`stopSequences[${i}] is empty`);
    return ids;
  });
  const stopStrings = o.stopStrings !== undefined ? stopStringsOption(o.stopStrings) : stopStringsOption(setup?.stopStrings, 'config.stopStrings');
  const includeStop = o.includeStopStrInOutput ?? setup?.includeStopStrInOutput ?? false;
  if (typeof includeStop !== 'boolean') throw new TypeError(`includeStopStrInOutput must be a boolean, got ${String(includeStop)}`);
  if (stopStrings.length > 0 && !tokenizer) {
    throw new TypeError(`${o.stopStrings !== undefined ? 'stopStrings' : "the config's stopStrings"} need a tokenizer (options.tokenizer) to match the decoded text`);
  }
  const signal = signalOption(o.signal);
  if (o.onStep !== undefined && typeof o.onStep !== 'function') {
    throw new TypeError(`onStep must be a function, got ${String(o.onStep)}`);
  }
  const monitor = o.monitor;
  if (monitor !== undefined && (typeof monitor?.push !== 'function' || typeof monitor.reset !== 'function')) {
    throw new TypeError('monitor must be a RepetitionMonitor (push(token) and reset())');
  }
  const backoff = backoffOption(o.onRepetition ?? 'stop', doSample);
  const strategy = chooseStrategy(setup, doSample, sampler);
  const search = strategy === 'beamSearch' || strategy === 'contrastiveSearch';
  if (search) checkSearchOptions(o, strategy, stopStrings.length > 0, stops.length > 0, maxNew);
  const text = tokenizer ? new TextStream(tokenizer, stopStrings, includeStop) : null;
  if (search) {
    return new Generation(runSearch(model, promptIds, { strategy, setup: setup!, maxNewTokens: maxNew, processors: proc, eos, stops, signal, text }));
  }
  const plan: StepLoop = { model, V, promptIds, maxNew, proc, doSample, sampler, rng, eos, stops, text, signal, onStep: o.onStep, monitor, backoff, strategy };
  return new Generation(runSteps(plan));
}

/** How many tokens to generate: an explicit option wins over the config's value; default 20. */
function maxNewOption(value: number | undefined, setup: GenerationSetup | null, P: number): number {
  if (value !== undefined || !setup) return maxNewTokensOption(value);
  if (setup.maxNewTokens !== undefined) return checkInteger('config.maxNewTokens', setup.maxNewTokens, 1);
  if (setup.maxLength === Infinity) return Infinity; // no limit (llama.cpp n_predict = -1): until EOS, a stop or the signal
  if (setup.maxLength !== null && setup.maxLength !== undefined) {
    const maxNew = checkInteger('config.maxLength', setup.maxLength, 1) - P;
    if (maxNew < 1) {
      throw new RangeError(
        `the prompt has ${P} tokens but the config's max_length is ${setup.maxLength} (prompt included): nothing left to generate; set max_new_tokens`,
      );
    }
    return maxNew;
  }
  return 20;
}

/** The back-off settings of `onRepetition`, or null for `'stop'`. */
interface Backoff {
  proc: Processor | null;
  doSample: boolean;
  tokens: number | null;
  maxRetries: number;
}

function backoffOption(policy: 'stop' | RepetitionBackoff, doSample: boolean): Backoff | null {
  if (policy === 'stop') return null;
  if (policy === null || typeof policy !== 'object') {
    throw new TypeError(`onRepetition must be 'stop' or { processors, doSample?, tokens?, maxRetries? }, got ${String(policy)}`);
  }
  checkOptionKeys('generate options.onRepetition', policy, BACKOFF_KEYS);
  return {
    proc: processorOption(policy.processors),
    doSample: policy.doSample ?? doSample,
    tokens: policy.tokens === undefined ? null : checkInteger('onRepetition.tokens', policy.tokens, 1),
    maxRetries: checkInteger('onRepetition.maxRetries', policy.maxRetries ?? 3, 0),
  };
}

/** The strategy (HF `get_generation_mode`): beams, then contrastive search, then sampling or greedy. */
function chooseStrategy(setup: GenerationSetup | null, doSample: boolean, sampler: Sampler | undefined): GenerateStrategy {
  let strategy: GenerateStrategy = sampler || doSample ? 'sample' : 'greedy';
  if (setup && setup.numBeams > 1) {
    if (doSample) throw new TypeError(`beam sampling (do_sample with num_beams = ${setup.numBeams}) is not supported: set do_sample to false or num_beams to 1`);
    strategy = 'beamSearch';
  } else if (setup && setup.penaltyAlpha !== null && setup.penaltyAlpha !== undefined && !doSample && !sampler) {
    strategy = 'contrastiveSearch';
  }
  if (setup && strategy !== 'beamSearch' && (setup.numReturnSequences ?? 1) > 1) {
    throw new TypeError(`num_return_sequences = ${setup.numReturnSequences} needs beam search (num_beams > 1); call generate once per sequence instead`);
  }
  return strategy;
}

/** Throws when an option of the step loop is set for beam or contrastive search, or no length limit is. */
function checkSearchOptions(o: GenerateOptions, strategy: 'beamSearch' | 'contrastiveSearch', hasStopStrings: boolean, hasStops: boolean, maxNew: number): void {
  const search = strategy === 'beamSearch' ? 'beam search' : 'contrastive search';
  for (const key of STEP_LOOP_ONLY) {
    if (o[key] !== undefined && !(key === 'onRepetition' && o[key] === 'stop') && !(key === 'doSample' && o[key] === false)) {
      throw new TypeError(`generate option ${key} does not apply to ${search} (the config asks for it)`);
    }
  }
  if (hasStopStrings) throw new TypeError(`stop strings do not apply to ${search} (the config asks for it)`);
  if (strategy === 'beamSearch' && hasStops) throw new TypeError('stopSequences do not apply to beam search (the config asks for it)');
  if (maxNew === Infinity) throw new RangeError(`${search} needs a length limit: set maxNewTokens`);
}

/** Everything the step loop (greedy / sampling) needs, checked. */
interface StepLoop {
  model: LanguageModel;
  V: number;
  promptIds: Int32Array;
  maxNew: number;
  proc: Processor | null;
  doSample: boolean;
  sampler: Sampler | undefined;
  rng: Rng;
  eos: Set<number>;
  stops: number[][];
  text: TextStream | null;
  signal: AbortSignal | undefined;
  onStep: GenerateOptions['onStep'];
  monitor: MonitorLike | undefined;
  backoff: Backoff | null;
  strategy: GenerateStrategy;
}

/** The step loop: model → processors → sampler → history, one token per step, with stops and back-offs. */
async function* runSteps(plan: StepLoop): AsyncGenerator<GenerateEvent, GenerateResult> {
  const { model, V, promptIds, maxNew, proc, doSample, sampler, eos, stops, text, signal, monitor, backoff, strategy } = plan;
  const P = promptIds.length;
  const history = new TokenHistory(promptIds);
  const row = new Float32Array(V); // the loop's own copy: processors never touch the model's buffer
  monitor?.reset();
  const trail = new StateTrail(proc, backoff?.proc, sampler); // stateful samplers: reset, rewind
  trail.reset();
  let steps = 0;
  let backoffs = 0;
  let strongUntil = -1; // generated length up to which the back-off settings apply
  const generated = (): Int32Array => history.tokens.subarray(P);
  let failedInARow = 0; // alarms in a row, each before the previous back-off's stronger span was over
  const finish = (stopReason: StopReason): GenerateResult => ({
    tokens: history.tokens.slice(P),
    stopReason,
    steps,
    backoffs,
    strategy,
    ...(text ? { text: text.finalText() } : {}),
  });
  while (history.length - P < maxNew) {
    const index = history.length - P;
    trail.mark(index);
    const out = await callModel(model, [history.tokens], { strategy: 'generate', step: index, signal });
    steps++;
    row.set(out.logits.length === V ? out.logits : out.logits.subarray(0, V));
    const strong = backoff !== null && index < strongUntil;
    const p = strong ? backoff!.proc : proc;
    if (p) p(row, history);
    const cands = p && 'candidates' in p ? ((p as { candidates: Candidates | null }).candidates ?? null) : null;
    const token = await chooseToken(plan, row, cands, history, index, strong ? backoff!.doSample : doSample, strong);
    if (token === 'stop') {
      if (text) {
        const ch = text.flush();
        if (ch.rewindTo !== null) yield { type: 'rewind', length: index, textLength: ch.rewindTo };
        if (ch.delta) yield { type: 'text', text: ch.delta };
      }
      return finish('hook');
    }
    history.push(token);

    // Why (and whether) to stop, or to back off, before the event goes out.
    let stop: StopReason | null = eos.has(token) ? 'eos' : endsWithStop(history.tokens, stops) ? 'stopSequence' : null;
    const hit = text ? text.update(generated()) : false;
    if (stop === null && hit) stop = 'stopString';
    let keep = -1; // generated tokens kept by a back-off
    if (stop === null && monitor) {
      const st = monitor.push(token);
      if (st.triggered) {
        // an alarm during a back-off's stronger span means that back-off failed
        failedInARow = strong ? failedInARow + 1 : 1;
        if (!backoff || failedInARow > backoff.maxRetries) stop = 'repetition';
        else {
          const len = history.length - P;
          // keep the first block of a loop; for a seq-rep alarm drop the last 8 tokens
          keep = st.reason === 'loop' && st.loopStart >= 0 ? Math.min(len, st.loopStart + st.period) : Math.max(0, len - 8);
          // each back-off lasts twice as long as the one before (a model that keeps walking back into
          // loops is kept away longer), and at least the dropped span, so that a back-off that is not
          // a failure always ends past the last alarm
          strongUntil = keep + Math.max((backoff.tokens ?? 48) * 2 ** Math.min(backoffs, 20), len - keep);
        }
      }
    }
    if (stop === null && keep < 0 && history.length - P >= maxNew) stop = 'maxNewTokens';

    const ev: GenerateEvent = { type: 'token', token, index };
    if (text) {
      const ch = stop !== null ? text.flush() : text.next();
      if (ch.rewindTo !== null) yield { type: 'rewind', length: index, textLength: ch.rewindTo };
      ev.text = ch.delta;
    }
    yield ev;
    if (stop !== null) return finish(stop);
    if (keep >= 0) {
      backoffs++;
      yield* rewindForBackoff(keep, history, P, trail, monitor!, text);
    }
  }
  return finish('maxNewTokens');
}

/**
 * The token of one step: the sampler's choice, then `onStep`'s decision (a veto draws again without
 * the vetoed token, a number replaces it); `'stop'` when `onStep` stops.
 */
async function chooseToken(
  plan: StepLoop,
  row: Float32Array,
  cands: Candidates | null,
  history: TokenHistory,
  index: number,
  sampling: boolean,
  strong: boolean,
): Promise<number | 'stop'> {
  const { sampler, rng, V, onStep } = plan;
  for (;;) {
    let token: number;
    try {
      token = sampler ? sampler(row, rng, cands) : sampling ? sample(row, rng, cands) : greedy(row, cands);
    } catch (e) {
      throw atStep(e, index);
    }
    if (sampler) token = checkTokenIds(`generate, step ${index}: sampler result`, [token], V)[0];
    if (row[token] === Infinity) {
      throw new RangeError(`generate, step ${index}: logits[${token}] is +Infinity after the processors: cannot choose a token`);
    }
    if (!onStep) return token;
    const d = await onStep({ step: index, token, logits: row, candidates: cands, tokens: history.tokens, backingOff: strong });
    if (d === undefined || d === true) return token;
    if (d === 'stop') return 'stop';
    if (d === false) {
      row[token] = -Infinity; // veto: choose again without it
      continue;
    }
    if (typeof d === 'number') return checkTokenIds('onStep result', [d], V)[0];
    throw new TypeError(`onStep must return undefined, true, false, a token id or 'stop', got ${String(d)}`);
  }
}

/** Cuts the generated tokens back to `keep`, rewinds the stateful parts and the monitor, and says so. */
function* rewindForBackoff(
  keep: number,
  history: TokenHistory,
  P: number,
  trail: StateTrail,
  monitor: MonitorLike,
  text: TextStream | null,
): Generator<GenerateEvent> {
  history.truncate(P + keep);
  trail.rewind(keep);
  monitor.reset();
  const gen = history.tokens.subarray(P);
  for (let i = 0; i < gen.length; i++) monitor.push(gen[i]);
  if (text) {
    const before = text.length;
    text.update(gen);
    const ch = text.next();
    yield { type: 'rewind', length: keep, textLength: ch.rewindTo ?? before };
    if (ch.delta) yield { type: 'text', text: ch.delta };
  } else {
    yield { type: 'rewind', length: keep };
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
