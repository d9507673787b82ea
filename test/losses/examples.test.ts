import { describe, expect, it } from 'vitest';
import { simctgContrastiveLoss, sequenceUnlikelihoodLoss, unlikelihoodLoss } from '../../src/index.js';

describe('unlikelihoodLoss examples', () => {
  const logits = Float32Array.from([2, 0, 0, 0, 2, 0, 2, 1, 0]);

  it('the documented example, by hand', () => {
    const r = unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, alpha: 1 });
    const ce = (row: number[], y: number) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[y];
    const p = (row: number[], c: number) => Math.exp(row[c]) / row.reduce((s, v) => s + Math.exp(v), 0);
    expect(r.mleLoss).toBeCloseTo(ce([2, 0, 0], 0) + ce([0, 2, 0], 1) + ce([2, 1, 0], 0), 12);
    expect(r.ulLoss).toBeCloseTo(-Math.log(1 - p([0, 2, 0], 0)) - Math.log(1 - p([2, 1, 0], 1)), 12);
    expect(r.mleLoss).toBeCloseTo(0.8867, 4);
    expect(r.ulLoss).toBeCloseTo(0.39329, 5);
    expect(r.loss).toBeCloseTo(1.27999, 5);
    expect(r.ntokens).toBe(3);
    expect(r.grad).toBeInstanceOf(Float32Array);
  });

  it('padding: no term, no candidate, zero gradient (default); compat keeps the pad as a candidate', () => {
    const z = Float32Array.from([1, 2, 3, 0, 1, 0, 3, 2, 1, 2, 2, 0]);
    const withPad = unlikelihoodLoss(z, [2, 9, 0, 9], { vocabSize: 3, padId: 9 });
    expect(Array.from(withPad.grad.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(withPad.ntokens).toBe(2);
    const two = unlikelihoodLoss(Float32Array.from([1, 2, 3, 3, 2, 1]), [2, 0], { vocabSize: 3 });
    expect(withPad.loss).toBeCloseTo(two.loss, 12);
    // compat: pad 1 is a candidate at every position, even the first
    const c = unlikelihoodLoss(Float32Array.from([0, 0, 0]), [0], { vocabSize: 3, ulCompat: true });
    expect(c.ulLoss).toBeCloseTo(-Math.log(2 / 3), 12);
    expect(unlikelihoodLoss(Float32Array.from([0, 0, 0]), [0], { vocabSize: 3 }).ulLoss).toBe(0);
  });

  it('the default mode keeps each sequence of the batch apart; compat flattens the batch', () => {
    const z = Float32Array.from([0, 1, 2, 3, 3, 2, 1, 0]);
    const a = unlikelihoodLoss(z, [0, 3], { batch: 2, vocabSize: 4 });
    expect(a.ulLoss).toBe(0);
    const c = unlikelihoodLoss(z, [0, 3], { batch: 2, vocabSize: 4, ulCompat: true, padId: 1 });
    // row 1 has candidates {0 (row 0's target), 1 (pad)}
    const p = (row: number[], k: number) => Math.exp(row[k]) / row.reduce((s, v) => s + Math.exp(v), 0);
    expect(c.ulLoss).toBeCloseTo(-Math.log(1 - p([0, 1, 2, 3], 1)) - Math.log(1 - p([3, 2, 1, 0], 0)) - Math.log(1 - p([3, 2, 1, 0], 1)), 6);
  });

  it('stays finite and exact where 1 − p underflows float32 (and clamps in compat, as the original)', () => {
    // token 0 leads by 30 nats: 1 − p ≈ 2·e⁻³⁰ ≈ 1.9e-13
    const z = Float32Array.from([0, 0, 0, 30, 0, 0]);
    const r = unlikelihoodLoss(z, [0, 1], { vocabSize: 3, alpha: 1 });
    const exact = 30 + Math.log(1 + 2 * Math.exp(-30)) - Math.log(2); // −log(1 − p_0) at t = 1
    expect(r.ulLoss).toBeCloseTo(exact, 10);
    // row 1 (target 1, candidate 0): MLE gives p − e_1 ≈ [1, −1, 0]; −log(1 − p_0) gives p_0·(e_0 − q) ≈ [1, −½, −½]
    expect(r.grad[3]).toBeCloseTo(2, 10);
    expect(r.grad[4]).toBeCloseTo(-1.5, 10);
    expect(r.grad[5]).toBeCloseTo(-0.5, 10);
    expect(r.grad.every(Number.isFinite)).toBe(true);
    const c = unlikelihoodLoss(z, [0, 2], { vocabSize: 3, ulCompat: true, padId: 1 });
    expect(c.ulLoss).toBeCloseTo(-Math.log(2 / 3) - Math.log(1e-5) - Math.log(1 - Math.exp(-30)), 5);
  });

  it('a leader by 200 nats: the loss is exact and the gradient spreads over the other ids', () => {
    const z = Float64Array.from([0, 0, 0, 200, 0, 0]);
    const r = unlikelihoodLoss(z, [0, 1], { vocabSize: 3, alpha: 1 });
    expect(r.ulLoss).toBeCloseTo(200 - Math.log(2), 10);
    expect(Array.from(r.grad.subarray(3))).toEqual([2, -1.5, -0.5]);
  });

  it('reuses gradOut', () => {
    const out = new Float32Array(9).fill(7);
    const r = unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, gradOut: out });
    expect(r.grad).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3 }).grad));
  });

  it('errors name the argument', () => {
    expect(() => unlikelihoodLoss([1, 2] as unknown as Float32Array, [0], {})).toThrow(/logits must be a Float32Array/);
    expect(() => unlikelihoodLoss(logits, [0, 1], { vocabSize: 3 })).toThrow(/logits has length 9, expected .* = 6/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 3], { vocabSize: 3 })).toThrow(/targets\[2\] = 3 is outside the vocabulary of size 3/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, alpha: -1 })).toThrow(/alpha must be ≥ 0/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, batch: 2 })).toThrow(/targets has length 3, not a multiple of batch = 2/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, aplha: 1 } as never)).toThrow(/unknown option "aplha" \(did you mean "alpha"\?\)/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, ulCompat: true, padId: 2 })).toThrow(/padId = 2: .* pad² = 4/);
    expect(() => unlikelihoodLoss(logits, [0, 1, 0], { vocabSize: 3, gradOut: new Float64Array(9) })).toThrow(/gradOut must be a Float32Array/);
    expect(() => unlikelihoodLoss(logits, [0, 1.5, 0], { vocabSize: 3 })).toThrow(TypeError);
  });
});

