/**
 * Parity with the papers' original code (test/fixtures/losses, format and formulas in its README.md):
 * every case is run with the compat flag and must match the float32 original within
 * max(1e-5·|want|, 1e-7) per value, or the float64 values the case carries where it is flagged as
 * precision-sensitive.
 *
 * edge.json adds degenerate inputs (NaN / ±Infinity logits, clamps, zero hidden vectors, no valid pair,
 * padding inside a row) computed by edge_gen.py / edge_f64.py: the README's formulas written with torch
 * float32 ops and autograd (not the original code), same tolerance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, fixturesDir } from '../helpers/fixtures.js';
import { unlikelihoodLoss } from '../../src/losses/unlikelihood.js';
import { sequenceUnlikelihoodLoss } from '../../src/losses/sequence-unlikelihood.js';
import { simctgContrastiveLoss } from '../../src/losses/simctg-contrastive.js';

interface Case {
  id: string;
  kind: string;
  variant: string;
  params: Record<string, any>;
  shape: [number, number, number];
  expected: Record<string, any>;
  f64?: Record<string, any>;
  precision_sensitive?: Record<string, number>;
  [k: string]: any;
}

const load = (name: string): Case[] => decode(JSON.parse(readFileSync(join(fixturesDir, 'losses', name), 'utf8'))).cases;
const flat = (x: any): number[] => (Array.isArray(x) ? x.flat(Infinity) : [x]);

/** The fixture's tolerance; `alt` (float64 values) is accepted as well when given. */
function close(got: number, want: number, alt?: number): boolean {
  const ok = (w: number) =>
    Number.isNaN(w) ? Number.isNaN(got) : !Number.isFinite(w) ? got === w : Math.abs(got - w) <= Math.max(1e-5 * Math.abs(w), 1e-7);
  return ok(want) || (alt !== undefined && ok(alt));
}

function expectClose(label: string, got: ArrayLike<number> | number, want: any, alt?: any): void {
  const g = typeof got === 'number' ? [got] : Array.from(got);
  const w = flat(want);
  const a = alt === undefined ? undefined : flat(alt);
  expect(g.length, `${label}: length`).toBe(w.length);
  const bad: string[] = [];
  for (let i = 0; i < w.length; i++) if (!close(g[i], w[i], a?.[i])) bad.push(`[${i}] got ${g[i]} want ${w[i]}${a ? ` (f64 ${a[i]})` : ''}`);
  expect(bad.slice(0, 5), `${label}: ${bad.length} cells off`).toEqual([]);
}

function checkCase(c: Case): void {
  const f = c.f64 ?? {};
  const [B, T, S] = c.shape;
  if (c.kind === 'token') {
    const r = unlikelihoodLoss(Float32Array.from(flat(c.logits)), flat(c.targets), {
      batch: B,
      length: T,
      vocabSize: S,
      alpha: c.params.alpha,
      padId: c.params.pad,
      ulCompat: true,
    });
    expectClose('loss', r.loss, c.expected.loss, f.loss);
    if (c.expected.mle_loss !== undefined) expectClose('mle_loss', r.mleLoss, c.expected.mle_loss, f.mle_loss);
    if (c.expected.ul_loss !== undefined) expectClose('ul_loss', r.ulLoss, c.expected.ul_loss, f.ul_loss);
    if (c.expected.ntokens !== undefined) expect(r.ntokens).toBe(c.expected.ntokens);
    expectClose('grad_logits', r.grad, c.expected.grad_logits, f.grad_logits);
  } else if (c.kind === 'sequence') {
    const r = sequenceUnlikelihoodLoss(Float32Array.from(flat(c.logits)), flat(c.continuation), {
      batch: B,
      length: T,
      vocabSize: S,
      n: c.params.ngram_n,
      reduction: c.params.reduction,
      ulCompat: true,
    });
    expect(Array.from(r.mask)).toEqual(flat(c.mask));
    if (c.expected.repeat_mask_count !== undefined) expect(r.repeatCount).toBe(c.expected.repeat_mask_count);
    expectClose('loss', r.loss, c.expected.loss, f.loss);
    expectClose('grad_logits', r.grad, c.expected.grad_logits, f.grad_logits);
  } else {
    const r = simctgContrastiveLoss(Float32Array.from(flat(c.hidden)), {
      batch: B,
      length: T,
      hiddenSize: S,
      margin: c.params.margin,
      inputIds: flat(c.input_ids),
      padTokenId: c.params.pad_token_id,
      prefixLen: c.params.prefix_len,
      reduction: c.params.reduction === 'mean_all_entries' || c.params.reduction === 'meanAll' ? 'meanAll' : 'pairs',
      simctgCompat: true,
    });
    expectClose('loss', r.loss, c.expected.loss, f.loss);
    if (c.expected.pair_count !== undefined) expect(r.pairCount).toBe(c.expected.pair_count);
    expectClose('grad_hidden', r.grad, c.expected.grad_hidden, f.grad_hidden);
  }
}

