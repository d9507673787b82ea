/**
 * Vectors from llama.cpp's own samplers, built from its source (test/fixtures/llama/README.md), for
 * what its tests barely cover: dynamic temperature with range > 0, XTC with min_keep, DRY windows
 * shorter than the history and multi-token breakers, top-nσ with -Infinity cells, Mirostat's kept set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { dry } from '../../src/processors/dry/dry.js';
import { dynamicTemperature } from '../../src/processors/dynamic-temperature.js';
import { topNSigma } from '../../src/processors/top-n-sigma.js';
import { xtc } from '../../src/processors/xtc.js';
import { mirostat, mirostatV2 } from '../../src/samplers/mirostat.js';
import { decode, fixturesDir } from '../helpers/fixtures.js';

interface VectorCase {
  sampler: string;
  params: Record<string, number & number[][]>;
  logits: number[];
  expected?: number[];
  kept?: number[];
  history?: number[];
}

const cases: VectorCase[] = decode(JSON.parse(readFileSync(join(fixturesDir, 'llama', 'llama-vectors.json'), 'utf8')).cases);
const of = (s: string) => cases.filter((c) => c.sampler === s).map((c, i) => [i, c] as const);

describe('llama.cpp vectors: dynamic temperature (range > 0)', () => {
  it.each(of('temp_ext'))('case %i', (_, c) => {
    const row = Float32Array.from(c.logits);
    dynamicTemperature({ temp: c.params.temp, range: c.params.range, exponent: c.params.exponent })(row);
    c.expected!.forEach((e, i) => expect(Math.abs(row[i] - e)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e))));
  });
});

describe('llama.cpp vectors: XTC with min_keep', () => {
  it.each(of('xtc'))('case %i', (_, c) => {
    const row = Float32Array.from(c.logits);
    xtc({ probability: 1, threshold: c.params.threshold, minTokensToKeep: c.params.min_keep, rng: createRng(1) })(row);
    const kept = [...row.keys()].filter((i) => row[i] !== -Infinity);
    expect(kept).toEqual([...c.kept!].sort((a, b) => a - b));
  });
  it('the vectors exercise both outcomes of min_keep', () => {
    const removed = of('xtc').filter(([, c]) => c.kept!.length < c.logits.length).length;
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThan(of('xtc').length);
  });
});

describe('llama.cpp vectors: DRY', () => {
  it.each(of('dry'))('case %i', (_, c) => {
    const row = Float32Array.from(c.logits);
    const p = c.params;
    dry({ multiplier: p.multiplier, base: p.base, allowedLength: p.allowed_length, penaltyLastN: p.penalty_last_n, sequenceBreakers: p.breakers })(row, c.history!);
    expect(Array.from(row)).toEqual(Array.from(Float32Array.from(c.expected!)));
  });
  it('the vectors penalise in most cases and leave some rows alone', () => {
    const changed = of('dry').filter(([, c]) => c.expected!.some((v, i) => v !== c.logits[i])).length;
    expect(changed).toBeGreaterThan(10);
    expect(changed).toBeLessThan(of('dry').length);
  });
});

describe('llama.cpp vectors: top-nσ', () => {
  it.each(of('top_n_sigma'))('case %i', (_, c) => {
    const row = Float32Array.from(c.logits);
    topNSigma(c.params.n)(row);
    expect(Array.from(row)).toEqual(Array.from(Float32Array.from(c.expected!)));
  });
});

describe('llama.cpp vectors: Mirostat kept set on the first step (μ = 2τ)', () => {
  it.each(of('mirostat'))('v1 case %i', (_, c) => {
    const pick = mirostat({ tau: c.params.tau, eta: c.params.eta, m: c.params.m, vocabSize: c.params.n_vocab, rng: createRng(1) });
    pick(Float32Array.from(c.logits));
    expect(pick.kept).toBe(c.kept!.length);
  });
  it.each(of('mirostat_v2'))('v2 case %i', (_, c) => {
    const pick = mirostatV2({ tau: c.params.tau, eta: c.params.eta, rng: createRng(1) });
    pick(Float32Array.from(c.logits));
    expect(pick.kept).toBe(c.kept!.length);
  });
});
