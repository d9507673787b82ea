/**
 * Weighted selection without sorting: the smallest key whose cumulative weight (the total weight of
 * the keys ≤ it) reaches a target, in expected O(n) (quickselect with a three-way partition that sums
 * the weights of each side as it goes). With unit weights it is a plain k-th smallest.
 *
 * Used by typicalP to find the cut of `|−log p − H|` where the mass crosses `mass`, and meant for any
 * "cumulative mass reaches p" threshold (top-p) that would otherwise sort the vocabulary.
 */

import { EXP_NEG_FLOOR, F32_INV_STEP, F32_STEP, F32_TABLE, ROUND, expPolyF32 } from './fast-exp.js';

/**
 * The numbers that cross the calls of the selection kernels: they are loops V8 does not inline, and a
 * double handed to or returned from such a call is a new heap number on every call. A kernel reads its
 * target (and {@link weightedSelectExpF32}'s shift) here and leaves the selected key here; the
 * exported functions, small enough for V8 to inline into their callers, take and return numbers.
 */
export const selectNum = new Float64Array(4);
/** {@link selectNum}'s slots: the target (in), the selected key (out), the shift (in), the weight below a bucket (finishBucket, in). */
export const SEL_TARGET = 0;
export const SEL_KEY = 1;
const SEL_SHIFT = 2;
export const SEL_BELOW = 3;

/** Ranges at or below this size are finished by insertion sort. */
const SMALL = 16;

/** State of the pivot generator (xorshift32): only the running time depends on it, never the result. */
let seed = 0x9e3779b9;

/**
 * Finds the smallest key `v` of `keys[0..n)` such that the total weight of the keys `≤ v` is
 * `≥ target`, permuting `keys` and `weights` (together) so that on return `[0, c0)` holds the keys
 * `< v`, `[c0, c1)` the keys equal to `v` and `[c1, n)` the larger ones.
 *
 * `out` (length ≥ 4) receives `[W(< v), W(≤ v), c0, c1]`, the weights summed in double in an
 * unspecified order (each within `n · 2⁻⁵³` relative of the exact sum: callers that need a decision
 * exact to the last bit should check their margin against that). Returns NaN when the total weight is
 * below `target` (then `out = [total, total, n, n]`). When rounding makes a range that was known to hold
 * the crossing come out short, its largest key is returned with the sums as computed.
 *
 * Keys must not be NaN; weights must be ≥ 0. `weights = null` means every weight is 1 (then with
 * `target = k` the result is the k-th smallest key).
 *
 * @example
 * ```ts
 * import { weightedSelect } from 'degen-guard';
 *
 * const keys = Float64Array.from([3, 1, 2, 5]);
 * const w = Float64Array.from([0.1, 0.4, 0.3, 0.2]);
 * const out = new Float64Array(4);
 * // W(≤ 1) = 0.4 < 0.6 ≤ W(≤ 2) = 0.7
 * weightedSelect(keys, w, 4, 0.6, out); // → 2
 * // [W(< 2), W(≤ 2), count(< 2), count(≤ 2)]
 * out; // → [0.4, 0.7, 1, 2]
 * ```
 */
export function weightedSelect(
  keys: Float64Array,
  weights: Float64Array | null,
  n: number,
  target: number,
  out: Float64Array,
): number {
  selectNum[SEL_TARGET] = target;
  selectIn(keys, weights, n, out, false);
  return selectNum[SEL_KEY];
}

/** {@link weightedSelect} with the target read from `selectNum[SEL_TARGET]` and the key left in `selectNum[SEL_KEY]`. */
export function weightedSelectInto(keys: Float64Array, weights: Float64Array | null, n: number, out: Float64Array): void {
  selectIn(keys, weights, n, out, false);
}

/**
 * weightedSelect (target in `selectNum[SEL_TARGET]`, key into `selectNum[SEL_KEY]`); `capped`: the
 * caller knows the crossing lies in these keys (return the largest if short).
 */
