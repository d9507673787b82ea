/**
 * The kernel both unlikelihood losses share: one row of logits z (V entries), a target y with an MLE
 * weight, and a set of candidate ids, each penalised with −log(1 − p_c). It computes the row's terms
 * and writes their gradient in one read of the row for the max, one for the exponentials (kept in a
 * scratch row) and one write of the gradient — whatever the number of candidates.
 *
 * Stability. 1 − p_c is never formed as a difference with p_c near 1: with m the row's max at index a,
 * e_k = exp(z_k − m), S = Σ e_k, S₋ₐ = Σ_{k≠a} e_k (summed on its own), 1 − p_c = (S − e_c) / S for
 * c ≠ a (no cancellation: e_c ≤ 1 ≤ S − e_c) and S₋ₐ / S for c = a. Only the argmax can have p near 1.
 * The gradient of −log(1 − p_c) is p_c·(e_c − q⁽ᶜ⁾) with q⁽ᶜ⁾ the softmax over the other ids, which is
 * bounded (|·| ≤ 2 p_c) and computed without 1/(1 − p_c) blowing up. When S₋ₐ underflows (the argmax
 * leads by more than ~70 nats), the other ids' distribution is recomputed from their own max.
 * @internal
 */
import { expNeg } from '../core/fast-exp.js';
import type { FloatArray } from './loss-input.js';

/** Below this, S₋ₐ (in units of the max's exponential) is recomputed exactly. */
const UNDERFLOW = 1e-30;

/** What {@link unlikelihoodRow} reports about one row. */
export interface RowTerms {
  /** −log p_y (NaN for a row with NaN, +Infinity or only −Infinity logits). */
  mle: number;
  /** Σ over candidates of −log(1 − p_c) (clamped terms count −log(clampMin)). */
  ul: number;
  /** Candidate terms that hit the clamp. */
  clamped: number;
}

let scratch = new Float64Array(1024);
let fixIdx = new Int32Array(64);
let fixVal = new Float64Array(64);

/**
 * Index of the first largest value of row `z[off .. off + V)`, or −1 when the row has a NaN, a
 * +Infinity or only −Infinity (its log-softmax is then NaN, as in torch).
 */
export function rowArgmax(z: FloatArray, off: number, V: number): number {
  let a = 0;
  let m = z[off];
  if (m !== m) return -1;
  for (let k = 1; k < V; k++) {
    const v = z[off + k];
    if (v > m) {
      m = v;
      a = k;
    } else if (v !== v) return -1;
  }
  return m === Infinity || m === -Infinity ? -1 : a;
}

/** Writes NaN into the row's gradient and reports NaN terms (a NaN row, as torch gives it). */
export function nanRow(grad: FloatArray, off: number, V: number, out: RowTerms): void {
  grad.fill(NaN, off, off + V);
  out.mle = NaN;
  out.ul = NaN;
  out.clamped = 0;
}

/**
 * Terms and gradient of `wMle·(−log p_y) + wUl·Σ_{c ∈ C} −log(1 − p_c)` for the row
 * `z[off .. off + V)`, written into `grad[off .. off + V)` (overwritten, not accumulated).
 *
 * C is `list[0 .. listLen)` without `exclude`, plus `extra[0 .. extraLen)` (the caller keeps C a set).
 * A term with `1 − p_c < clampMin` is the constant `−log(clampMin)` with no gradient (the original
 * code's clamp; pass 0 for none). With `f32Ones`, a term whose probability float32 rounds to exactly 1
 * (the row's max leads the rest by more than float32 can resolve: fround(S) = 1) is clamped as well,
 * as the original's float32 `1 − exp(log p)` is then 0. `a` is {@link rowArgmax} of the row (≥ 0).
 */
