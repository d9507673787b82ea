/** typicalP's last step: the survivors written into the row (a fill, or a masking pass) and the candidates. */
import type { Candidates } from '../../core/types.js';
import { weightedSelectF32 } from '../../core/weighted-select.js';
import { TypicalScratch, B_M, B_LSE, B_ENT } from './scratch.js';

/** Below this fraction of the row kept, the row is filled and the survivors written back. */
const FILL_FRACTION = 0.125;

/**
 * Writes the survivors `st.list[0..kept)` (positions into the cells) and sets every other cell to f:
 * on the whole row (ids null) a fill and the survivors written back when they are few, else a masking
 * pass against their value range; on candidate ids a pass over the ids, listing the survivors in `out`.
 */
export function writeKept(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  vals: Float32Array,
  kept: number,
  f: number,
  st: TypicalScratch,
  out: Candidates | null,
): void {
  const list = st.list;
  // the survivors are the cells whose value lies in [xL, xR] (the shift grows with |x − c|)
  let xL = Infinity;
  let xR = -Infinity;
  for (let q = 0; q < kept; q++) {
    const v = vals[list[q]];
    if (v < xL) xL = v;
    if (v > xR) xR = v;
  }
  if (ids0 === null && out === null) {
    if (kept < n * FILL_FRACTION) {
      const kv = st.keptV;
      for (let q = 0; q < kept; q++) kv[q] = x[list[q]];
      x.fill(f, 0, n);
      for (let q = 0; q < kept; q++) x[list[q]] = kv[q];
    } else {
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (!(v >= xL && v <= xR)) x[i] = f;
      }
    }
    return;
  }
  let k = 0;
  for (let q = 0; q < n; q++) {
    const v = vals[q];
    const id = ids0 === null ? q : ids0[q];
    if (v >= xL && v <= xR) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else x[id] = f;
  }
  if (out !== null) out.size = k;
}

/**
 * Every finite cell survives (minTokensToKeep ≥ their count); with a finite filter value the
 * -Infinity cells go, except the first `mtk − nF` of them (HF's order puts them after the finite ones).
 */
export function keepAllFinite(
  x: Float32Array,
  ids0: Int32Array | null,
  n: number,
  vals: Float32Array,
  nF: number,
  mtk: number,
  f: number,
  out: Candidates | null,
): void {
  let exempt = mtk - nF;
  let k = 0;
  for (let q = 0; q < n; q++) {
    const id = ids0 === null ? q : ids0[q];
    if (vals[q] !== -Infinity) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else if (exempt > 0) exempt--;
    else x[id] = f;
  }
  if (out !== null) out.size = k;
}

/**
 * Fewer cells than minTokensToKeep reach the mass: the first `mtk` (< nF) of the order by (shift, id)
 * survive: every shift below the mtk-th smallest, and the first ties with it (a unit-weight selection
 * over every finite cell's shift).
 */
export function keepFirst(
  st: TypicalScratch,
  x: Float32Array,
  ids0: Int32Array | null,
  vals: Float32Array,
  n: number,
  nF: number,
  mtk: number,
  f: number,
  out: Candidates | null,
): void {
  if (st.shift.length < nF) st.shift = new Float32Array(Math.max(nF, st.list.length));
  const shift = st.shift;
  const m = st.bounds[B_M];
  const lse = st.bounds[B_LSE];
  const ent = st.bounds[B_ENT];
  let c = 0;
  for (let q = 0; q < n; q++) {
    const v = vals[q];
    if (v !== -Infinity) shift[c++] = Math.abs(Math.fround(Math.fround(v - m) - lse) + ent);
  }
  const so = st.selOut;
  // the mtk-th smallest shift: so[2] cells lie below it; the first mtk − so[2] ties with it survive
  const cut = weightedSelectF32(shift, null, nF, mtk, st.select, so);
  let ties = mtk - so[2];
  let k = 0;
  c = 0;
  for (let q = 0; q < n; q++) {
    const id = ids0 === null ? q : ids0[q];
    if (vals[q] === -Infinity) {
      x[id] = f;
      continue;
    }
    const sh = shift[c++];
    if (sh < cut || (sh === cut && ties-- > 0)) {
      if (out !== null) out.ids[k] = id;
      k++;
    } else x[id] = f;
  }
  if (out !== null) out.size = k;
}
