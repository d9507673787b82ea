/**
 * A sweep over every public factory and function that takes an options object: an unknown key
 * throws a TypeError naming it (and suggesting the valid name); bad numbers at construction and bad
 * rows or histories at the call throw a RangeError/TypeError naming the argument.
 */
import { describe, expect, it } from 'vitest';
import * as dg from '../../src/index.js';
import type { Processor } from '../../src/index.js';

type Call = (options: Record<string, unknown> | undefined) => unknown;

/** Required options plus the swept ones (a non-object is passed through, to be refused). */
const withBase = (base: Record<string, unknown>, o: unknown) => (o == null || typeof o === 'object' ? { ...base, ...(o as object) } : o) as never;

/** Everything exported that accepts an options object: how to call it with `options`, and one valid key. */
const WITH_OPTIONS: Record<string, { call: Call; valid: Record<string, unknown> }> = {
  topK: { call: (o) => dg.topK(2, o), valid: { minTokensToKeep: 2 } },
  topP: { call: (o) => dg.topP(0.5, o), valid: { minTokensToKeep: 2 } },
  minP: { call: (o) => dg.minP(0.1, o), valid: { filterValue: -5 } },
  typicalP: { call: (o) => dg.typicalP(0.5, o), valid: { minTokensToKeep: 3 } },
  epsilonCutoff: { call: (o) => dg.epsilonCutoff(0.01, o), valid: { minTokensToKeep: 1 } },
  etaCutoff: { call: (o) => dg.etaCutoff(0.01, o), valid: { filterValue: -1 } },
  topH: { call: (o) => dg.topH(0.5, o), valid: { filterValue: -1 } },
  repetitionPenalty: { call: (o) => dg.repetitionPenalty(1.2, o), valid: { window: 4, promptIgnoreLength: 1 } },
  encoderRepetitionPenalty: { call: (o) => dg.encoderRepetitionPenalty(1.2, [1], o), valid: { vocabSize: 8 } },
  frequencyPenalty: { call: (o) => dg.frequencyPenalty(0.5, o), valid: { window: 4 } },
  presencePenalty: { call: (o) => dg.presencePenalty(0.5, o), valid: { promptIgnoreLength: 2 } },
  encoderNoRepeatNgram: { call: (o) => dg.encoderNoRepeatNgram(2, [1, 2], o), valid: { vocabSize: 8 } },
  badWords: { call: (o) => dg.badWords([[1]], o), valid: { vocabSize: 8, eosTokenIds: [2] } },
  sequenceBias: { call: (o) => dg.sequenceBias([[[1], 0.5]], o), valid: { vocabSize: 8 } },
  logitBias: { call: (o) => dg.logitBias({ 1: 0.5 }, o), valid: { vocabSize: 8 } },
  minLength: { call: (o) => dg.minLength(3, 0, o), valid: { vocabSize: 8 } },
  minNewTokens: { call: (o) => dg.minNewTokens(1, 3, 0, o), valid: { vocabSize: 8 } },
  suppressTokens: { call: (o) => dg.suppressTokens([1], o), valid: { vocabSize: 8 } },
  suppressTokensAtBegin: { call: (o) => dg.suppressTokensAtBegin([1], 2, o), valid: { vocabSize: 8 } },
  forcedBos: { call: (o) => dg.forcedBos(1, o), valid: { vocabSize: 8 } },
  forcedEos: { call: (o) => dg.forcedEos(5, 0, o), valid: { vocabSize: 8 } },
  exponentialDecayLengthPenalty: { call: (o) => dg.exponentialDecayLengthPenalty([2, 1.5], 0, 1, o), valid: { vocabSize: 8 } },
  prefixAllowedTokens: { call: (o) => dg.prefixAllowedTokens(() => [1], o), valid: { vocabSize: 8 } },
  seqRep: { call: (o) => dg.seqRep([1, 2, 1], 1, o as never), valid: { padId: 0 } },
  meanSeqRep: { call: (o) => dg.meanSeqRep([[1, 2, 1]], 1, o as never), valid: { tooShort: 'error' } },
  uniqSeq: { call: (o) => dg.uniqSeq([[1, 2, 1]], o as never), valid: { padId: 2 } },
  ngramRepeatMask: { call: (o) => dg.ngramRepeatMask([1, 2, 1, 2], 2, o as never), valid: { ulCompat: true } },
  tokenRepCounts: { call: (o) => dg.tokenRepCounts([1, 2, 1], [1, 2, 2], o as never), valid: { window: 2 } },
  rep: { call: (o) => dg.rep([1, 2, 1], [1, 2, 2], o as never), valid: { window: 2 } },
  wrep: { call: (o) => dg.wrep([1, 2, 1], [1, 2, 2], o as never), valid: { blockSize: 2 } },
  repNCounts: { call: (o) => dg.repNCounts('a b a b', 2, o as never), valid: { simctgCompat: true } },
  repN: { call: (o) => dg.repN(['a b a b'], 2, o as never), valid: { simctgCompat: true } },
  simctgMetrics: { call: (o) => dg.simctgMetrics(['a b c d e'], o as never), valid: { simctgCompat: true } },
  diversity: { call: (o) => dg.diversity(['a b c d e'], o as never), valid: { simctgCompat: false } },
  distinct: { call: (o) => dg.distinct([1, 2, 1], 1, o as never), valid: { distinctMode: 'pooled' } },
  CorpusMetrics: { call: (o) => new dg.CorpusMetrics(o as never), valid: { maxN: 2, padId: 0 } },
  RepetitionMonitor: { call: (o) => new dg.RepetitionMonitor(o as never), valid: { minRepeats: 2 } },
  collapseRepeats: { call: (o) => dg.collapseRepeats('a a a', o as never), valid: { minRepeats: 2 } },
  unlikelihoodLoss: { call: (o) => dg.unlikelihoodLoss(new Float32Array(6), [0, 1], withBase({ vocabSize: 3 }, o)), valid: { alpha: 1, padId: 2 } },
  sequenceUnlikelihoodLoss: { call: (o) => dg.sequenceUnlikelihoodLoss(new Float32Array(12), [1, 2, 1, 2], withBase({ vocabSize: 3, n: 2 }, o)), valid: { reduction: 'sum' } },
  simctgContrastiveLoss: { call: (o) => dg.simctgContrastiveLoss(Float32Array.from([1, 0, 0, 1]), withBase({ hiddenSize: 2 }, o)), valid: { margin: 0.5 } },
  dry: { call: (o) => dg.dry(withBase({ multiplier: 1 }, o)), valid: { allowedLength: 3, penaltyLastN: 8 } },
  drySequenceBreakers: { call: (o) => dg.drySequenceBreakers(['x'], withBase({ vocabSize: 2, decode: () => 'x', encode: () => [0] }, o)), valid: { vocabSize: 2 } },
  xtc: { call: (o) => dg.xtc(withBase({ probability: 0.5 }, o)), valid: { minTokensToKeep: 2, threshold: 0.2 } },
  dynamicTemperature: { call: (o) => dg.dynamicTemperature(o as never), valid: { range: 0.5 } },
  mirostat: { call: (o) => dg.mirostat(o as never), valid: { vocabSize: 8 } },
  mirostatV2: { call: (o) => dg.mirostatV2(o as never), valid: { tau: 3 } },
};