function selectIn(keys: Float64Array, weights: Float64Array | null, n: number, out: Float64Array, capped: boolean): void {
  const target = selectNum[SEL_TARGET];
  let lo = 0;
  let hi = n;
  let below = 0;
  while (hi - lo > SMALL) {
    const pv = keys[pivotAt(keys, lo, hi)];
    // three-way partition of [lo, hi): [lo, lt) < pv, [lt, i) == pv, [gt, hi) > pv
    let lt = lo;
    let i = lo;
    let gt = hi;
    let sL = 0;
    let sE = 0;
    if (weights === null) {
      while (i < gt) {
        const k = keys[i];
        if (k < pv) {
          keys[i] = keys[lt];
          keys[lt] = k;
          lt++;
          i++;
        } else if (k > pv) {
          gt--;
          keys[i] = keys[gt];
          keys[gt] = k;
        } else i++;
      }
      sL = lt - lo;
      sE = gt - lt;
    } else {
      while (i < gt) {
        const k = keys[i];
        const w = weights[i];
        if (k < pv) {
          sL += w;
          keys[i] = keys[lt];
          weights[i] = weights[lt];
          keys[lt] = k;
          weights[lt] = w;
          lt++;
          i++;
        } else if (k > pv) {
          gt--;
          keys[i] = keys[gt];
          weights[i] = weights[gt];
          keys[gt] = k;
          weights[gt] = w;
        } else {
          sE += w;
          i++;
        }
      }
    }
    if (lt > lo && below + sL >= target) {
      hi = lt;
      capped = true;
    } else if (below + sL + sE >= target || (gt === hi && capped)) {
      found(out, pv, below + sL, below + sL + sE, lt, gt);
      return;
    } else if (gt === hi) {
      const total = below + sL + sE;
      found(out, NaN, total, total, n, n);
      return;
    } else {
      below += sL + sE;
      lo = gt;
    }
  }
  insertionSort(keys, weights, lo, hi);
  let acc = below;
  let a = lo;
  while (a < hi) {
    const k = keys[a];
    let b = a;
    let g = 0;
    while (b < hi && keys[b] === k) {
      g += weights === null ? 1 : weights[b];
      b++;
    }
    if (acc + g >= target || (b === hi && capped)) {
      found(out, k, acc, acc + g, a, b);
      return;
    }
    acc += g;
    a = b;
  }
  found(out, NaN, acc, acc, n, n);
}

/** Writes `[below, through, c0, c1]` into `out` and the selected key `v` into `selectNum[SEL_KEY]`. */
export function found(out: Float64Array, v: number, below: number, through: number, c0: number, c1: number): void {
  selectNum[SEL_KEY] = v;
  out[0] = below;
  out[1] = through;
  out[2] = c0;
  out[3] = c1;
}

/** Median of three keys at pseudo-random positions of [lo, hi). */
function pivotAt(keys: Float64Array, lo: number, hi: number): number {
  // the position, not the value: a double returned from a call V8 does not inline is a new heap number
  const len = hi - lo;
  const i = lo + rand(len);
  const j = lo + rand(len);
  const k = lo + rand(len);
  const a = keys[i];
  const b = keys[j];
  const c = keys[k];
  return a < b ? (b < c ? j : a < c ? k : i) : a < c ? i : b < c ? k : j;
}

function rand(len: number): number {
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  seed = x;
  return (x >>> 0) % len;
}

function insertionSort(keys: Float64Array, weights: Float64Array | null, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const k = keys[i];
    const w = weights === null ? 0 : weights[i];
    let j = i - 1;
    while (j >= lo && keys[j] > k) {
      keys[j + 1] = keys[j];
      if (weights !== null) weights[j + 1] = weights[j];
      j--;
    }
    keys[j + 1] = k;
    if (weights !== null) weights[j + 1] = w;
  }
}

/** Histogram buckets: the top 12 bits of a float32 key's order-preserving bit pattern (1/8 octave). */
const BUCKET_SHIFT = 20;
const BUCKETS = 4096; // 1 << (32 − BUCKET_SHIFT), written out so that a bundle without the histogram drops it

/** The keys and weights a selection copies out (grown once), for {@link finishBucket}. */
export class SelectBuffers {
  keys: Float64Array = new Float64Array(0);
  weights: Float64Array = new Float64Array(0);

  /** Grows `keys`/`weights` to hold `size` entries (doubling, so a few growths in all). */
  reserve(size: number): void {
    if (this.keys.length < size) {
      this.keys = new Float64Array(Math.max(size, this.keys.length * 2));
      this.weights = new Float64Array(this.keys.length);
    }
  }
}

/**
 * Scratch buffers of {@link weightedSelectF32}, grown once: keep one per caller and pass it to every call.
 *
 * @example
 * ```ts
 * import { WeightedSelectScratch } from 'degen-guard';
 *
 * const scratch = new WeightedSelectScratch();
 * // weightedSelectF32(keys, weights, n, target, scratch, out) — see weightedSelectF32
 * ```
 */
