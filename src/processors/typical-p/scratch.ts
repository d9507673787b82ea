/** typicalP's scratch buffers, the layout of their `bounds` cells, and the results of its routes. */
import { expTotalResult } from '../../core/exp-total.js';
import { WeightedSelectScratch } from '../../core/weighted-select.js';
import { SortScratch } from './sorted.js';
import { MOMENT_RING } from './mass-moments.js';

/** Scratch buffers of one typicalP processor, grown once to the vocabulary size. */
export class TypicalScratch {
  /** the cut handed to indicesAtLeastAfterTotal */
  cutIn: Float64Array = new Float64Array(1);
  /** the cells' values in candidate order (sparse calls) */
  vals: Float32Array = new Float32Array(0);
  /** positions of the listed cells, then of the survivors */
  list: Int32Array = new Int32Array(0);
  /** the survivors' values while the row is filled */
  keptV: Float32Array = new Float32Array(0);
  /** the cells at the ends of the interval: shift, mass, position; a min-heap of (shift, index) */
  bShift: Float32Array = new Float32Array(0);
  bMass: Float64Array = new Float64Array(0);
  bPos: Int32Array = new Int32Array(0);
  heapV: Float32Array = new Float32Array(0);
  heapI: Int32Array = new Int32Array(0);
  /** the shifts of every finite cell (minTokensToKeep beyond the cells kept by mass) */
  shift: Float32Array = new Float32Array(0);
  /** the exp pass's mass and moment histogram and results */
  hist = new Float64Array(2 * MOMENT_RING);
  res = new Float64Array(7);
  /** the crossing's bounds (see `crossingBounds`) */
  bounds = new Float64Array(11);
  selOut = new Float64Array(4);
  bits = new Float32Array(1);
  bitsU = new Uint32Array(this.bits.buffer);
  select = new WeightedSelectScratch();
  sort = new SortScratch();
  /** the moments of {@link nearFirst}'s exp pass */
  et = expTotalResult();
  private bitsView: Uint32Array = new Uint32Array(0);
  fineMass = new Float64Array(256);
  fineCount = new Int32Array(256);

  /** The float32 bits of `bShift` (a view made again when it grows). */
  shiftBits(): Uint32Array {
    if (this.bitsView.buffer !== this.bShift.buffer) this.bitsView = new Uint32Array(this.bShift.buffer);
    return this.bitsView;
  }

  grow(n: number): void {
    if (this.list.length < n) {
      this.vals = new Float32Array(n);
      this.list = new Int32Array(n);
      this.keptV = new Float32Array(n);
    }
  }

  growEnds(n: number): void {
    if (this.bShift.length < n) {
      const size = Math.max(n, 2 * this.bShift.length);
      this.bShift = new Float32Array(size);
      this.bMass = new Float64Array(size);
      this.bPos = new Int32Array(size);
      this.heapV = new Float32Array(size);
      this.heapI = new Int32Array(size);
    }
  }
}

/** {@link typicalBySelect} finished (the row is processed). */
export const DONE = 0;
/** {@link typicalBySelect} did not decide (a row beyond its histogram); the row is untouched. */
export const UNDECIDED = 1;


/** Indices of `TypicalScratch.bounds`: inputs of {@link crossingBounds} (c, the target mass, δ) … */
export const B_C = 0;
export const B_TARGET = 1;
export const B_DELTA = 2;
/** … and its results. */
export const B_DA = 3;
export const B_DB = 4;
export const B_IN_LO = 5;
export const B_IN_HI = 6;
export const B_IN_MASS = 7;
/** The max, lse and H, for {@link keepFirst}. */
export const B_M = 8;
export const B_LSE = 9;
export const B_ENT = 10;