/** Exports that take no options object (nothing to sweep for unknown keys). */
const NO_OPTIONS = [
  'createRng', 'hashTuple', 'softmaxInto', 'logSoftmaxInto', 'logSumExp', 'entropyOf', 'maxOf', 'argmaxOf',
  'expNeg', 'expNegF32', 'kthLargest', 'weightedSelect', 'weightedSelectF32', 'weightedSelectExpF32',
  'temperature', 'logSoftmax', 'removeInfNan', 'noRepeatNgram', 'pipeline', 'greedy', 'sample',
  'splitWords', 'splitWordsAndPunct', 'roundHalfEven', 'repeatCounts',
  'TokenHistory', 'TokenCounts', 'NgramFollowers', 'ngramFollowers', 'NgramTable', 'NgramCounter', 'WeightedSelectScratch',
  'ModelOutputError', 'ModelCallError', 'Generation',
  'topNSigma', 'topKExact', 'llamaSamplerOrder', 'StateTrail', 'resetStateful', 'statefulParts', 'isStateful',
];
/** Decoding and config translation: their options are checked and tested with them. */
const ELSEWHERE = ['fromGenerationConfig', 'generate', 'beamSearch', 'contrastiveSearch', 'contrastiveRanking', 'fromLlamaCppParams', 'fromOpenAIParams'];

