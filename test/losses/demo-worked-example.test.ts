/**
 * The worked example of docs/losses.md: on the bundled demo model (interpolated Kneser-Ney, its logits
 * are log-probabilities), the sequence-level unlikelihood loss of greedy's looping continuations is
 * large and that of contrastive search's continuations near zero. The doc quotes the numbers checked
 * here.
 */
import { describe, expect, it } from 'vitest';
import { loadDemoModel } from '../../src/demo/corpus.js';
import { DEMO_PROMPTS } from '../../src/demo/run-demo.js';
import { generate } from '../../src/decoding/generate.js';
import { contrastiveSearch } from '../../src/decoding/contrastive-search.js';
import type { KneserNeyModel } from '../../src/demo/kneser-ney.js';
import { sequenceUnlikelihoodLoss } from '../../src/losses/sequence-unlikelihood.js';
import { simctgContrastiveLoss } from '../../src/losses/simctg-contrastive.js';

const NEW_TOKENS = 64;

/** The logits that predicted each continuation token: row t is the model's output after prompt + x[0..t). */
async function logitsAlong(model: KneserNeyModel, prompt: Int32Array, cont: Int32Array): Promise<Float32Array> {
  const V = model.vocabSize;
  const out = new Float32Array(cont.length * V);
  const prefixes: Int32Array[] = [];
  for (let t = 0; t < cont.length; t++) prefixes.push(Int32Array.from([...prompt, ...cont.subarray(0, t)]));
  const { logits } = await model.forward(prefixes);
  out.set(logits);
  return out;
}

async function scores(model: KneserNeyModel, prompts: Int32Array[], conts: Int32Array[]) {
  const V = model.vocabSize;
  const K = conts.length;
  const logits = new Float32Array(K * NEW_TOKENS * V);
  const x = new Int32Array(K * NEW_TOKENS);
  const D = model.hiddenSize;
  const hidden = new Float32Array(K * NEW_TOKENS * D);
  for (let k = 0; k < K; k++) {
    expect(conts[k].length).toBe(NEW_TOKENS);
    logits.set(await logitsAlong(model, prompts[k], conts[k]), k * NEW_TOKENS * V);
    x.set(conts[k], k * NEW_TOKENS);
    const states = await model.hiddenStates(Int32Array.from([...prompts[k], ...conts[k]]));
    hidden.set(states.subarray(prompts[k].length * D), k * NEW_TOKENS * D);
  }
  const opts = { batch: K, length: NEW_TOKENS, vocabSize: V, n: 4 };
  const sum = sequenceUnlikelihoodLoss(logits, x, opts);
  const mean = sequenceUnlikelihoodLoss(logits, x, { ...opts, reduction: 'mean' });
  const cl = simctgContrastiveLoss(hidden, { batch: K, length: NEW_TOKENS, hiddenSize: D, margin: 0.5 });
  return { sum: sum.loss, mean: mean.loss, marked: sum.repeatCount / (K * NEW_TOKENS), contrastive: cl.loss };
}

describe('worked example: sequence-level unlikelihood on the demo model', () => {
  it('is large on greedy loops and near zero on contrastive search', async () => {
    const { model, tokenizer } = loadDemoModel();
    const prompts = DEMO_PROMPTS.map((p) => tokenizer.encode(p));
    const greedy: Int32Array[] = [];
    const contrastive: Int32Array[] = [];
    for (const p of prompts) {
      greedy.push((await generate(model, p, { maxNewTokens: NEW_TOKENS })).tokens);
      contrastive.push((await contrastiveSearch(model, p, { topK: 5, penaltyAlpha: 0.6, maxNewTokens: NEW_TOKENS })).tokens);
    }
    const g = await scores(model, prompts, greedy);
    const c = await scores(model, prompts, contrastive);
    // the values docs/losses.md quotes
    expect(g.sum).toBeCloseTo(132.674, 2);
    expect(g.mean).toBeCloseTo(0.2073, 4);
    expect(g.marked).toBeCloseTo(0.809, 3);
    expect(c.sum).toBe(0);
    expect(c.marked).toBe(0);
    // the relation the example is about
    expect(g.sum).toBeGreaterThan(100);
    expect(c.sum).toBeLessThan(g.sum / 100);
    // SimCTG's contrastive loss of the demo model's hidden states tells the same story
    expect(g.contrastive).toBeCloseTo(0.05433, 4);
    expect(c.contrastive).toBeCloseTo(0.002763, 5);
    expect(c.contrastive).toBeLessThan(g.contrastive / 10);
  });
});
