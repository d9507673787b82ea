/**
 * Mirostat 1.0 and 2.0 (Basu et al. 2020, arXiv 2007.14966), llama.cpp semantics: stateful samplers
 * that aim the surprise −log₂ p of the chosen tokens at τ by learning a threshold μ from each pick.
 */
import { gatherCells } from '../core/exp-blocks.js';
import { expTotal, expTotalResult, indicesAtLeastAfterTotal, type ExpTotal } from '../core/exp-total.js';
import { expNegF32 } from '../core/fast-exp.js';
import { checkOptionKeys } from '../core/option-keys.js';
import { createRng, ownNextInto } from '../core/rng.js';
import { warmOnce } from '../core/warm-up.js';
import { checkRng, OwnedRng } from '../core/owned-rng.js';
import { kth as kthOut, kthLargestTies } from '../core/select.js';
import { TopEntries } from '../core/top-entries.js';
import type { Candidates, Rng, Sampler, Stateful } from '../core/types.js';
import { checkFinite, checkInteger, checkLogits } from '../core/validate.js';
import { growF32, growI32, sortCandidates } from '../processors/warp-common.js';
import { sample } from './sample.js';

const f = Math.fround;

/** Options of {@link mirostatV2} (llama.cpp `mirostat_tau`, `mirostat_eta`). */
export interface MirostatV2Options {
  /** Target surprise in bits (`mirostat_tau`), default 5. */
  tau?: number;
  /** Learning rate of μ (`mirostat_eta`), default 0.1. */
  eta?: number;
  /**
   * A generator owned by the sampler (its state is part of the sampler's state). Without it the
   * sampler draws from the generator each call passes (`generate` passes its own).
   */
  rng?: Rng;
}

/** Options of {@link mirostat} (Mirostat 1.0). */
export interface MirostatOptions extends MirostatV2Options {
  /** Tokens used to estimate the Zipf exponent (llama.cpp fixes 100), integer ≥ 2. Default 100. */
  m?: number;
  /** The model's vocabulary size N in the k formula (default: the row length). */
  vocabSize?: number;
}

/** A Mirostat sampler: a {@link Sampler} with its learnt μ, and {@link Stateful}. */
export interface MirostatSampler extends Sampler, Stateful<MirostatSampler> {
  /** The current threshold μ (bits); 2τ after construction and `reset()`. */
  readonly mu: number;
  /** How many tokens the last call kept (its effective top-k); 0 before the first call. */
  readonly kept: number;
  readonly label: string;
}

const V2_KEYS = ['tau', 'eta', 'rng'];
const V1_KEYS = ['tau', 'eta', 'm', 'vocabSize', 'rng'];

interface Common {
  tau: number;
  eta: number;
  own: OwnedRng | null;
}

function common(where: string, options: MirostatV2Options): Common {
  const tau = checkFinite(`${where} tau`, options.tau ?? 5);
  const eta = checkFinite(`${where} eta`, options.eta ?? 0.1);
  const own = options.rng === undefined ? null : new OwnedRng(checkRng(`${where} rng`, options.rng));
  return { tau, eta, own };
}

/**
 * Mirostat 2.0 (llama.cpp `mirostat_v2`). Each call: softmax of the row (or of `cands`); keep the
 * tokens with surprise `−log₂ p ≤ μ` (that is `p ≥ 2^−μ`: no sort needed), or the most probable token
 * when none; draw one of them (inverse CDF over the kept ids in id order: one `rng.next()`); then
 * `μ ← μ − η·(−log₂ p̂ − τ)` with p̂ the chosen token's probability renormalised over the kept ones
 * (float32, as llama.cpp). μ starts at 2τ. O(V), no allocation once its buffers are grown.
 *
 * Draws per call: exactly 1, from `options.rng` when given, else from the call's `rng` (a TypeError
 * when neither). Throws like `sample` on a row holding NaN or +Infinity or all `-Infinity`.
 *
 * @example
 * ```ts
 * import { mirostatV2, createRng } from 'degen-guard';
 * const pick = mirostatV2({ tau: 3, eta: 0.1, rng: createRng(1) });
 * pick.mu;  // → 6
 * pick(Float32Array.from([4, 3, 2, 1, 0]));
 * // the top token was drawn (surprise 0.65 bits < τ): μ rises
 * pick.mu;  // → 6.236
 * ```
 */
