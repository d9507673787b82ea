// degen-guard: the public surface. This file only re-exports.

// core
export type { Candidates, HistoryLike, Processor, Rng, Sampler } from './core/types.js';
export { createRng } from './core/rng.js';
export { TokenHistory, TokenCounts, NgramFollowers } from './core/token-history.js';
export { NgramTable, hashTuple } from './core/ngram-table.js';
export { softmaxInto, logSoftmaxInto, logSumExp, entropyOf, maxOf, argmaxOf } from './core/softmax.js';
export { kthLargest } from './core/select.js';

// samplers
export { greedy } from './samplers/greedy.js';
export { sample } from './samplers/sample.js';

// (helpers append their export lines below; sections are tidied before release)
