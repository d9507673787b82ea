// The benchmark cases, as data. Each spec names the library exports it needs (`need`); a spec whose
// names are not exported by the built library is skipped with a note, so the bench always runs.
//
// kind:
//   'proc'     a processor on a dense row: each iteration restores the work row from the pool (a full
//              copy, the "copy" floor) then calls it;
//   'hist'     a history-based processor with a TokenHistory of `ctx` tokens, on one fixed row; each
//              iteration restores only the cells it may change (the history's distinct ids, the
//              "restore" floor) — or nothing when `restore: false` (idempotent processors);
//   'sampler'  a sampler on a pristine row (it does not write the row: no restore);
//   'step'     a whole decoding step: restore the row, run the processors (through `pipeline` when the
//              library exports it, else one by one), then the sampler on the survivors.
// target: the ceiling for the ratio to the max floor at V = 128,256 (ctx 4,096 for history cases).

export const EOS = 2;

export const CONTEXTS = [512, 4096, 32768];
export const MAIN_CTX = 4096;

/** @returns the specs for a group; `sweep` adds the context-length sweep of the history processors. */
export function specs({ sweep = false } = {}) {
  const s = [
    // --- truncation warpers and normalisers (dense)
    { id: 'temperature', label: 'temperature(0.7)', kind: 'proc', need: ['temperature'], make: (l) => l.temperature(0.7) },
    { id: 'topK', label: 'topK(50)', kind: 'proc', need: ['topK'], make: (l) => l.topK(50), target: 1.3 },
    { id: 'topP', label: 'topP(0.9)', kind: 'proc', need: ['topP'], make: (l) => l.topP(0.9), target: 5 },
    { id: 'minP', label: 'minP(0.05)', kind: 'proc', need: ['minP'], make: (l) => l.minP(0.05) },
    { id: 'typicalP', label: 'typicalP(0.9)', kind: 'proc', need: ['typicalP'], make: (l) => l.typicalP(0.9) },
    { id: 'epsilonCutoff', label: 'epsilonCutoff(3e-4)', kind: 'proc', need: ['epsilonCutoff'], make: (l) => l.epsilonCutoff(3e-4) },
    { id: 'etaCutoff', label: 'etaCutoff(2e-3)', kind: 'proc', need: ['etaCutoff'], make: (l) => l.etaCutoff(2e-3) },
    { id: 'topH', label: 'topH(0.4)', kind: 'proc', need: ['topH'], make: (l) => l.topH(0.4) },
    { id: 'logSoftmax', label: 'logSoftmax()', kind: 'proc', need: ['logSoftmax'], make: (l) => l.logSoftmax() },
    { id: 'removeInfNan', label: 'removeInfNan()', kind: 'proc', need: ['removeInfNan'], make: (l) => l.removeInfNan() },
    // --- constraint processors (touch a few cells; dense copy floor)
    { id: 'suppressTokens', label: 'suppressTokens(16 ids)', kind: 'proc', need: ['suppressTokens'], make: (l, v) => l.suppressTokens(ids(v, 16, 11)) },
    { id: 'logitBias', label: 'logitBias(16 ids)', kind: 'proc', need: ['logitBias'], make: (l, v) => l.logitBias(Object.fromEntries(ids(v, 16, 13).map((id, i) => [id, i % 2 ? 5 : -5]))) },
    // --- history-based processors (ctx 4,096)
    { id: 'repetitionPenalty', label: 'repetitionPenalty(1.1)', kind: 'hist', ctx: MAIN_CTX, need: ['repetitionPenalty'], make: (l) => l.repetitionPenalty(1.1), target: 0.1 },
    { id: 'frequencyPenalty', label: 'frequencyPenalty(0.5)', kind: 'hist', ctx: MAIN_CTX, need: ['frequencyPenalty'], make: (l) => l.frequencyPenalty(0.5) },
    { id: 'presencePenalty', label: 'presencePenalty(0.5)', kind: 'hist', ctx: MAIN_CTX, need: ['presencePenalty'], make: (l) => l.presencePenalty(0.5) },
    { id: 'noRepeatNgram', label: 'noRepeatNgram(3)', kind: 'hist', ctx: MAIN_CTX, restore: false, need: ['noRepeatNgram'], make: (l) => l.noRepeatNgram(3), target: 0.02 },
    { id: 'badWords', label: 'badWords(64 seqs)', kind: 'hist', ctx: MAIN_CTX, restore: false, need: ['badWords'], make: (l, v, h) => l.badWords(sequencesEndingLike(h, v, 64), { eosTokenIds: EOS }) },
    { id: 'sequenceBias', label: 'sequenceBias(64 seqs)', kind: 'hist', ctx: MAIN_CTX, need: ['sequenceBias'], make: (l, v, h) => l.sequenceBias(sequencesEndingLike(h, v, 64).map((q, i) => [q, i % 2 ? 1.5 : -1.5])), restoreIds: (v, h) => Int32Array.from(new Set(sequencesEndingLike(h, v, 64).map((q) => q[q.length - 1]))) },
    { id: 'minNewTokens', label: 'minNewTokens(…, 2 eos)', kind: 'hist', ctx: MAIN_CTX, restore: false, need: ['minNewTokens'], make: (l) => l.minNewTokens(MAIN_CTX - 8, 64, [EOS, EOS + 1]) },
    // --- samplers on the raw row
    { id: 'greedy', label: 'greedy', kind: 'sampler', need: ['greedy'], make: (l) => (x) => l.greedy(x) },
    { id: 'sample', label: 'sample, no truncation', kind: 'sampler', need: ['sample', 'createRng'], make: (l) => { const rng = l.createRng(1); return (x) => l.sample(x, rng); }, target: 4 },
    // --- whole steps
    { id: 'sampleT', label: 'temperature(0.8) → sample', kind: 'step', need: ['temperature', 'sample', 'createRng'], procs: (l) => [l.temperature(0.8)], sampler: 'sample' },
    { id: 'sampleTopK', label: 'temperature(0.8) → topK(50) → sample', kind: 'step', need: ['temperature', 'topK', 'sample', 'createRng'], procs: (l) => [l.temperature(0.8), l.topK(50)], sampler: 'sample', target: 1.6 },
    { id: 'sampleTopP', label: 'temperature(0.8) → topP(0.9) → sample', kind: 'step', need: ['temperature', 'topP', 'sample', 'createRng'], procs: (l) => [l.temperature(0.8), l.topP(0.9)], sampler: 'sample', target: 6 },
    { id: 'sampleMinP', label: 'temperature(0.8) → minP(0.05) → sample', kind: 'step', need: ['temperature', 'minP', 'sample', 'createRng'], procs: (l) => [l.temperature(0.8), l.minP(0.05)], sampler: 'sample' },
    { id: 'hfDefault', label: 'HF-default step: repetitionPenalty(1.1) → temperature(0.7) → topK(50) → topP(0.9) → sample', kind: 'step', ctx: MAIN_CTX, need: ['repetitionPenalty', 'temperature', 'topK', 'topP', 'sample', 'createRng'], procs: (l) => [l.repetitionPenalty(1.1), l.temperature(0.7), l.topK(50), l.topP(0.9)], sampler: 'sample', target: 3 },
    { id: 'greedyStep', label: 'greedy step: repetitionPenalty(1.1) → noRepeatNgram(3) → greedy', kind: 'step', ctx: MAIN_CTX, need: ['repetitionPenalty', 'noRepeatNgram', 'greedy'], procs: (l) => [l.repetitionPenalty(1.1), l.noRepeatNgram(3)], sampler: 'greedy' },
    // --- llama.cpp family (docs/llama-cpp.md)
    { id: 'xtc', label: 'xtc(0.1, probability 1: fires every call)', kind: 'proc', need: ['xtc', 'createRng'], make: (l) => l.xtc({ threshold: 0.1, probability: 1, rng: l.createRng(1) }), target: 3 },
    { id: 'topNSigma', label: 'topNSigma(1)', kind: 'proc', need: ['topNSigma'], make: (l) => l.topNSigma(1), target: 3 },
    { id: 'dynamicTemperature', label: 'dynamicTemperature({ temp: 0.8, range: 0.5 })', kind: 'proc', need: ['dynamicTemperature'], make: (l) => l.dynamicTemperature({ temp: 0.8, range: 0.5 }), target: 3 },
    { id: 'topKExact', label: 'topKExact(40)', kind: 'proc', need: ['topKExact'], make: (l) => l.topKExact(40) },
    // what a processor that needs the exact softmax sum cannot go below: one pass with a running max
    // summing the library's fastest exp (expNegF32), and that pass then one scaling pass (what
    // dynamicTemperature does: H needs the sum, the row is then divided by T)
    { id: 'expPass', label: 'reference: Σ expNegF32(x − running max), one pass', kind: 'sampler', need: ['expNegF32'], make: (l) => expPass(l.expNegF32) },
    { id: 'expPassScale', label: 'reference: that pass, then x · (1/T) over the row', kind: 'proc', need: ['expNegF32'], make: (l) => { const sum = expPass(l.expNegF32); return (x) => { sum(x); scaleRow(x, 1 / (1 + sum.last[0] * 1e-9)); }; } },
    // τ 1.5 bits ≈ the rows' mean entropy, so μ settles (the regime Mirostat is made for); with τ = 5 on
    // these rows μ grows without bound and every token is kept (the second row)
    { id: 'mirostatV2', label: 'mirostatV2({ tau: 1.5 })', kind: 'sampler', need: ['mirostatV2', 'createRng'], make: (l) => { const s = l.mirostatV2({ tau: 1.5, rng: l.createRng(1) }); return (x) => s(x); }, target: 3 },
    { id: 'mirostatV2KeepAll', label: 'mirostatV2({ tau: 5 }): μ unbounded, keeps every token', kind: 'sampler', need: ['mirostatV2', 'createRng'], make: (l) => { const s = l.mirostatV2({ tau: 5, rng: l.createRng(1) }); return (x) => s(x); } },
    { id: 'mirostat', label: 'mirostat({ tau: 5, m: 100 })', kind: 'sampler', need: ['mirostat', 'createRng'], make: (l) => { const s = l.mirostat({ tau: 5, rng: l.createRng(1) }); return (x) => s(x); } },
    { id: 'dry', label: 'dry(0.8), penaltyLastN -1 (whole context)', kind: 'hist', ctx: MAIN_CTX, need: ['dry'], make: (l) => l.dry({ multiplier: 0.8, penaltyLastN: -1 }), target: 1 },
    { id: 'dryWindowed', label: 'dry(0.8), penaltyLastN 64', kind: 'hist', ctx: MAIN_CTX, need: ['dry'], make: (l) => l.dry({ multiplier: 0.8, penaltyLastN: 64 }) },
    { id: 'llamaDefault', label: 'llama.cpp-default step: penalties(1.1, last 64) → dry → topKExact(40) → topP(0.95) → minP(0.05) → dynamicTemperature(0.8) → sample', kind: 'step', ctx: MAIN_CTX, need: ['repetitionPenalty', 'dry', 'topKExact', 'topP', 'minP', 'dynamicTemperature', 'sample', 'createRng'], procs: (l) => [l.repetitionPenalty(1.1, { window: 64 }), l.dry({ multiplier: 0.8, penaltyLastN: 64 }), l.topKExact(40), l.topP(0.95), l.minP(0.05), l.dynamicTemperature({ temp: 0.8 })], sampler: 'sample' },
  ];
  if (sweep) {
    for (const ctx of CONTEXTS) {
      if (ctx === MAIN_CTX) continue;
      s.push(
        { id: `repetitionPenalty@${ctx}`, label: 'repetitionPenalty(1.1)', kind: 'hist', ctx, need: ['repetitionPenalty'], make: (l) => l.repetitionPenalty(1.1), sweepOf: 'repetitionPenalty' },
        { id: `noRepeatNgram@${ctx}`, label: 'noRepeatNgram(3)', kind: 'hist', ctx, restore: false, need: ['noRepeatNgram'], make: (l) => l.noRepeatNgram(3), sweepOf: 'noRepeatNgram' },
        { id: `dry@${ctx}`, label: 'dry(0.8), penaltyLastN -1 (whole context)', kind: 'hist', ctx, need: ['dry'], make: (l) => l.dry({ multiplier: 0.8, penaltyLastN: -1 }), sweepOf: 'dry' },
        { id: `dryWindowed@${ctx}`, label: 'dry(0.8), penaltyLastN 64', kind: 'hist', ctx, need: ['dry'], make: (l) => l.dry({ multiplier: 0.8, penaltyLastN: 64 }), sweepOf: 'dryWindowed' },
      );
    }
  }
  return s;
}