export function mirostatV2(options: MirostatV2Options = {}): MirostatSampler {
  checkOptionKeys('mirostatV2 options', options, V2_KEYS);
  const c = common('mirostatV2', options);
  return makeV2(c.tau, c.eta, c.own, f(2 * f(c.tau)));
}

function makeV2(tau: number, eta: number, own: OwnedRng | null, mu0: number): MirostatSampler {
  const tauF = f(tau);
  const etaF = f(eta);
  // μ in a cell: a number written to a closure variable is boxed anew on every write (16 B a call)
  const mu = Float64Array.of(mu0);
  const tot = expTotalResult();
  const cutIn = new Float64Array(1);
  const num = new Float64Array(6);
  const keep: Candidates = { ids: new Int32Array(0), size: 0 };
  let w: Float64Array = new Float64Array(0);
  const label = `mirostatV2(${tau}, ${eta})`;

  const pick = (logits: Float32Array, rng?: Rng, cands?: Candidates | null): number => {
    checkLogits(logits);
    const r = drawFrom(own, rng, 'mirostatV2');
    const ids = cands ? sortCandidates(cands) : null;
    const n = cands ? cands.size : logits.length;
    keep.ids = growI32(keep.ids, n);
    const out = keep.ids;
    // the softmax denominator in one pass (the kernel `sample` uses), then one pass over the cut
    expTotal(logits, ids, n, tot);
    const m = tot.max;
    if (!(m > -Infinity)) checkTotal(logits, ids, n, tot); // NaN or -Infinity: it throws
    const S = tot.sum;
    const cut = m + Math.log(S) - mu[0] * Math.LN2 - 1e-6;
    const sure = cut + 2e-6 + 1e-7 * Math.abs(cut);
    let k = 0;
    let kept = 0;
    if (ids === null) {
      cutIn[0] = cut;
      k = indicesAtLeastAfterTotal(logits, n, cutIn, out);
    } else {
      for (let j = 0; j < n; j++) if (logits[ids[j]] >= cut) out[k++] = ids[j];
    }
    w = growF64(w, k + 1); // + 1: the lone max when no cell is kept
    const listed = k;
    let first = -1;
    k = 0;
    for (let j = 0; j < listed; j++) {
      const id = out[j];
      const v = logits[id];
      if (first < 0 && v === m) first = id;
      const e = expNegF32(v - m);
      // next to the cut, decided on −log₂ p in float32, as llama.cpp
      if (v < sure && f(-Math.log2(f(e / S))) > mu[0]) continue;
      out[k] = id;
      w[k++] = e;
      kept += e;
    }
    if (k === 0) {
      out[k] = first >= 0 ? first : firstMax(logits, ids, n, m);
      w[k++] = 1;
      kept = 1;
    }
    keep.size = k;
    num[N_MAX] = m;
    num[N_KEPT] = kept;
    // the drawn cell's weight is its w entry (exp(x − m), or 1 for the lone max): no exp call here,
    // where V8 may have spent its inlining budget and would box the exp's argument
    const at = drawKept(r, w, k, num);
    num[N_DRAWN] = w[at];
    learnMu(num, mu, tauF, etaF);
    return out[at];
  };
  return stateful(pick, label, () => mu[0], (v) => (mu[0] = v), () => keep.size, own, () => makeV2(tau, eta, own ? own.clone() : null, mu[0]), f(2 * tauF));
}

/**
 * Mirostat 1.0 (llama.cpp `mirostat`). Each call: softmax of the row (or of `cands`); estimate the
 * Zipf exponent ŝ from the `m` most probable tokens (`ŝ = Σ tᵢbᵢ / Σ tᵢ²`, `tᵢ = ln((i+2)/(i+1))`,
 * `bᵢ = ln(pᵢ/pᵢ₊₁)`); `k = ((ŝ−1)·2^μ / (1 − N^(1−ŝ)))^(1/ŝ)` with N = `vocabSize`; keep the
 * `clamp(trunc(k), 1, n)` most probable tokens (ties: lower id first; NaN k keeps 1, where llama.cpp
 * is undefined); draw one with {@link sample}; update μ as {@link mirostatV2}. O(V + m log m + k).
 *
 * @example
 * ```ts
 * import { mirostat, createRng } from 'degen-guard';
 * const pick = mirostat({ tau: 5, eta: 0.1, m: 100, rng: createRng(1) });
 * const id = pick(Float32Array.from([4, 3, 2, 1, 0]));
 * id >= 0 && id < 5;  // → true
 * ```
 */