export class WeightedSelectScratch extends SelectBuffers {
  mass = new Float64Array(BUCKETS);
  count = new Int32Array(BUCKETS);
  private buf: ArrayBufferLike | null = null;
  private bits: Uint32Array = new Uint32Array(0);

  /** The bit patterns of `keys` (a view cached per buffer). */
  bitsOf(keys: Float32Array): Uint32Array {
    if (this.buf !== keys.buffer || this.bits.byteOffset !== keys.byteOffset || this.bits.length < keys.length) {
      this.buf = keys.buffer;
      this.bits = new Uint32Array(keys.buffer, keys.byteOffset, keys.length);
    }
    return this.bits;
  }
}

/** The order-preserving bucket of a float32 bit pattern (negative keys reversed below positive ones). */
function bucketOf(u: number): number {
  return (u & 0x80000000 ? ~u : u | 0x80000000) >>> BUCKET_SHIFT;
}

/**
 * {@link weightedSelect} for float32 keys, without touching `keys` or `weights`: one pass builds a
 * histogram of the weight per 1/8-octave bucket of the key, the bucket where the cumulative weight
 * reaches `target` is copied out and only it is selected. `out` receives `[W(< v), W(≤ v), count(< v),
 * count(≤ v)]` (sums in double, in an unspecified order, as weightedSelect's). NaN when the total
 * weight is below `target`. Keys must not be NaN (-0 and 0 are equal); weights ≥ 0; `weights = null`
 * means every weight is 1 (with `target = k`: the k-th smallest key).
 *
 * @example
 * ```ts
 * import { WeightedSelectScratch, weightedSelectF32 } from 'degen-guard';
 *
 * const keys = Float32Array.from([3, 1, 2, 5]);
 * const w = Float64Array.from([0.1, 0.4, 0.3, 0.2]);
 * weightedSelectF32(keys, w, 4, 0.6, new WeightedSelectScratch(), new Float64Array(4)); // → 2
 * ```
 */
export function weightedSelectF32(
  keys: Float32Array,
  weights: Float64Array | null,
  n: number,
  target: number,
  st: WeightedSelectScratch,
  out: Float64Array,
): number {
  selectNum[SEL_TARGET] = target;
  selectF32Into(keys, weights, n, st, out);
  return selectNum[SEL_KEY];
}

/** {@link weightedSelectF32}'s loops, with the numbers in {@link selectNum}. */
function selectF32Into(keys: Float32Array, weights: Float64Array | null, n: number, st: WeightedSelectScratch, out: Float64Array): void {
  const bits = st.bitsOf(keys);
  const mass = st.mass;
  const count = st.count;
  mass.fill(0);
  count.fill(0);
  if (weights === null) {
    for (let i = 0; i < n; i++) count[bucketOf(bits[i] === 0x80000000 ? 0 : bits[i])]++;
    for (let b = 0; b < BUCKETS; b++) mass[b] = count[b];
  } else {
    for (let i = 0; i < n; i++) {
      const b = bucketOf(bits[i] === 0x80000000 ? 0 : bits[i]);
      mass[b] += weights[i];
      count[b]++;
    }
  }
  const b = crossingBucket(mass, count, BUCKETS, n, out);
  if (b < 0) return;
  const size = count[b];
  st.reserve(size);
  const sk = st.keys;
  const sw = st.weights;
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (bucketOf(bits[i] === 0x80000000 ? 0 : bits[i]) === b) {
      sk[c] = keys[i];
      sw[c++] = weights === null ? 1 : weights[i];
    }
  }
  finishBucket(sk, sw, size, bucketsBefore, out);
}

/** The count of keys below the crossing bucket, from {@link crossingBucket}. */
let bucketsBefore = 0;

/**
 * The bucket where the cumulative mass (buckets summed upward from 0) reaches `selectNum[SEL_TARGET]`:
 * the first non-empty one whose mass brings the sum there. Leaves the mass below it in
 * `selectNum[SEL_BELOW]` and the count of keys below it in {@link bucketsBefore}, as
 * {@link finishBucket} takes them. Returns -1, with `out` written as "not reached", when the
 * `end` buckets together weigh less (`n` keys in all).
 */
function crossingBucket(mass: Float64Array, count: Int32Array, end: number, n: number, out: Float64Array): number {
  const target = selectNum[SEL_TARGET];
  let acc = 0;
  let before = 0;
  let b = 0;
  for (; b < end; b++) {
    if (count[b] > 0 && acc + mass[b] >= target) break;
    acc += mass[b];
    before += count[b];
  }
  if (b === end) {
    found(out, NaN, acc, acc, n, n);
    return -1;
  }
  selectNum[SEL_BELOW] = acc;
  bucketsBefore = before;
  return b;
}

