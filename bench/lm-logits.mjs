// The seeded generator of LM-shaped benchmark inputs: logits rows and token histories.
//
// Nothing here depends on the library, so the peer benchmark (bench/peers/) feeds transformers.js
// exactly the same rows. Same (vocab, seed) → the same numbers on every machine.
//
// A logits row is built as a real model's looks (see docs/benchmarks.md, "Inputs"):
//
//   logit[id] = s · prior[id] + σ · z[id] + boost[id]
//
// * prior[id] = −ln(1 + rank[id]): a Zipf unigram prior, rank a fixed seeded permutation of the ids
//   (frequent tokens are scattered over the id range, as in a BPE vocabulary);
// * s, the row's sharpness, log-uniform in [1.0, 1.7]: how much the prior dominates;
// * z standard normal noise, σ log-uniform in [0.4, 1.2]: reorders the tail row by row;
// * boost: a handful of "contextual" tokens (1 + a geometric count, mean 4) drawn from the top ranks of
//   the prior and lifted above the row's prior maximum by a margin m · N(1, 0.5), where the margin m
//   is log-uniform in [0.5, 12]. Large m gives a confident step (top-1 ≈ 1), small m a flat one.
//
// The mix gives, per row, top-1 probabilities from ≈ 0.05 to ≈ 1, entropies from ≈ 0 to ≈ 7 nats and
// 0.9-nuclei from 1 to tens of thousands of tokens, with medians in the range measured on open models;
// `rowStats` reports them and the bench prints them beside the timings.

/** A small seeded PRNG (splitmix32 seeding, xorshift128+ style mix; 32-bit floats are plenty here). */
export function createStream(seed) {
  let x = seed >>> 0 || 1;
  const sm = () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1;
  // xoshiro128**
  const u32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  let spare = NaN;
  return {
    u32,
    /** uniform in [0, 1) */
    next: () => u32() / 4294967296,
    /** integer in [0, n) */
    int: (n) => Math.floor((u32() / 4294967296) * n),
    /** standard normal (Box–Muller, the spare kept) */
    normal() {
      if (spare === spare) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0;
      while (u === 0) u = u32() / 4294967296;
      const v = u32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    logUniform(lo, hi) {
      return Math.exp(Math.log(lo) + (u32() / 4294967296) * (Math.log(hi) - Math.log(lo)));
    },
  };
}

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

/** The fixed Zipf prior of a vocabulary: ranks is a seeded permutation, idOfRank its inverse. */
export function zipfPrior(vocab, seed = 1) {
  const rnd = createStream(seed ^ 0x5eed);
  const idOfRank = new Int32Array(vocab);
  for (let i = 0; i < vocab; i++) idOfRank[i] = i;
  for (let i = vocab - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    const t = idOfRank[i];
    idOfRank[i] = idOfRank[j];
    idOfRank[j] = t;
  }
  const prior = new Float32Array(vocab);
  for (let r = 0; r < vocab; r++) prior[idOfRank[r]] = -Math.log(1 + r);
  return { vocab, idOfRank, prior };
}

/**
 * `rows` LM-shaped logits rows of length `vocab` (one Float32Array each), reproducible from `seed`.
 * @example
 * const rows = lmLogits(128256, 8, { seed: 1 });
 */
export function lmLogits(vocab, rows, { seed = 1 } = {}) {
  const { idOfRank, prior } = zipfPrior(vocab, seed);
  const rnd = createStream(seed * 7919 + vocab);
  const out = [];
  for (let r = 0; r < rows; r++) {
    const s = rnd.logUniform(1.0, 1.7);
    const sigma = rnd.logUniform(0.4, 1.2);
    const x = new Float32Array(vocab);
    let top = -Infinity;
    for (let i = 0; i < vocab; i++) {
      const v = s * prior[i] + sigma * rnd.normal();
      x[i] = v;
      if (v > top) top = v;
    }
    const margin = rnd.logUniform(0.5, 12);
    let boosts = 1;
    while (boosts < 32 && rnd.next() < 0.75) boosts++;
    const pool = Math.min(vocab, 5000);
    for (let b = 0; b < boosts; b++) {
      const id = idOfRank[rnd.int(pool)];
      // the first boost is the row's favourite; the others trail it by a random amount
      const lift = margin * (1 + 0.5 * rnd.normal()) - (b === 0 ? 0 : rnd.logUniform(0.3, 6));
      x[id] = Math.max(x[id], top + lift);
    }
    // real logits live around 0..30: shift so the max sits near 20 (probabilities are unchanged)
    let m = -Infinity;
    for (let i = 0; i < vocab; i++) if (x[i] > m) m = x[i];
    const shift = 20 - m;
    for (let i = 0; i < vocab; i++) x[i] += shift;
    out.push(x);
  }
  return out;
}

/**
 * A token stream shaped like text: ids drawn from the Zipf prior (exponent 1.0 over ranks), with
 * local repetition (with probability 0.08 a span of 2–24 tokens is copied from the last 2,000),
 * so that n-grams recur as they do in real contexts.
 */
export function lmTokens(length, vocab, { seed = 1 } = {}) {
  const { idOfRank } = zipfPrior(vocab, seed);
  const rnd = createStream(seed * 104729 + length);
  // inverse CDF over ranks of p(r) ∝ (r+1)^−1.1, on a table of the first `cap` ranks
  const cap = Math.min(vocab, 65536);
  const cdf = new Float64Array(cap);
  let acc = 0;
  for (let r = 0; r < cap; r++) {
    acc += Math.pow(r + 1, -1.0);
    cdf[r] = acc;
  }
  const draw = () => {
    const u = rnd.next() * acc;
    let lo = 0, hi = cap - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return idOfRank[lo];
  };
  const out = new Int32Array(length);
  let i = 0;
  while (i < length) {
    if (i > 32 && rnd.next() < 0.08) {
      const span = 2 + rnd.int(23);
      const from = i - 1 - rnd.int(Math.min(i - 1, 2000));
      for (let k = 0; k < span && i < length; k++) out[i++] = out[from + k];
    } else out[i++] = draw();
  }
  return out;
}

/** Per-row statistics of a set of rows: entropy (nats), top-1 probability, 0.9-nucleus size. */
export function rowStats(rows) {
  const ent = [], top1 = [], nucleus = [];
  for (const x of rows) {
    const n = x.length;
    let m = -Infinity;
    for (let i = 0; i < n; i++) if (x[i] > m) m = x[i];
    const p = new Float64Array(n);
    let z = 0;
    for (let i = 0; i < n; i++) z += (p[i] = Math.exp(x[i] - m));
    let h = 0;
    for (let i = 0; i < n; i++) {
      const q = p[i] / z;
      p[i] = q;
      if (q > 0) h -= q * Math.log(q);
    }
    const sorted = Float64Array.from(p).sort().reverse();
    let c = 0, k = 0;
    while (k < n && c < 0.9) c += sorted[k++];
    ent.push(h);
    top1.push(sorted[0]);
    nucleus.push(k);
  }
  return { entropy: summary(ent), top1: summary(top1), nucleus90: summary(nucleus) };
}

function summary(v) {
  const s = [...v].sort((a, b) => a - b);
  const q = (f) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1) + 0.5))];
  return { min: s[0], p10: q(0.1), median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}