export function mirostat(options: MirostatOptions = {}): MirostatSampler {
  checkOptionKeys('mirostat options', options, V1_KEYS);
  const c = common('mirostat', options);
  const m = checkInteger('mirostat m', options.m ?? 100, 2);
  const vocab = options.vocabSize === undefined ? 0 : checkInteger('mirostat vocabSize', options.vocabSize, 1);
  return makeV1(c.tau, c.eta, m, vocab, c.own, f(2 * f(c.tau)));
}

function makeV1(tau: number, eta: number, mTop: number, vocab: number, own: OwnedRng | null, mu0: number): MirostatSampler {
  const tauF = f(tau);
  const etaF = f(eta);
  // μ in a cell: a number written to a closure variable is boxed anew on every write (16 B a call)
  const mu = Float64Array.of(mu0);
  const tot = expTotalResult();
  const num = new Float64Array(6);
  const top = new TopEntries(mTop);
  const keep: Candidates = { ids: new Int32Array(0), size: 0 };
  const sel = { buf: new Float32Array(0) };
  const label = `mirostat(${tau}, ${eta})`;

  const pick = (logits: Float32Array, rng?: Rng, cands?: Candidates | null): number => {
    checkLogits(logits);
    if (vocab > 0 && logits.length > vocab) throw new RangeError(`mirostat: logits has length ${logits.length}, more than vocabSize = ${vocab}`);
    const r = drawFrom(own, rng, 'mirostat');
    const ids = cands ? sortCandidates(cands) : null;
    const n = cands ? cands.size : logits.length;
    expTotal(logits, ids, n, tot);
    const m = tot.max;
    if (!(m > -Infinity)) checkTotal(logits, ids, n, tot); // NaN or -Infinity: it throws
    const Sf = f(tot.sum);
    top.reset(mTop);
    const negInf = offerFinite(top, logits, ids, n);
    const finite = n - negInf;
    top.sorted();
    const tv = top.values;
    // Zipf exponent over the top min(m, n) tokens, float32 as llama.cpp
    num[N_MAX] = m;
    num[N_SUM] = Sf;
    zipfExponent(tv, Math.min(mTop - 1, finite - 1), num);
    const sHat = num[N_SHAT];
    const eps = f(sHat - 1);
    const N = vocab > 0 ? vocab : logits.length;
    const kf = f(Math.pow(f(f(eps * f(Math.pow(2, mu[0]))) / f(1 - f(Math.pow(N, -eps)))), f(1 / sHat)));
    let k = kf !== kf ? 1 : kf >= finite ? finite : Math.max(1, Math.trunc(kf));
    keep.ids = growI32(keep.ids, n);
    num[N_MAX] = m;
    keep.size = k = keepLargest(logits, ids, n, k, top, keep.ids, sel, num);
    // every finite cell of the row kept: the dense draw is the same, id for id, without copying the ids
    const id = ids === null && k === finite ? sample(logits, r) : sample(logits, r, keep);
    drawnWeight(logits, id, num);
    learnMu(num, mu, tauF, etaF);
    return id;
  };
  return stateful(pick, label, () => mu[0], (v) => (mu[0] = v), () => keep.size, own, () => makeV1(tau, eta, mTop, vocab, own ? own.clone() : null, mu[0]), f(2 * tauF));
}

/**
 * Slots of the samplers' `num` (numbers handed to and from the helpers below in a Float64Array: a
 * double handed to or returned from a call that V8 does not inline is a new heap number on every
 * call): the row's max, the kept cells' weight, the float32 softmax denominator, mirostat's ŝ, the
 * generator's draw, the drawn cell's weight.
 */
const N_MAX = 0;
const N_KEPT = 1;
const N_SUM = 2;
const N_SHAT = 3;
const N_DRAW = 4;
const N_DRAWN = 5;

/**
 * Mirostat's kept set: the k largest cells of `ids[0..n)` (null: the row), ties at the k-th value
 * by lowest position, their ids ascending in `out`; from the sorted top entries when k ≤ their count,
 * else by a selection over the cells (`sel.buf` its scratch, grown here). Their weight
 * Σ exp(x − `num[N_MAX]`) into `num[N_KEPT]`. Returns the count. A function of its own, as
 * {@link zipfExponent}.
 */