describe('option keys: every public options object', () => {
  it('the sweep covers every exported function and class', () => {
    const exported = Object.entries(dg).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const known = new Set([...Object.keys(WITH_OPTIONS), ...NO_OPTIONS, ...ELSEWHERE]);
    expect(exported.filter((k) => !known.has(k))).toEqual([]);
  });
  for (const [name, { call, valid }] of Object.entries(WITH_OPTIONS)) {
    it(`${name}: valid keys pass, an unknown key throws a TypeError naming it`, () => {
      expect(() => call(valid)).not.toThrow();
      expect(() => call(undefined)).not.toThrow();
      expect(() => call({ ...valid, bogusOption: 1 })).toThrow(TypeError);
      expect(() => call({ ...valid, bogusOption: 1 })).toThrow(/unknown option "bogusOption"/);
      const key = Object.keys(valid)[0];
      // a one-letter slip and the snake_case spelling both point to the valid name
      const slip = key.slice(0, -1);
      expect(() => call({ [slip]: valid[key] })).toThrow(new RegExp(`did you mean "${key}"`));
      const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      if (snake !== key) expect(() => call({ [snake]: valid[key] })).toThrow(new RegExp(`did you mean "${key}"`));
      expect(() => call(42 as never)).toThrow(TypeError);
    });
  }
  it('observed: topP(0.5, { minTokenToKeep: 3 }) and new RepetitionMonitor({ minRepeat: 2 })', () => {
    expect(() => dg.topP(0.5, { minTokenToKeep: 3 } as never)).toThrow(/unknown option "minTokenToKeep" \(did you mean "minTokensToKeep"\?\)/);
    expect(() => new dg.RepetitionMonitor({ minRepeat: 2 } as never)).toThrow(/did you mean "minRepeats"/);
  });
  it('badWords spells its eos option eosTokenIds, as every other processor', () => {
    const x = new Float32Array(4);
    dg.badWords([[0], [3]], { eosTokenIds: 0 })(x, []);
    expect(Array.from(x)).toEqual([0, 0, 0, -Infinity]); // the single-id entry equal to eos is dropped
    expect(() => dg.badWords([[0]], { eosTokenIds: 0, eosTokenId: 0 })).toThrow(/not both/);
  });
});

/** Processors built with valid arguments: how they are called, and whether they read the history's ids. */
const PROCESSORS: Record<string, { make: () => Processor; history: 'ids' | 'length' | 'none' }> = {
  temperature: { make: () => dg.temperature(0.7), history: 'none' },
  topK: { make: () => dg.topK(2), history: 'none' },
  topP: { make: () => dg.topP(0.5), history: 'none' },
  minP: { make: () => dg.minP(0.1), history: 'none' },
  typicalP: { make: () => dg.typicalP(0.5), history: 'none' },
  epsilonCutoff: { make: () => dg.epsilonCutoff(0.01), history: 'none' },
  etaCutoff: { make: () => dg.etaCutoff(0.01), history: 'none' },
  topH: { make: () => dg.topH(0.5), history: 'none' },
  logSoftmax: { make: () => dg.logSoftmax(), history: 'none' },
  removeInfNan: { make: () => dg.removeInfNan(), history: 'none' },
  repetitionPenalty: { make: () => dg.repetitionPenalty(1.2), history: 'ids' },
  encoderRepetitionPenalty: { make: () => dg.encoderRepetitionPenalty(1.2, [1]), history: 'none' },
  frequencyPenalty: { make: () => dg.frequencyPenalty(0.5), history: 'ids' },
  presencePenalty: { make: () => dg.presencePenalty(0.5), history: 'ids' },
  noRepeatNgram: { make: () => dg.noRepeatNgram(2), history: 'ids' },
  encoderNoRepeatNgram: { make: () => dg.encoderNoRepeatNgram(2, [1, 2]), history: 'ids' },
  badWords: { make: () => dg.badWords([[1, 2]]), history: 'ids' },
  sequenceBias: { make: () => dg.sequenceBias([[[1, 2], 0.5]]), history: 'ids' },
  logitBias: { make: () => dg.logitBias({ 1: 0.5 }), history: 'none' },
  minLength: { make: () => dg.minLength(3, 0), history: 'length' },
  minNewTokens: { make: () => dg.minNewTokens(1, 3, 0), history: 'length' },
  suppressTokens: { make: () => dg.suppressTokens([1]), history: 'none' },
  suppressTokensAtBegin: { make: () => dg.suppressTokensAtBegin([1], 2), history: 'length' },
  forcedBos: { make: () => dg.forcedBos(1), history: 'length' },
  forcedEos: { make: () => dg.forcedEos(5, 0), history: 'length' },
  exponentialDecayLengthPenalty: { make: () => dg.exponentialDecayLengthPenalty([2, 1.5], 0, 1), history: 'length' },
  prefixAllowedTokens: { make: () => dg.prefixAllowedTokens(() => [1]), history: 'length' },
  pipeline: { make: () => dg.pipeline(dg.repetitionPenalty(1.2), dg.topK(2)), history: 'ids' },
  dry: { make: () => dg.dry({ multiplier: 1 }), history: 'ids' },
  xtc: { make: () => dg.xtc({ probability: 1, rng: dg.createRng(1) }), history: 'none' },
  topNSigma: { make: () => dg.topNSigma(1), history: 'none' },
  topKExact: { make: () => dg.topKExact(2), history: 'none' },
  dynamicTemperature: { make: () => dg.dynamicTemperature({ temp: 0.8, range: 0.5 }), history: 'none' },
};