export function unlikelihoodRow(
  z: FloatArray,
  off: number,
  V: number,
  a: number,
  y: number,
  wMle: number,
  list: ArrayLike<number>,
  listLen: number,
  exclude: number,
  extra: ArrayLike<number>,
  extraLen: number,
  wUl: number,
  clampMin: number,
  f32Ones: boolean,
  grad: FloatArray,
  out: RowTerms,
): void {
  if (scratch.length < V) scratch = new Float64Array(Math.max(V, scratch.length * 2));
  const e = scratch;
  const m = z[off + a];
  let before = 0;
  for (let k = 0; k < a; k++) {
    const x = expNeg(z[off + k] - m);
    e[k] = x;
    before += x;
  }
  e[a] = 1;
  let after = 0;
  for (let k = a + 1; k < V; k++) {
    const x = expNeg(z[off + k] - m);
    e[k] = x;
    after += x;
  }
  let rest = before + after; // S₋ₐ
  const S = 1 + rest;
  const logS = Math.log(S);
  out.mle = logS - (z[off + y] - m);

  // Candidate terms: R = Σ_{c ≠ a} p_c / (1 − p_c) over unclamped candidates, and whether a is one.
  let ul = 0;
  let clamped = 0;
  let R = 0;
  let aIn = false;
  let logRest = Math.log(rest); // log S₋ₐ
  let exact = false; // S₋ₐ recomputed from the other ids' own max
  let m2 = -Infinity;
  const nTotal = listLen + extraLen;
  for (let i = 0; i < nTotal; i++) {
    const c = i < listLen ? list[i] : extra[i - listLen];
    if (i < listLen && c === exclude) continue;
    if (c === a) {
      if (rest < UNDERFLOW && !exact) {
        // exact S₋ₐ: the other ids relative to their own max m2
        for (let k = 0; k < V; k++) if (k !== a && z[off + k] > m2) m2 = z[off + k];
        let s2 = 0;
        if (m2 > -Infinity) for (let k = 0; k < V; k++) if (k !== a) s2 += Math.exp(z[off + k] - m2);
        logRest = m2 === -Infinity ? -Infinity : m2 - m + Math.log(s2);
        rest = m2 === -Infinity ? 0 : s2; // now in units of exp(m2)
        exact = true;
      }
      const log1m = logRest - logS; // log(1 − p_a)
      if (Math.exp(log1m) < clampMin || (f32Ones && Math.fround(S) === 1)) {
        ul -= Math.log(clampMin);
        clamped++;
      } else {
        ul -= log1m;
        aIn = true;
      }
    } else {
      const ec = e[c];
      if (ec === 0) continue; // p_c = 0: term 0, no gradient
      const sc = S - ec; // S₋c
      if (sc / S < clampMin) {
        ul -= Math.log(clampMin);
        clamped++;
      } else {
        ul -= Math.log(sc) - logS;
        R += ec / sc;
      }
    }
  }
  out.ul = ul;
  out.clamped = clamped;

  // grad_k = e_k·(wMle − wUl·R)/S − wUl·p_a·q_k (a ∈ C, k ≠ a), plus fix-ups at a, y and each candidate.
  // The fixed-up cells are formed in double first (from the unscaled e), then one pass stores every
  // cell and the fixed-up ones are stored over it.
  const pa = 1 / S;
  const c1 = (wMle - wUl * R) / S;
  const c2 = aIn && rest > 0 ? (wUl * pa) / rest : 0; // weight of q_k, in units of e_k (or of exp(z_k − m2))
  const c = exact ? c1 : c1 - c2;
  if (fixIdx.length < nTotal + 2) {
    fixIdx = new Int32Array(2 * (nTotal + 2));
    fixVal = new Float64Array(2 * (nTotal + 2));
  }
  let nFix = 0;
  let yFixed = a === y;
  fixIdx[nFix] = a;
  fixVal[nFix++] = c1 + (aIn ? wUl * pa : 0) - (a === y ? wMle : 0);
  for (let i = 0; i < nTotal; i++) {
    const cand = i < listLen ? list[i] : extra[i - listLen];
    if (cand === a || (i < listLen && cand === exclude)) continue;
    const ec = e[cand];
    if (ec === 0) continue;
    const sc = S - ec;
    if (sc / S < clampMin) continue;
    const base = exact ? ec * c1 - (c2 !== 0 ? c2 * Math.exp(z[off + cand] - m2) : 0) : ec * c;
    fixIdx[nFix] = cand;
    fixVal[nFix++] = base + wUl * (ec / sc) - (cand === y ? wMle : 0);
    if (cand === y) yFixed = true;
  }
  if (!yFixed && wMle !== 0) {
    const ey = e[y];
    fixIdx[nFix] = y;
    fixVal[nFix++] = (exact ? ey * c1 - (c2 !== 0 ? c2 * Math.exp(z[off + y] - m2) : 0) : ey * c) - wMle;
  }
  if (exact && c2 !== 0) {
    // q_k = exp(z_k − m2) / s2 (rare: the argmax leads the rest by more than ~70 nats)
    for (let k = 0; k < V; k++) grad[off + k] = e[k] * c1 - c2 * Math.exp(z[off + k] - m2);
  } else {
    for (let k = 0; k < V; k++) grad[off + k] = e[k] * c;
  }
  for (let f = 0; f < nFix; f++) grad[off + fixIdx[f]] = fixVal[f];
}