function keepLargest(logits: Float32Array, ids: Int32Array | null, n: number, k: number, top: TopEntries, out: Int32Array, sel: { buf: Float32Array }, num: Float64Array): number {
  const m = num[N_MAX];
  let kept = 0;
  if (k <= top.size) {
    for (let i = 0; i < k; i++) out[i] = top.indexes[i];
    sortIdsAsc(out, k);
    for (let i = 0; i < k; i++) kept += expNegF32(logits[out[i]] - m);
    num[N_KEPT] = kept;
    return k;
  }
  // the cells in position order (gathered on candidates): the loops read one array by position
  const v = ids === null ? logits : gatherCells(logits, ids, n);
  sel.buf = growF32(sel.buf, n);
  let ties = kthLargestTies(v, k, sel.buf, n);
  const kth = kthOut[0];
  let c = 0;
  for (let j = 0; j < n; j++) {
    const y = v[j];
    if (y > kth || (y === kth && ties-- > 0)) {
      out[c++] = j;
      kept += expNegF32(y - m);
    }
  }
  if (ids !== null) for (let q = 0; q < c; q++) out[q] = ids[out[q]];
  num[N_KEPT] = kept;
  return c;
}

/**
 * Mirostat's Zipf exponent ŝ (float32 as llama.cpp) from the sorted top values `tv[0..last]`: the
 * least-squares slope of log(p_i / p_{i+1}) against log((i + 2) / (i + 1)), p = exp(v − max) / S with
 * the max and S in `num`; into `num[N_SHAT]`. A function of its own: inside the sampler's closure V8
 * ran out of inlining budget and called the exp, boxing its result.
 */
function zipfExponent(tv: Float64Array, last: number, num: Float64Array): void {
  const m = num[N_MAX];
  const Sf = num[N_SUM];
  let sumTB = 0;
  let sumTT = 0;
  let pi = f(f(expNegF32(tv[0] - m)) / Sf);
  for (let i = 0; i < last; i++) {
    const pn = f(f(expNegF32(tv[i + 1] - m)) / Sf);
    const t = f(Math.log(f(f(i + 2) / f(i + 1))));
    const b = f(Math.log(f(pi / pn)));
    sumTB = f(sumTB + f(t * b));
    sumTT = f(sumTT + f(t * t));
    pi = pn;
  }
  num[N_SHAT] = f(sumTB / sumTT);
}

/**
 * Inverse CDF over the kept weights `w[0..k)` in id order (their total in `num[N_KEPT]`) with one
 * `rng.next()`: the position drawn (stepping back over trailing weights of 0). A function of its own:
 * in the sampler's large closure V8 did not inline `next()`, and the number it returned was a new heap
 * number on every call.
 */
function drawKept(r: Rng, w: Float64Array, k: number, num: Float64Array): number {
  let u: number;
  // the library's generator writes its draw (in [0, 1) by construction) into num, as in sample
  if (ownNextInto(r, num, N_DRAW)) u = num[N_DRAW] * num[N_KEPT];
  else {
    const x = r.next();
    if (!(x >= 0 && x < 1)) throw new RangeError(`rng.next() must return a number in [0, 1), got ${String(x)}`);
    u = x * num[N_KEPT];
  }
  let acc = 0;
  let pickAt = k - 1;
  for (let j = 0; j < k; j++) {
    acc += w[j];
    if (u < acc) {
      pickAt = j;
      break;
    }
  }
  while (pickAt > 0 && !(w[pickAt] > 0)) pickAt--;
  return pickAt;
}

/**
 * The feedback step, float32 as llama.cpp: p = the drawn cell's probability among the kept cells
 * (`num[N_DRAWN]` / `num[N_KEPT]`, weights exp(x − max)), μ ← μ − η·(−log₂ p − τ). The numbers come in
 * `num`: a double handed to a call that V8 does not inline is a new heap number on every call.
 */
function learnMu(num: Float64Array, mu: Float64Array, tauF: number, etaF: number): void {
  const p = f(num[N_DRAWN] / num[N_KEPT]);
  const err = f(f(-Math.log2(p)) - tauF);
  mu[0] = f(mu[0] - f(etaF * err));
}

/** `num[N_DRAWN]` = the weight exp(x − `num[N_MAX]`) of cell `id` (its exp called here, with nothing boxed). */
function drawnWeight(logits: Float32Array, id: number, num: Float64Array): void {
  num[N_DRAWN] = expNegF32(logits[id] - num[N_MAX]);
}