describe('bad rows and histories at the call', () => {
  it('the table lists every processor factory of WITH_OPTIONS and NO_OPTIONS', () => {
    const notProcessors = new Set(['unlikelihoodLoss', 'sequenceUnlikelihoodLoss', 'simctgContrastiveLoss', 'seqRep', 'meanSeqRep', 'uniqSeq', 'ngramRepeatMask', 'tokenRepCounts', 'rep', 'wrep',
      'repNCounts', 'repN', 'simctgMetrics', 'diversity', 'distinct', 'CorpusMetrics', 'RepetitionMonitor', 'collapseRepeats',
      'drySequenceBreakers', 'mirostat', 'mirostatV2']);
    for (const k of Object.keys(WITH_OPTIONS)) if (!notProcessors.has(k)) expect(PROCESSORS[k], k).toBeDefined();
  });
  for (const [name, { make, history }] of Object.entries(PROCESSORS)) {
    it(`${name}: a non-Float32Array or empty row throws naming logits`, () => {
      const ids = [1, 2, 1];
      expect(() => make()([1, 2, 3, 4] as unknown as Float32Array, ids)).toThrow(TypeError);
      expect(() => make()([1, 2, 3, 4] as unknown as Float32Array, ids)).toThrow(/logits/);
      expect(() => make()(new Float32Array(0), ids)).toThrow(RangeError);
      expect(() => make()(new Float32Array(0), ids)).toThrow(/logits/);
      expect(() => make()(new Float64Array(4) as unknown as Float32Array, ids)).toThrow(/logits/);
    });
    if (history !== 'none') {
      it(`${name}: a missing history throws a TypeError naming the history`, () => {
        expect(() => make()(new Float32Array(8))).toThrow(TypeError);
        expect(() => make()(new Float32Array(8))).toThrow(/history/);
      });
    }
    if (history === 'ids') {
      it(`${name}: a history holding NaN, -1, 1.5 or 2^31 throws a RangeError naming it`, () => {
        for (const bad of [NaN, -1, 1.5, 2 ** 31]) {
          expect(() => make()(new Float32Array(8), [1, 2, bad])).toThrow(RangeError);
          expect(() => make()(new Float32Array(8), [1, 2, bad])).toThrow(/history\[2\]/);
        }
      });
    }
  }
  it('a processor bound to a vocabulary refuses a row of another length, naming logits', () => {
    const bound: Processor[] = [
      dg.minLength(3, 0, { vocabSize: 8 }),
      dg.suppressTokens([1], { vocabSize: 8 }),
      dg.badWords([[1]], { vocabSize: 8 }),
      dg.sequenceBias([[[1], 1]], { vocabSize: 8 }),
      dg.forcedBos(1, { vocabSize: 8 }),
      dg.encoderRepetitionPenalty(1.2, [1], { vocabSize: 8 }),
      dg.exponentialDecayLengthPenalty([2, 1.5], 0, 1, { vocabSize: 8 }),
    ];
    for (const p of bound) {
      expect(() => p(new Float32Array(9), [1])).toThrow(RangeError);
      expect(() => p(new Float32Array(9), [1])).toThrow(/logits has length 9/);
    }
  });
});

