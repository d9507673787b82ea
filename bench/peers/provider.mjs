// transformers.js (@huggingface/transformers) as a bench provider: the same specs, run through its
// processors, its tensor ops and its sampler logic, the way its generate() or a user calls them.
//
// What it lacks is composed from what it has, as a user would, and every such case says so in `note`:
//   * TopKLogitsWarper and TopPLogitsWarper have no _call (calling them throws): top-k is its ONNX
//     `topk` op plus a mask; top-p is `topk` over the whole vocabulary (a sort) + `softmax` + a cumsum cut.
//   * generate() ignores top_p: its MultinomialSampler draws from the top_k values (all V when top_k is
//     unset, i.e. a full topk every step); the HF-default step composes top-p on those 50.
//   * GreedySampler and MultinomialSampler are not exported: their few lines (max() of utils/maths,
//     topk + softmax + _weightedIndex) are reproduced below as they are in logits_sampler.js.

import * as T from '@huggingface/transformers';

import { EOS, MAIN_CTX, ids, sequencesEndingLike } from '../cases/specs.mjs';

export const PEER = 'transformers.js';

/** GreedySampler.sample: `max(logits.data)[1]` (utils/maths.js max, same loop). */
function argmax(arr) {
  let max = arr[0];
  let indexOfMax = 0;
  for (let i = 1; i < arr.length; ++i) {
    if (arr[i] > max) {
      max = arr[i];
      indexOfMax = i;
    }
  }
  return indexOfMax;
}

/** utils/random.js _weightedIndexWith, with a seeded T.random.Random. */
function weightedIndex(rnd, weights) {
  let sum = 0;
  for (let i = 0; i < weights.length; ++i) sum += weights[i];
  let x = rnd.random() * sum;
  for (let i = 0; i < weights.length; ++i) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** MultinomialSampler.sample: topk(logits, k) (k = V when top_k is unset), softmax, weighted draw. */
async function multinomial(x, k, rnd) {
  const [v, i] = await T.topk(x, k);
  const p = T.softmax(v.data);
  return Number(i.data[weightedIndex(rnd, p)]);
}

/** Top-p composed on sorted values: keep the smallest prefix with mass ≥ p; returns its length. */
function nucleusLength(probs, p) {
  let c = 0;
  let k = 0;
  while (k < probs.length && c < p) c += probs[k++];
  return Math.max(1, k);
}

async function topKMask(x, k) {
  const [v] = await T.topk(x, k);
  const th = v.data[v.data.length - 1];
  const d = x.data;
  for (let i = 0; i < d.length; i++) if (d[i] < th) d[i] = -Infinity;
}

async function topPMask(x, p) {
  const [v] = await T.topk(x, x.dims.at(-1));
  const probs = T.softmax(v.data);
  const th = v.data[nucleusLength(probs, p) - 1];
  const d = x.data;
  for (let i = 0; i < d.length; i++) if (d[i] < th) d[i] = -Infinity;
}

const NO_IDS = [[]];

export function peerProvider() {
  return {
    name: 'peer',
    wrap: (x) => new T.Tensor('float32', x, [1, x.length]),
    history: (tokens) => [Array.from(tokens, (t) => BigInt(t))],
    make(spec, env) {
      const V = env.vocab;
      const rnd = new T.random.Random(7);
      const tok = spec.ctx ? env.tokens(spec.ctx) : null;
      const proc = (p) => ({ fn: (x, h) => { p(h ?? NO_IDS, x); } });
      switch (spec.sweepOf ?? spec.id) {
        case 'temperature':
          return proc(new T.TemperatureLogitsWarper(0.7));
        case 'topK':
          return { async: true, note: 'composed: topk op + mask (TopKLogitsWarper throws)', fn: (x) => topKMask(x, 50) };
        case 'topP':
          return { async: true, note: 'composed: topk op over V (a sort) + softmax + cumsum cut (TopPLogitsWarper throws)', fn: (x) => topPMask(x, 0.9) };
        case 'suppressTokens':
          return proc(new T.SuppressTokensLogitsProcessor(ids(V, 16, 11)));
        case 'repetitionPenalty':
          return proc(new T.RepetitionPenaltyLogitsProcessor(1.1));
        case 'noRepeatNgram':
          return proc(new T.NoRepeatNGramLogitsProcessor(3));
        case 'badWords':
          return proc(new T.NoBadWordsLogitsProcessor(sequencesEndingLike(tok, V, 64), EOS));
        case 'minNewTokens':
          return proc(new T.MinNewTokensLengthLogitsProcessor(MAIN_CTX - 8, 64, [EOS, EOS + 1]));
        case 'greedy':
          return { note: "GreedySampler's max() loop", fn: (x) => argmax(x.data) };
        case 'sample':
          return { async: true, note: 'MultinomialSampler, top_k unset: topk over V (a sort) + softmax', fn: (x) => multinomial(x, V, rnd) };
        case 'sampleT': {
          const t = new T.TemperatureLogitsWarper(0.8);
          return { async: true, note: 'TemperatureLogitsWarper + MultinomialSampler (topk over V)', fn: (x) => { t(NO_IDS, x); return multinomial(x, V, rnd); } };
        }
        case 'sampleTopK': {
          const t = new T.TemperatureLogitsWarper(0.8);
          return { async: true, note: 'its generate() path: TemperatureLogitsWarper + MultinomialSampler(top_k 50)', fn: (x) => { t(NO_IDS, x); return multinomial(x, 50, rnd); } };
        }
        case 'sampleTopP': {
          const t = new T.TemperatureLogitsWarper(0.8);
          return {
            async: true,
            note: 'composed (generate() ignores top_p): temperature + topk over V + softmax + cut + draw',
            fn: async (x) => {
              t(NO_IDS, x);
              const [v, i] = await T.topk(x, V);
              const probs = T.softmax(v.data);
              return Number(i.data[weightedIndex(rnd, probs.subarray(0, nucleusLength(probs, 0.9)))]);
            },
          };
        }
        case 'hfDefault': {
          const r = new T.RepetitionPenaltyLogitsProcessor(1.1);
          const t = new T.TemperatureLogitsWarper(0.7);
          return {
            async: true,
            note: 'repetition penalty + temperature + MultinomialSampler(top_k 50); top-p composed on the 50 (generate() ignores top_p)',
            fn: async (x, h) => {
              r(h, x);
              t(h, x);
              const [v, i] = await T.topk(x, 50);
              const probs = T.softmax(v.data);
              return Number(i.data[weightedIndex(rnd, probs.subarray(0, nucleusLength(probs, 0.9)))]);
            },
          };
        }
        case 'greedyStep': {
          const r = new T.RepetitionPenaltyLogitsProcessor(1.1);
          const n = new T.NoRepeatNGramLogitsProcessor(3);
          return { note: "processors + GreedySampler's max()", fn: (x, h) => { r(h, x); n(h, x); return argmax(x.data); } };
        }
        default:
          return { skip: `not in ${PEER}` };
      }
    },
  };
}