/** `n` distinct ids spread over the vocabulary, avoiding the first few (special tokens). */
export function ids(vocab, n, salt) {
  const out = new Set();
  let x = salt;
  while (out.size < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.add(16 + (x % (vocab - 16)));
  }
  return [...out];
}

/**
 * `n` banned sequences of 2–4 tokens; a quarter of them end with a suffix of the history (so they
 * match and ban their last token), the rest are random.
 */
export function sequencesEndingLike(history, vocab, n) {
  const out = [];
  const t = history;
  const r = ids(vocab, 4 * n, 17);
  for (let i = 0; i < n; i++) {
    const len = 2 + (i % 3);
    const q = [];
    if (i % 4 === 0 && t.length >= len) {
      for (let k = len - 1; k > 0; k--) q.push(t[t.length - k]);
      q.push(r[4 * i]);
    } else {
      for (let k = 0; k < len; k++) q.push(r[4 * i + k]);
    }
    out.push(q);
  }
  return out;
}

/**
 * Σ exp(x − running max) over a row with `exp` (rescaled when the max rises): one function, warmed on
 * small rows at once (a loop whose first call is long compiles worse in V8 11; docs/benchmarks.md).
 */
function expPass(exp) {
  // the sum goes to `run.last`, not back as the return value: a double returned from a call that V8
  // does not inline is a new heap number on every call, which the allocation check would name
  const last = new Float64Array(1);
  const run = (x) => {
    let m = -Infinity;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v > m) {
        s *= exp(m - v);
        m = v;
      }
      s += exp(v - m);
    }
    last[0] = s;
    return 0;
  };
  run.last = last;
  const small = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) * 4);
  for (let r = 0; r < 9; r++) run(small);
  return run;
}

/** x · c over the row, warmed the same way. */
function scaleRow(x, c) {
  for (let i = 0; i < x.length; i++) x[i] *= c;
}
scaleRow(new Float32Array(512), 1);
scaleRow(new Float32Array(512), 1);
