/**
 * Beam search or contrastive search as a {@link Generation}'s body: the search runs whole, with the
 * limits and options a config set up, then its tokens (and their text) are streamed.
 */
import type { Processor } from '../core/types.js';
import type { GenerationSetup } from '../config/from-generation-config.js';
import { beamSearch } from './beam-search.js';
import { contrastiveSearch } from './contrastive-search.js';
import type { GenerateEvent, GenerateResult, StopReason } from './generation.js';
import type { LanguageModel } from './language-model.js';
import type { TextStream } from './text-stream.js';

/** What the search needs, resolved by `generate` (an explicit option already won over the config). */
export interface SearchPlan {
  strategy: 'beamSearch' | 'contrastiveSearch';
  setup: GenerationSetup;
  maxNewTokens: number;
  processors: Processor | null;
  eos: Set<number>;
  stops: number[][];
  signal: AbortSignal | undefined;
  text: TextStream | null;
}

/** Runs the search the config asks for, then yields its tokens as events. */
export async function* runSearch(model: LanguageModel, promptIds: Int32Array, plan: SearchPlan): AsyncGenerator<GenerateEvent, GenerateResult> {
  const { setup: s, text } = plan;
  const common = {
    maxNewTokens: plan.maxNewTokens,
    eosTokenIds: [...plan.eos],
    ...(plan.processors ? { processors: plan.processors } : {}),
    ...(plan.signal ? { signal: plan.signal } : {}),
  };
  let tokens: Int32Array;
  let stopReason: StopReason;
  let steps: number;
  let sequences: GenerateResult['sequences'];
  if (plan.strategy === 'beamSearch') {
    const r = await beamSearch(model, promptIds, {
      ...common,
      numBeams: s.numBeams,
      lengthPenalty: s.lengthPenalty ?? 1,
      earlyStopping: s.earlyStopping ?? false,
      numReturnSequences: s.numReturnSequences ?? 1,
      numBeamGroups: s.numBeamGroups ?? 1,
      diversityPenalty: s.diversityPenalty ?? 0,
      ...(s.padTokenId !== undefined ? { padTokenId: s.padTokenId } : {}),
    });
    const best = r.sequences[0];
    if (!best) throw new RangeError('generate (beam search): no hypothesis finished: every token was banned');
    tokens = best.tokens;
    stopReason = best.eos ? 'eos' : 'maxNewTokens';
    steps = r.steps;
    sequences = r.sequences;
  } else {
    // HF's default top_k is 50 when the config sets none
    const r = await contrastiveSearch(model, promptIds, { ...common, topK: s.topK ?? 50, penaltyAlpha: s.penaltyAlpha!, stopSequences: plan.stops });
    tokens = r.tokens;
    stopReason = r.stopReason;
    steps = r.steps;
  }
  for (let i = 0; i < tokens.length; i++) {
    const ev: GenerateEvent = { type: 'token', token: tokens[i], index: i };
    if (text) {
      text.update(tokens.subarray(0, i + 1));
      const ch = i === tokens.length - 1 ? text.flush() : text.next();
      if (ch.rewindTo !== null) yield { type: 'rewind', length: i, textLength: ch.rewindTo };
      ev.text = ch.delta;
    }
    yield ev;
  }
  return {
    tokens,
    stopReason,
    steps,
    backoffs: 0,
    strategy: plan.strategy,
    ...(text ? { text: text.finalText() } : {}),
    ...(sequences ? { sequences } : {}),
  };
}