describe('bad numbers at construction name the argument', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['temperature(NaN)', () => dg.temperature(NaN), /temperature/],
    ['temperature(Infinity)', () => dg.temperature(Infinity), /temperature/],
    ['topK(NaN)', () => dg.topK(NaN), /k/],
    ['topK(Infinity)', () => dg.topK(Infinity), /k/],
    ['topP(NaN)', () => dg.topP(NaN), /topP p/],
    ['minP(Infinity)', () => dg.minP(Infinity), /p/],
    ['typicalP(NaN)', () => dg.typicalP(NaN), /mass|typical/],
    ['epsilonCutoff(NaN)', () => dg.epsilonCutoff(NaN), /epsilon/],
    ['etaCutoff(Infinity)', () => dg.etaCutoff(Infinity), /epsilon|eta/],
    ['topH(NaN)', () => dg.topH(NaN), /h|topH/],
    ['topP minTokensToKeep NaN', () => dg.topP(0.5, { minTokensToKeep: NaN }), /minTokensToKeep/],
    ['topK filterValue NaN', () => dg.topK(2, { filterValue: NaN }), /filterValue/],
    ['repetitionPenalty(NaN)', () => dg.repetitionPenalty(NaN), /penalty/],
    ['repetitionPenalty(Infinity)', () => dg.repetitionPenalty(Infinity), /penalty/],
    ['repetitionPenalty window NaN', () => dg.repetitionPenalty(1.2, { window: NaN }), /window/],
    ['frequencyPenalty(NaN)', () => dg.frequencyPenalty(NaN), /frequencyPenalty/],
    ['presencePenalty(Infinity)', () => dg.presencePenalty(Infinity), /presencePenalty/],
    ['frequencyPenalty promptIgnoreLength -1', () => dg.frequencyPenalty(1, { promptIgnoreLength: -1 }), /promptIgnoreLength/],
    ['noRepeatNgram(NaN)', () => dg.noRepeatNgram(NaN), /n/],
    ['minLength(Infinity)', () => dg.minLength(Infinity, 0), /minLength/],
    ['minLength eos NaN', () => dg.minLength(3, NaN), /eosTokenIds/],
    ['minNewTokens(NaN)', () => dg.minNewTokens(0, NaN, 0), /minNewTokens/],
    ['suppressTokens([NaN])', () => dg.suppressTokens([NaN]), /ids|suppress/],
    ['forcedBos(NaN)', () => dg.forcedBos(NaN), /bos/i],
    ['forcedEos(Infinity)', () => dg.forcedEos(Infinity, 0), /maxLength/],
    ['exponentialDecayLengthPenalty factor NaN', () => dg.exponentialDecayLengthPenalty([2, NaN], 0, 1), /factor/],
    ['sequenceBias bias NaN', () => dg.sequenceBias([[[1], NaN]]), /bias|sequenceBias/],
    ['logitBias bias Infinity', () => dg.logitBias({ 1: Infinity }), /bias|logitBias/],
    ['badWords([[NaN]])', () => dg.badWords([[NaN]]), /sequences/],
    ['vocabSize NaN', () => dg.minLength(3, 0, { vocabSize: NaN }), /vocabSize/],
    ['createRng(NaN)', () => dg.createRng(NaN), /seed/],
    ['dry multiplier NaN', () => dg.dry({ multiplier: NaN }), /multiplier/],
    ['dry penaltyLastN -2', () => dg.dry({ multiplier: 1, penaltyLastN: -2 }), /penaltyLastN/],
    ['xtc probability NaN', () => dg.xtc({ probability: NaN }), /probability/],
    ['topNSigma(NaN)', () => dg.topNSigma(NaN), /topNSigma n/],
    ['dynamicTemperature temp Infinity', () => dg.dynamicTemperature({ temp: Infinity }), /temp/],
    ['mirostat tau NaN', () => dg.mirostat({ tau: NaN }), /tau/],
    ['mirostatV2 eta Infinity', () => dg.mirostatV2({ eta: Infinity }), /eta/],
    ['createRng(Infinity)', () => dg.createRng(Infinity), /seed/],
    ['RepetitionMonitor n NaN', () => new dg.RepetitionMonitor({ n: NaN }), /\bn\b/],
    ['CorpusMetrics maxN Infinity', () => new dg.CorpusMetrics({ maxN: Infinity }), /maxN/],
    ['seqRep n NaN', () => dg.seqRep([1, 2], NaN), /\bn\b/],
    ['distinct n Infinity', () => dg.distinct([1, 2], Infinity), /\bn\b/],
  ];
  for (const [label, fn, names] of cases) {
    it(label, () => {
      let caught: unknown = null;
      try {
        fn();
      } catch (e) {
        caught = e;
      }
      expect(caught instanceof RangeError || caught instanceof TypeError, String(caught)).toBe(true);
      expect((caught as Error).message).toMatch(names);
    });
  }
});