describe('edge cases (torch float32 rendering of the formulas)', () => {
  const cases = load('edge.json');
  it('holds 16 cases', () => expect(cases.length).toBe(16));
  for (const c of cases) it(c.id, () => checkCase(c));
});

describe('golden: unlikelihood (fairseq criterion, ulCompat)', () => {
  const cases = load('unlikelihood.json');
  it('holds the public cases', () => expect(cases.length).toBeGreaterThanOrEqual(34));
  for (const c of cases.filter((x) => x.kind === 'token')) {
    it(c.id, () => {
      const [B, T, V] = c.shape;
      const r = unlikelihoodLoss(Float32Array.from(flat(c.logits)), flat(c.targets), {
        batch: B,
        length: T,
        vocabSize: V,
        alpha: c.params.alpha,
        padId: c.params.pad,
        ulCompat: true,
      });
      const f = c.f64 ?? {};
      expectClose('loss', r.loss, c.expected.loss, f.loss);
      expectClose('mle_loss', r.mleLoss, c.expected.mle_loss, f.mle_loss);
      expectClose('ul_loss', r.ulLoss, c.expected.ul_loss, f.ul_loss);
      expect(r.ntokens).toBe(c.expected.ntokens);
      expectClose('grad_logits', r.grad, c.expected.grad_logits, f.grad_logits);
    });
  }
  for (const c of cases.filter((x) => x.kind === 'sequence')) {
    it(c.id, () => {
      const [K, C, V] = c.shape;
      const r = sequenceUnlikelihoodLoss(Float32Array.from(flat(c.logits)), flat(c.continuation), {
        batch: K,
        length: C,
        vocabSize: V,
        n: c.params.ngram_n,
        reduction: c.params.reduction,
        ulCompat: true,
      });
      const f = c.f64 ?? {};
      expect(Array.from(r.mask)).toEqual(flat(c.mask));
      expect(r.repeatCount).toBe(c.expected.repeat_mask_count);
      expectClose('loss', r.loss, c.expected.loss, f.loss);
      expectClose('grad_logits', r.grad, c.expected.grad_logits, f.grad_logits);
    });
  }
});

describe('golden: SimCTG contrastive loss (simctgCompat)', () => {
  const cases = load('simctg.json');
  it('holds the public cases', () => expect(cases.length).toBeGreaterThanOrEqual(21));
  for (const c of cases) {
    it(c.id, () => {
      const [B, T, D] = c.shape;
      const r = simctgContrastiveLoss(Float32Array.from(flat(c.hidden)), {
        batch: B,
        length: T,
        hiddenSize: D,
        margin: c.params.margin,
        inputIds: flat(c.input_ids),
        padTokenId: c.params.pad_token_id,
        prefixLen: c.params.prefix_len,
        reduction: c.params.reduction === 'mean_all_entries' ? 'meanAll' : 'pairs',
        simctgCompat: true,
      });
      const f = c.f64 ?? {};
      expectClose('loss', r.loss, c.expected.loss, f.loss);
      if (c.expected.pair_count !== undefined) expect(r.pairCount).toBe(c.expected.pair_count);
      expectClose('grad_hidden', r.grad, c.expected.grad_hidden, f.grad_hidden);
    });
  }
});
