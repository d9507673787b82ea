/** Locally typical sampling (HF TypicalLogitsWarper). */
import { expNeg } from '../core/fast-exp.js';
import type { Candidates, Processor } from '../core/types.js';
import { checkLogits, checkRange, filterValueOption, minTokensOption } from '../core/validate.js';
import type { WarperOptions } from './top-p.js';
import { allCandidates, finiteMax, sortCandidates, warper } from './warp-common.js';

/**
 * Keeps the tokens whose surprisal `−log p` is closest to the entropy H, in order of `|−log p − H|`,
 * until their mass reaches `mass` (the crossing token and every token tied with it kept), and the
 * first `minTokensToKeep` of that order. HF's float32 arithmetic is followed (log-softmax, `nansum`
 * entropy, float32 shifts). A row holding NaN or +Infinity, or all `-Infinity`, is left unchanged.
 *
 * Cost: O(n log n) in the number n of finite cells (the order by `|−log p − H|` is a sort of those);
 * after a truncation (pipeline `sparse`) that is the survivors only.
 *
 * @param mass in (0, 1).
 * @example
 * ```ts
 * typicalP(0.5)(new Float32Array([2, 1, 0, -2])); // [2, -Infinity, -Infinity, -Infinity]
 * ```
 */
export function typicalP(mass: number, options: WarperOptions = {}): Processor {
  checkRange('typicalP mass', mass, 0, 1, 'both');
  const mtk = minTokensOption(options);
  const filter = filterValueOption(options);
  const fm = Math.fround(mass);
  const st = new TypicalScratch();
  const plain = (logits: Float32Array): Float32Array => {
    checkLogits(logits);
    typicalRun(logits, null, logits.length, fm, mtk, filter, st, null);
    return logits;
  };
  const sparse = (logits: Float32Array, cands: Candidates): void => {
    checkLogits(logits);
    if (filter !== -Infinity) {
      typicalRun(logits, null, logits.length, fm, mtk, filter, st, null);
      allCandidates(cands, logits.length);
      return;
    }
    const ids = sortCandidates(cands);
    typicalRun(logits, ids, cands.size, fm, mtk, filter, st, cands);
  };
  return warper(`typicalP(${mass})`, plain, { sparse });
}

class TypicalScratch {
  keys: Float64Array = new Float64Array(0);
  shifted: Float32Array = new Float32Array(0);
  ids: Int32Array = new Int32Array(0);
  bits = new Float32Array(1);
  bitsU = new Uint32Array(this.bits.buffer);
}

function typicalRun(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  fm: number,
  mtk: number,
  f: number,
  st: TypicalScratch,
  out: Candidates | null,
): void {
  const m = finiteMax(x, ids0, n);
  if (!(m > -Infinity)) return;
  const V = x.length;
  if (st.ids.length < n) {
    st.ids = new Int32Array(n);
    st.keys = new Float64Array(n);
    st.shifted = new Float32Array(n);
  }
  // finite cells, in index order
  const ids = st.ids;
  let nF = 0;
  for (let j = 0; j < n; j++) {
    const id = ids0 === null ? j : ids0[j];
    if (x[id] !== -Infinity) ids[nF++] = id;
  }
  // torch: normalized = log_softmax (sum rounded to float32), p = exp(normalized), ent = −nansum(normalized·p)
  let s = 0;
  for (let q = 0; q < nF; q++) s += expNeg(Math.fround(x[ids[q]] - m));
  const lse = Math.fround(Math.log(Math.fround(s)));
  let ent = 0;
  for (let q = 0; q < nF; q++) {
    const nl = Math.fround(Math.fround(x[ids[q]] - m) - lse);
    const p = Math.fround(Math.exp(nl));
    ent += Math.fround(nl * p);
  }
  const ent32 = Math.fround(-ent);
  // order by shifted = |−normalized − ent| (ties by id), via packed float64 keys
  const shifted = st.shifted;
  const keys = st.keys;
  const idBits = Math.max(1, Math.ceil(Math.log2(V + 1)));
  const scale = Math.pow(2, idBits);
  for (let q = 0; q < nF; q++) {
    const id = ids[q];
    const nl = Math.fround(Math.fround(x[id] - m) - lse);
    const sh = Math.fround(Math.abs(-nl - ent32));
    shifted[q] = sh;
    st.bits[0] = sh;
    keys[q] = st.bitsU[0] * scale + q;
  }
  const sorted = keys.subarray(0, nF);
  sorted.sort();
  // last = count(cum < mass), clamped to V − 1; -Infinity cells sit after the finite ones (shift = ∞)
  let acc = 0;
  let count = 0;
  for (let r = 0; r < nF; r++) {
    const q = sorted[r] % scale;
    acc += Math.fround(expNeg(Math.fround(x[ids[q]] - m)) / s);
    if (Math.fround(acc) < fm) count++;
    else break;
  }
  if (count >= nF && nF < V) {
    // the cut lands on an infinite shift: nothing is removed
    return;
  }
  const last = Math.min(count, nF - 1);
  const limit = shifted[sorted[last] % scale];
  let kept = 0;
  const oids = out ? out.ids : null;
  for (let r = 0; r < nF; r++) {
    const q = sorted[r] % scale;
    const id = ids[q];
    if (shifted[q] > limit && r >= mtk) x[id] = f;
    else if (oids) oids[kept++] = id;
    else kept++;
  }
  if (f !== -Infinity || ids0 === null) {
    // -Infinity cells have an infinite shift: removed (visible only with a finite filter value),
    // except the first ones in HF's order when minTokensToKeep exceeds the finite cells
    let exempt = mtk - nF;
    for (let i = 0; i < V; i++) {
      if (x[i] === -Infinity && (ids0 === null || f !== -Infinity)) {
        if (exempt > 0) exempt--;
        else x[i] = f;
      }
    }
  }
  if (out) out.size = kept;
}