/**
 * Selects in the crossing bucket copied to `sk`/`sw` and adds what lies below the bucket to `out`:
 * `before` keys weighing `selectNum[SEL_BELOW]` (the target, in `selectNum[SEL_TARGET]`, counts them).
 */
export function finishBucket(sk: Float64Array, sw: Float64Array, size: number, before: number, out: Float64Array): void {
  const acc = selectNum[SEL_BELOW];
  selectNum[SEL_TARGET] -= acc;
  selectIn(sk, sw, size, out, true);
  out[0] += acc;
  out[1] += acc;
  out[2] += before;
  out[3] += before;
}

/**
 * {@link weightedSelectF32} with the weights `exp(keys[i] − shift)` computed on the fly (the
 * arithmetic of `expNegF32`, relative error below 1e-8; 0 for `keys[i] − shift ≤ −104` and for
 * −Infinity keys), so that no weight array is written: the smallest key `v` whose softmax-style mass
 * `Σ_{keys ≤ v} exp(key − shift)` reaches `target`. Keys must be ≤ `shift` (typically the max) and
 * not NaN or +Infinity. `out` receives `[W(< v), W(≤ v), count(< v), count(≤ v)]` as
 * weightedSelectF32's; NaN when the total mass is below `target`.
 *
 * The histogram buckets are the exp's own table steps (ln2/16 ≈ 0.043 nats of `key − shift`), so the
 * bucket costs nothing beyond the exp and the crossing bucket holds few keys even on a dense tail.
 * This is the cumulative-mass crossing of a nucleus (top-p) cut in O(n): with `target = (1 − p) · S`
 * (S the softmax denominator) the cells above `v`, and some ties at `v`, are the nucleus.
 *
 * @example
 * ```ts
 * import { WeightedSelectScratch, weightedSelectExpF32 } from 'degen-guard';
 *
 * const keys = Float32Array.from([0, -1, -2, -3]);
 * // masses 1, 0.368, 0.135, 0.050: W(≤ −2) = 0.185 ≥ 0.1
 * weightedSelectExpF32(keys, 4, 0, 0.1, new WeightedSelectScratch(), new Float64Array(4)); // → -2
 * ```
 */
export function weightedSelectExpF32(
  keys: Float32Array,
  n: number,
  shift: number,
  target: number,
  st: WeightedSelectScratch,
  out: Float64Array,
): number {
  selectNum[SEL_TARGET] = target;
  selectNum[SEL_SHIFT] = shift;
  selectExpF32Into(keys, n, st, out);
  return selectNum[SEL_KEY];
}

/** {@link weightedSelectExpF32}'s loops, with the numbers in {@link selectNum}. */
function selectExpF32Into(keys: Float32Array, n: number, st: WeightedSelectScratch, out: Float64Array): void {
  const shift = selectNum[SEL_SHIFT];
  const T = F32_TABLE;
  const INV = F32_INV_STEP;
  const STEP = F32_STEP;
  const RND = ROUND;
  const FLOOR = EXP_NEG_FLOOR;
  // bucket 0: the keys of weight 0; bucket TOP − kf: the keys whose exp uses table step kf (ascending)
  const TOP = T.length;
  const mass = st.mass;
  const count = st.count;
  mass.fill(0, 0, TOP + 1);
  count.fill(0, 0, TOP + 1);
  for (let i = 0; i < n; i++) {
    const z = keys[i] - shift;
    if (z > FLOOR) {
      const kf = RND - z * INV - RND;
      const r = z + kf * STEP;
      const b = TOP - (kf | 0);
      mass[b] += T[kf | 0] * expPolyF32(r);
      count[b]++;
    } else count[0]++;
  }
  const b = crossingBucket(mass, count, TOP + 1, n, out);
  if (b < 0) return;
  const size = count[b];
  st.reserve(size);
  const sk = st.keys;
  const sw = st.weights;
  let c = 0;
  if (b === 0) {
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (!(k - shift > FLOOR)) {
        sk[c] = k;
        sw[c++] = 0;
      }
    }
  } else {
    const kb = TOP - b;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const z = k - shift;
      if (z > FLOOR) {
        const kf = RND - z * INV - RND;
        if (kf === kb) {
          const r = z + kf * STEP;
          sk[c] = k;
          sw[c++] = T[kb] * expPolyF32(r);
        }
      }
    }
  }
  finishBucket(sk, sw, size, bucketsBefore, out);
}