/**
 * Offers the finite cells ids[0..n) (null: x[0..n)) to `top`, as (value, id); returns how many cells
 * are -Infinity. The threshold is read again only after an entry is taken (read per cell, the getter
 * boxed its number: 2 MB of garbage a call at V = 128,256).
 */
function offerFinite(top: TopEntries, x: Float32Array, ids: Int32Array | null, n: number): number {
  let negInf = 0;
  let thr = top.threshold;
  if (ids === null) {
    for (let j = 0; j < n; j++) {
      const v = x[j];
      if (v >= thr) {
        if (v !== -Infinity) {
          top.offer(v, j);
          thr = top.threshold;
        } else negInf++;
      } else if (v === -Infinity) negInf++;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const v = x[ids[j]];
      if (v >= thr) {
        if (v !== -Infinity) {
          top.offer(v, ids[j]);
          thr = top.threshold;
        } else negInf++;
      } else if (v === -Infinity) negInf++;
    }
  }
  return negInf;
}

/** The generator of one call: the owned one, else the call's; a TypeError when neither. */
function drawFrom(own: OwnedRng | null, rng: Rng | undefined, name: string): Rng {
  if (own) return own.rng;
  if (rng == null || typeof rng.next !== 'function') {
    throw new TypeError(`${name} needs a generator: pass { rng } at construction or call it with one`);
  }
  return rng;
}

/**
 * Throws as `sample` does on NaN / +Infinity / all -Infinity, after expTotal. Called only when the max
 * is not finite: a call that is not inlined boxes the number it returns (16 B a call).
 */
function checkTotal(x: Float32Array, ids: Int32Array | null, n: number, tot: ExpTotal): void {
  const m = tot.max;
  if (m !== m) {
    for (let j = 0; j < n; j++) {
      const id = ids === null ? j : ids[j];
      if (!(x[id] < Infinity) && x[id] !== -Infinity) {
        throw new RangeError(`logits[${id}] is ${x[id]}: cannot sample from a row holding NaN or +Infinity`);
      }
    }
  }
  if (m === -Infinity) throw new RangeError('logits are all -Infinity: every token is banned, nothing to sample');
}

/** The first id holding the max `m`. */
function firstMax(x: Float32Array, ids: Int32Array | null, n: number, m: number): number {
  for (let j = 0; j < n; j++) {
    const id = ids === null ? j : ids[j];
    if (x[id] === m) return id;
  }
  return ids === null ? 0 : ids[0];
}

/** A Float64Array of at least n cells: `buf` itself when large enough, else a new one. */
function growF64(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(Math.max(n, buf.length * 2));
}

/** Insertion sort of a few ids (k ≤ m). */
function sortIdsAsc(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Attaches the Stateful methods and `mu` to a sampler function. */
function stateful(
  pick: Sampler,
  label: string,
  getMu: () => number,
  setMu: (v: number) => void,
  getKept: () => number,
  own: OwnedRng | null,
  clone: () => MirostatSampler,
  mu0: number,
): MirostatSampler {
  const s = Object.assign(pick, {
    label,
    reset: () => {
      setMu(mu0);
      own?.reset();
    },
    getState: () => {
      const st = new Float64Array(own ? 5 : 1);
      st[0] = getMu();
      if (own) st.set(own.rng.getState(), 1);
      return st;
    },
    setState: (state: ArrayLike<number>) => {
      const want = own ? 5 : 1;
      if (state == null || state.length !== want) {
        throw new TypeError(`${label} state must hold ${want} numbers (from getState()), got ${state == null ? state : `length ${state.length}`}`);
      }
      const v = state[0];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${label} state[0] (μ) must be finite, got ${v}`);
      if (own) own.rng.setState(Array.from(state).slice(1));
      setMu(f(v));
    },
    clone,
  });
  Object.defineProperty(s, 'mu', { get: getMu, enumerable: true });
  Object.defineProperty(s, 'kept', { get: getKept, enumerable: true });
  // the dense path, once per kind and process, through a clone (src/core/warm-up.ts says why)
  const rng = createRng(0);
  // and once with μ = 30 (k beyond the top m: the selection branch of mirostat, every cell kept by v2)
  warmOnce(label.replace(/-?\d[\d.]*(e[-+]?\d+)?/gi, ''), [
    (row) => clone()(row, rng),
    (row) => {
      const c = clone();
      const st = c.getState();
      st[0] = 30;
      c.setState(st);
      c(row, rng);
    },
  ]);
  return s as unknown as MirostatSampler;
}
