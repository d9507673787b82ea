// The strategies of the browser page, written once for the page and for the Node side of its test:
// `dg` is degen-guard's module (the built dist/index.js), `lm` a LanguageModel (transformersJsModel).

/** The strategies the page offers, with their settings spelled as HF generate() arguments. */
export const STRATEGIES = {
  greedy: { label: 'greedy', settings: 'do_sample=False' },
  beam: { label: 'beam search', settings: 'num_beams=4 (the best beam is known at the end)' },
  contrastive: { label: 'contrastive search', settings: 'penalty_alpha=0.6, top_k=5' },
  'top-p': { label: 'top-p sampling', settings: 'do_sample=True, top_p=0.9, top_k=0' },
  monitor: {
    label: 'monitor-guarded greedy',
    settings: 'greedy; when a block of tokens repeats: rewind it, then sample 48 tokens (twice as many at each later loop) with no_repeat_ngram_size=3, top_p=0.9',
  },
};

/**
 * Runs `strategy` on `promptIds` and resolves to `{ tokens, backoffs, stopReason }` (the continuation
 * as a plain array). `onEvent({ type: 'token', token, index } | { type: 'rewind', length })` sees the
 * stream: every token as it is chosen for the streaming strategies, the final tokens at the end for
 * beam and contrastive search.
 */
export async function runStrategy(dg, lm, promptIds, { strategy, maxNewTokens, seed, signal }, onEvent = () => {}) {
  const common = { maxNewTokens, seed, signal };
  if (strategy === 'greedy' || strategy === 'top-p' || strategy === 'monitor') {
    const options =
      strategy === 'greedy'
        ? common
        : strategy === 'top-p'
          ? { ...common, doSample: true, processors: [dg.topP(0.9)] }
          : { ...common, monitor: new dg.RepetitionMonitor(), onRepetition: { processors: [dg.noRepeatNgram(3), dg.topP(0.9)], doSample: true } };
    const run = dg.generate(lm, promptIds, options);
    for await (const ev of run) await onEvent(ev);
    const r = await run;
    return { tokens: Array.from(r.tokens), backoffs: r.backoffs, stopReason: r.stopReason };
  }
  let tokens;
  if (strategy === 'beam') tokens = (await dg.beamSearch(lm, promptIds, { numBeams: 4, maxNewTokens, signal })).sequences[0].tokens;
  else if (strategy === 'contrastive') tokens = (await dg.contrastiveSearch(lm, promptIds, { topK: 5, penaltyAlpha: 0.6, maxNewTokens, signal })).tokens;
  else throw new RangeError(`strategy must be one of ${Object.keys(STRATEGIES).join(', ')}, got ${JSON.stringify(strategy)}`);
  for (let i = 0; i < tokens.length; i++) await onEvent({ type: 'token', token: tokens[i], index: i });
  return { tokens: Array.from(tokens), backoffs: 0, stopReason: tokens.length < maxNewTokens ? 'eos' : 'maxNewTokens' };
}
