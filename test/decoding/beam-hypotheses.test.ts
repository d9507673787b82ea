import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BeamHypotheses } from '../../src/decoding/beam-hypotheses.js';

const tokens = () => new Int32Array(0);

/** transformers' BeamHypotheses.add, written out as its docstring states it (reference for the property). */
function referenceAdd(beams: [number, number][], worst: number, capacity: number, score: number, id: number): number {
  if (beams.length < capacity || score > worst) {
    beams.push([score, id]);
    if (beams.length > capacity) {
      const order = beams.map(([s], i) => [s, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      beams.splice(order[0][1], 1);
      return order[1][0];
    }
    return Math.min(score, worst);
  }
  return worst;
}

describe('BeamHypotheses (HF BeamHypotheses semantics)', () => {
  it('keeps the same hypotheses, in the same order, as a sort-based reference (ties included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: -8, max: 0 }), { maxLength: 30 }), (capacity, sums) => {
        const h = new BeamHypotheses(capacity, 0, false, 10);
        const ref: [number, number][] = [];
        let worst = 1e9;
        sums.forEach((s, id) => {
          h.add(() => Int32Array.of(id), s, 1, false);
          worst = referenceAdd(ref, worst, capacity, s, id);
        });
        expect(h.items.map((x) => x.tokens[0])).toEqual(ref.map(([, id]) => id));
        expect(h.worst).toBe(worst);
      }),
      { numRuns: 1000 },
    );
  });

  it('scores are logProb / generated^lengthPenalty in double precision', () => {
    const h = new BeamHypotheses(2, 0.5, false, 10);
    h.add(tokens, -3, 3, true);
    expect(h.items[0].score).toBe(-3 / Math.sqrt(3));
  });

  it('isDone: never before the list is full; true: as soon as it is full', () => {
    const h = new BeamHypotheses(2, 1, true, 10);
    h.add(tokens, -1, 2, true);
    expect(h.isDone(-100, 2)).toBe(false);
    h.add(tokens, -2, 2, true);
    expect(h.isDone(0, 2)).toBe(true);
  });

  it('isDone false / "never": the best candidate of the step against the worst kept score', () => {
    // one kept hypothesis of score exactly -2; the step's best candidate has log-probability -5
    const done = (early: boolean | 'never', lp: number, generated: number) => {
      const h = new BeamHypotheses(1, lp, early, 8);
      h.add(tokens, -2 * Math.pow(2, lp), 2, true);
      expect(h.worst).toBe(-2);
      return h.isDone(-5, generated);
    };
    expect(done(false, 1, 2)).toBe(true); // -5 / 2 = -2.5 cannot beat -2
    expect(done(false, 1, 3)).toBe(false); // -5 / 3 ≈ -1.67 could
    expect(done(false, 0, 3)).toBe(true); // -5
    expect(done(false, -1, 3)).toBe(true); // -5 · 3 = -15
    expect(done('never', 1, 2)).toBe(false); // at the maximum length 8: -5 / 8 = -0.625 could
    expect(done('never', 0, 2)).toBe(true); // lengthPenalty ≤ 0: the current length, as false
    expect(done('never', 2, 3)).toBe(false); // -5 / 64
  });
});
