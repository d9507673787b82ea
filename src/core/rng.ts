/**
 * Seeded random numbers: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * Fast, 2^128 − 1 period, and its whole state is four 32-bit words that can be saved and restored.
 */
import type { Rng } from './types.js';
import { checkNumber } from './validate.js';

const TWO_POW_M53 = 1 / 9007199254740992;

class Xoshiro128 implements Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(state: ArrayLike<number>) {
    this.setState(state);
  }

  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /**
   * The next output as a signed int32 (the same bits as nextUint32): always a small integer for V8,
   * so a call that is not inlined returns it without boxing a heap number (next() stays allocation-free).
   */
  private nextInt32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return result;
  }

  next(): number {
    const hi = this.nextInt32() >>> 5; // 27 bits
    const lo = this.nextInt32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /** {@link next} written into `out[at]` (see {@link ownNextInto}). */
  nextInto(out: Float64Array, at: number): void {
    const hi = this.nextInt32() >>> 5;
    const lo = this.nextInt32() >>> 6;
    out[at] = (hi * 67108864 + lo) * TWO_POW_M53;
  }

  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  setState(state: ArrayLike<number>): void {
    if (state == null || state.length !== 4) {
      throw new TypeError(`state must hold 4 uint32 words (from getState()), got ${state == null ? state : `length ${state.length}`}`);
    }
    for (let i = 0; i < 4; i++) {
      const w = state[i];
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new RangeError(`state[${i}] must be a uint32, got ${w}`);
      }
    }
    if ((state[0] | state[1] | state[2] | state[3]) === 0) {
      throw new RangeError('state must not be all zero (xoshiro128** would only return zeros)');
    }
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  clone(): Rng {
    return new Xoshiro128(this.getState());
  }
}

/**
 * For the library's own generator, writes `rng.next()` into `out[at]` and returns true, without the
 * number crossing a call (a double returned from a call that V8 does not inline is a new heap number
 * on every call); for any other generator returns false and writes nothing (call its `next()`).
 */
export function ownNextInto(rng: Rng, out: Float64Array, at: number): boolean {
  if (!(rng instanceof Xoshiro128)) return false;
  rng.nextInto(out, at);
  return true;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step: a well-mixed 32-bit output for each increment of the state. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded, reproducible random generator (xoshiro128**).
 *
 * @param seed an integer (negative and beyond 2^32 allowed); the same seed gives the same numbers on
 *   every platform. A fractional or non-finite seed throws a RangeError. Omit it for a seed from
 *   `Math.random()`.
 * @example
 * ```ts
 * import { createRng } from 'degen-guard';
 *
 * const rng = createRng(42);
 * const saved = rng.getState();
 * const a = rng.next();
 * rng.setState(saved);
 * rng.next() === a; // → true
 * ```
 */
export function createRng(seed?: number): Rng {
  if (seed === undefined) seed = Math.floor(Math.random() * 0x100000000);
  checkNumber('seed', seed);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  if (!Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer (a fractional seed would be truncated), got ${seed}`);
  }
  // Fold the integer's bits (up to 64, sign included) into the splitmix state.
  const lo = seed % 0x100000000 | 0;
  const hi = Math.floor(seed / 0x100000000) | 0;
  const st = { x: lo ^ Math.imul(hi, 0x27d4eb2d) };
  const words = [splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st)];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return new Xoshiro128(words);
}
