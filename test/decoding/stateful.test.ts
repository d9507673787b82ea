import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng.js';
import type { Rng } from '../../src/core/types.js';
import { beamSearch } from '../../src/decoding/beam-search.js';
import { generate } from '../../src/decoding/generate.js';
import { StateTrail, statefulParts } from '../../src/decoding/stateful.js';
import { RepetitionMonitor } from '../../src/metrics/repetition-monitor.js';
import { pipeline } from '../../src/processors/pipeline.js';
import { xtc } from '../../src/processors/xtc.js';
import { topNSigma } from '../../src/processors/top-n-sigma.js';
import { dry } from '../../src/processors/dry/dry.js';
import { dynamicTemperature } from '../../src/processors/dynamic-temperature.js';
import { mirostat, mirostatV2 } from '../../src/samplers/mirostat.js';
import { fromLlamaCppParams } from '../../src/config/from-llama-cpp-params.js';
import { fromOpenAIParams } from '../../src/config/from-openai-params.js';
import { bigramModel } from './models.js';

/** How many `next()` calls took `before` to `after` (up to 8). */
function drawsBetween(before: Uint32Array, after: Uint32Array): number {
  const r = createRng(1);
  r.setState(before);
  for (let k = 0; k <= 8; k++) {
    if (Array.from(r.getState()).every((w, i) => w === after[i])) return k;
    r.next();
  }
  return -1;
}

const cycle = [
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.1, 0.1, 0.6, 0.1, 0.1],
  [0.1, 0.1, 0.1, 0.6, 0.1],
  [0.1, 0.6, 0.1, 0.1, 0.1],
  [0.2, 0.2, 0.2, 0.2, 0.2],
];