describe('sequenceUnlikelihoodLoss examples', () => {
  it('the documented example; mean divides by K·C', () => {
    const z = new Float32Array(12);
    const r = sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { vocabSize: 3, n: 2 });
    expect(Array.from(r.mask)).toEqual([0, 0, 1, 1]);
    expect(r.loss).toBeCloseTo(-2 * Math.log(2 / 3), 12);
    expect(Array.from(r.grad.subarray(6, 9))).toEqual([-1 / 6, 1 / 3, -1 / 6].map(Math.fround));
    const m = sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { vocabSize: 3, n: 2, reduction: 'mean' });
    expect(m.loss).toBeCloseTo(r.loss / 4, 12);
    // compat never examines the last window: here the only repeat
    expect(sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { vocabSize: 3, n: 2, ulCompat: true }).loss).toBe(0);
  });

  it('errors name the argument; unknown reduction is rejected', () => {
    const z = new Float32Array(12);
    expect(() => sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { vocabSize: 3, reduction: 'avg' as never })).toThrow(/reduction must be 'sum' or 'mean', got "avg"/);
    expect(() => sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { vocabSize: 3, n: 0 })).toThrow(/n must be ≥ 1/);
    expect(() => sequenceUnlikelihoodLoss(z, [1, 2, 1], { vocabSize: 3 })).toThrow(/logits has length 12/);
    expect(() => sequenceUnlikelihoodLoss(z, [1, 2, 1, 5], { vocabSize: 3 })).toThrow(/continuation\[3\] = 5/);
    expect(() => sequenceUnlikelihoodLoss(z, [1, 2, 1, 2], { ngram: 2 } as never)).toThrow(/unknown option "ngram"/);
  });
});

describe('simctgContrastiveLoss examples', () => {
  it('the documented example; identical states get no gradient (cosine is flat there)', () => {
    const r = simctgContrastiveLoss(Float32Array.from([1, 0, 1, 0, 0, 1]), { hiddenSize: 2, margin: 0.5 });
    expect(r.pairCount).toBe(6);
    expect(r.loss).toBeCloseTo(1 / 6, 12);
    expect(Array.from(r.grad)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('masks, inputIds and meanAll', () => {
    const h = Float32Array.from([1, 0, 0.8, 0.6, 0, 1, 5, 5]);
    const byMask = simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 1, 1, 0] });
    const byIds = simctgContrastiveLoss(h, { hiddenSize: 2, inputIds: [7, 8, 9, 0], padTokenId: 0 });
    const cut = simctgContrastiveLoss(h.subarray(0, 6), { hiddenSize: 2 });
    expect(byMask.loss).toBe(byIds.loss);
    expect(byMask.loss).toBeCloseTo(cut.loss, 12);
    expect(byMask.pairCount).toBe(6);
    expect(Array.from(byMask.grad.subarray(6))).toEqual([0, 0]);
    // meanAll: every entry, the diagonal's ρ included
    const all = simctgContrastiveLoss(h.subarray(0, 4), { hiddenSize: 2, margin: 0.5, reduction: 'meanAll' });
    const s = 0.8; // cosine of the two states
    expect(all.loss).toBeCloseTo((2 * 0.5 + 2 * Math.max(0, 0.5 - 1 + s)) / 4, 6);
    expect(all.pairCount).toBe(4);
  });

  it('no valid pair: 0 (default), NaN in compat as the original (0/0)', () => {
    const h = Float32Array.from([1, 0, 0, 1]);
    expect(simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 0] }).loss).toBe(0);
    expect(simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 0], simctgCompat: true }).loss).toBeNaN();
  });

  it('errors name the argument', () => {
    const h = new Float32Array(8).fill(1);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 3 })).toThrow(/hidden has length 8, not a multiple of batch · hiddenSize = 3/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, margin: -0.1 })).toThrow(/margin must be ≥ 0/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, reduction: 'mean' as never })).toThrow(/reduction must be 'pairs' or 'meanAll', got "mean"/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 1, 1] })).toThrow(/hidden has length 8, expected .* = 6|mask has length 3/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 1, 2, 0] })).toThrow(/mask\[2\] must be 0 or 1/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, inputIds: [1, 2, 3, 4] })).toThrow(/padTokenId is required/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, mask: [1, 1, 1, 1], inputIds: [1, 2, 3, 4], padTokenId: 0 })).toThrow(/either mask or inputIds/);
    expect(() => simctgContrastiveLoss(h, { hiddenSize: 2, padTokenID: 0 } as never)).toThrow(/unknown option "padTokenID" \(did you mean "padTokenId"\?\)/);
  });
});