describe('rng draws per step (documented in docs/llama-cpp.md)', () => {
  it('xtc: 1 draw when on and the row has ≥ 2 finite cells, whatever the outcome; 0 otherwise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (vals, probability, threshold) => {
          const rng = createRng(7);
          const proc = xtc({ probability, threshold, rng });
          const before = rng.getState();
          proc(Float32Array.from(vals));
          const finite = vals.filter((v) => v !== -Infinity).length;
          const on = Math.fround(probability) > 0 && Math.fround(threshold) <= 0.5;
          expect(drawsBetween(before, rng.getState())).toBe(on && finite >= 2 ? 1 : 0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('mirostat and mirostatV2: exactly 1 draw per call (the call rng, or the owned one)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.boolean(), (vals, v1) => {
        const rng = createRng(3);
        const pick = v1 ? mirostat({ tau: 3 }) : mirostatV2({ tau: 3 });
        const before = rng.getState();
        pick(Float32Array.from(vals), rng);
        expect(drawsBetween(before, rng.getState())).toBe(1);
        const own = createRng(4);
        const pick2 = v1 ? mirostat({ tau: 3, rng: own }) : mirostatV2({ tau: 3, rng: own });
        const b2 = own.getState();
        const callRng = createRng(5);
        const c0 = callRng.getState();
        pick2(Float32Array.from(vals), callRng);
        expect(drawsBetween(b2, own.getState())).toBe(1);
        expect(drawsBetween(c0, callRng.getState())).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('DRY, top-nσ and dynamic temperature draw nothing (they take no generator)', () => {
    const row = Float32Array.from([1, 2, 3, 0]);
    for (const p of [dry({ multiplier: 1 }), topNSigma(1), dynamicTemperature({ temp: 1, range: 0.5 })]) {
      expect(statefulParts(p)).toEqual([]);
      p(row, [0, 1, 0, 1]);
    }
  });

  it('a mirostat sampler without a generator at construction needs one at the call', () => {
    expect(() => mirostatV2()(Float32Array.from([1, 2]))).toThrow(TypeError);
  });
});

describe('the state model: reset, getState/setState, clone', () => {
  it('reset() brings μ to 2τ and the owned generator to its construction state', () => {
    const pick = mirostatV2({ tau: 2, eta: 0.5, rng: createRng(9) });
    const row = Float32Array.from([3, 2, 1, 0, -1]);
    const first = [pick(row), pick(row), pick(row)];
    expect(pick.mu).not.toBe(4);
    pick.reset();
    expect(pick.mu).toBe(4);
    expect([pick(row), pick(row), pick(row)]).toEqual(first);
  });

  it('getState/setState replays; clone() is independent and starts from the same state', () => {
    const pick = mirostat({ tau: 3, rng: createRng(2) });
    const row = Float32Array.from(Array.from({ length: 50 }, (_, i) => -i / 5));
    pick(row);
    const st = pick.getState();
    const twin = pick.clone();
    const a = [pick(row), pick(row), pick(row)];
    expect([twin(row), twin(row), twin(row)]).toEqual(a);
    expect(twin.mu).toBe(pick.mu);
    pick.setState(st);
    expect([pick(row), pick(row), pick(row)]).toEqual(a);
    expect(() => pick.setState([1])).toThrow(TypeError);
  });

  it('xtc: reset() and clone() replay its draws', () => {
    const proc = xtc({ probability: 0.5, threshold: 0.1, rng: createRng(11) });
    const run = (p: typeof proc) => Array.from({ length: 20 }, () => Array.from(p(Float32Array.from([2, 1.9, 1.8, -3]))).filter((v) => v === -Infinity).length);
    const twin = proc.clone();
    const a = run(proc);
    expect(run(twin)).toEqual(a);
    proc.reset();
    expect(run(proc)).toEqual(a);
    expect(new Set(a).size).toBe(2); // both outcomes happen
  });

  it('StateTrail: a rewind restores the state recorded before that index', () => {
    const pick = mirostatV2({ tau: 2, rng: createRng(1) });
    const trail = new StateTrail(pipeline(topNSigma(2)), pick);
    trail.reset();
    const row = Float32Array.from([3, 2, 1, 0]);
    const states: number[][] = [];
    for (let i = 0; i < 5; i++) {
      trail.mark(i);
      states.push(Array.from(pick.getState()));
      pick(row);
    }
    trail.rewind(2);
    expect(Array.from(pick.getState())).toEqual(states[2]);
  });
});

describe('generate and beamSearch with stateful parts', () => {
  it('generate resets a stateful sampler per call: the same seed gives the same tokens', async () => {
    const pick = mirostatV2({ tau: 1.5, eta: 0.3 });
    const model = bigramModel(cycle);
    const a = await generate(model, [0], { maxNewTokens: 20, sampler: pick, seed: 5 });
    const b = await generate(model, [0], { maxNewTokens: 20, sampler: pick, seed: 5 });
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    const x = xtc({ probability: 0.5, threshold: 0.05, rng: createRng(2) });
    const c = await generate(model, [0], { maxNewTokens: 20, processors: [x], doSample: true, seed: 1 });
    const d = await generate(model, [0], { maxNewTokens: 20, processors: [x], doSample: true, seed: 1 });
    expect(Array.from(d.tokens)).toEqual(Array.from(c.tokens));
  });

  it('after a back-off rewind, μ is the value it had after the kept prefix', async () => {
    const inner = mirostatV2({ tau: 0.3, eta: 0.5, rng: createRng(4) });
    let pending = NaN;
    const sampler = Object.assign(
      (l: Float32Array, r?: Rng, c?: Parameters<typeof inner>[2]) => {
        pending = inner.mu; // μ before this choice
        return inner(l, r, c);
      },
      { reset: () => inner.reset(), getState: () => inner.getState(), setState: (s: ArrayLike<number>) => inner.setState(s), clone: () => inner.clone() },
    );
    const seen: { index: number; muBefore: number }[] = [];
    const events: { type: string; length?: number }[] = [];
    const g = generate(bigramModel(cycle), [0], {
      maxNewTokens: 40,
      sampler,
      monitor: new RepetitionMonitor({ minRepeats: 3, minSpan: 8 }),
      onRepetition: { processors: [], maxRetries: 3 },
      onStep: (info) => {
        seen.push({ index: info.step, muBefore: pending });
      },
    });
    for await (const e of g) events.push(e as { type: string; length?: number });
    expect((await g).backoffs).toBeGreaterThan(0);
    const L = events.find((e) => e.type === 'rewind')!.length!;
    const atL = seen.filter((s) => s.index === L);
    expect(atL.length).toBeGreaterThanOrEqual(2);
    expect(atL[1].muBefore).toBe(atL[0].muBefore);
    // the state did move in between: without the restore the two would differ
    const between = seen.slice(seen.indexOf(atL[0]) + 1, seen.indexOf(atL[1]));
    expect(between.some((s) => s.muBefore !== atL[0].muBefore)).toBe(true);
  });

  it('a llama.cpp config drives generate: Mirostat and XTC from the setup are reset per call; n_predict is the budget', async () => {
    const model = bigramModel(cycle);
    for (const params of [{ mirostat: 2, mirostat_tau: 2, seed: 7, n_predict: 12 }, { xtc_probability: 0.5, xtc_threshold: 0.05, top_k: 0, seed: 7, n_predict: 12 }]) {
      const config = fromLlamaCppParams(params);
      const a = await generate(model, [0], { config });
      const b = await generate(model, [0], { config });
      expect(a.tokens.length).toBe(12);
      expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    }
    const o = await generate(model, [0], { config: fromOpenAIParams({ temperature: 0, max_tokens: 5 }) });
    expect(Array.from(o.tokens)).toEqual([1, 2, 3, 1, 2]);
  });

  it('beamSearch resets stateful processors at the start of each search', async () => {
    const x = xtc({ probability: 0.5, threshold: 0.05, rng: createRng(3) });
    const model = bigramModel(cycle);
    const a = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 6, processors: [x] });
    const b = await beamSearch(model, [0], { numBeams: 2, maxNewTokens: 6, processors: [x] });
    expect(Array.from(b.sequences[0].tokens)).toEqual(Array.from(a.sequences[0].tokens));
  });
});
