// Per-step overhead of the decoding strategies: beam search (4 beams) and contrastive search (k = 5)
// over a model that returns precomputed logits (so the model costs nothing), at V = 128,256.
//
//   run(lib, { quick }) → [{ name, medianMs, floorMs, ratio, steps }]
//
// medianMs is the median time of one decoding step (a whole search of `steps` steps, divided by steps);
// floorMs is the floor of the same step: one pass computing the max over every logits row the model
// returned for it (4 rows for beam search, 5 for contrastive search). ratio = medianMs / floorMs.

import { lmLogits } from './lm-logits.mjs';
import { PROFILES, measureGroup } from './harness.mjs';

const V = 128256;
const HIDDEN = 64;

/** A model that answers every call with the same precomputed rows (one buffer per batch size). */
function precomputedModel(rows, { hidden = false } = {}) {
  const byBatch = new Map();
  const hid = new Float32Array(rows.length * HIDDEN);
  for (let i = 0; i < hid.length; i++) hid[i] = Math.sin(i * 1.618) + 0.01;
  const buffer = (b) => {
    let buf = byBatch.get(b);
    if (!buf) {
      buf = new Float32Array(b * V);
      for (let r = 0; r < b; r++) buf.set(rows[r % rows.length], r * V);
      byBatch.set(b, buf);
    }
    return buf;
  };
  return {
    vocabSize: V,
    hiddenSize: hidden ? HIDDEN : undefined,
    async forward(seqs, options) {
      const out = { logits: buffer(seqs.length) };
      if (options?.hidden) out.hidden = hid.subarray(0, seqs.length * HIDDEN);
      return out;
    },
  };
}

function maxFloor(rows) {
  let sink = 0;
  return () => {
    for (const x of rows) {
      let m = -Infinity;
      for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
      sink += m;
    }
    return sink;
  };
}

export async function run(lib, { quick = false } = {}) {
  const profile = quick ? PROFILES.quick : PROFILES.full;
  const steps = quick ? 8 : 16;
  const rows = lmLogits(V, 5, { seed: 11 });
  const beamModel = precomputedModel(rows.slice(0, 4));
  const csModel = precomputedModel(rows, { hidden: true });
  const cases = [
    {
      id: 'beam4',
      label: 'beamSearch numBeams=4',
      async: true,
      fn: () => lib.beamSearch(beamModel, [1], { numBeams: 4, maxNewTokens: steps }),
    },
    { id: 'floor4', label: 'floor: max over 4 rows', fn: maxFloor(rows.slice(0, 4)) },
    {
      id: 'cs5',
      label: 'contrastiveSearch topK=5',
      async: true,
      fn: () => lib.contrastiveSearch(csModel, [1], { topK: 5, penaltyAlpha: 0.6, maxNewTokens: steps }),
    },
    { id: 'floor5', label: 'floor: max over 5 rows', fn: maxFloor(rows) },
  ];
  const res = await measureGroup(cases, { profile });
  const by = Object.fromEntries(res.map((r) => [r.id, r]));
  // contrastive search makes steps + 1 model calls (the prompt's call first); beam search makes `steps`
  const out = [];
  for (const [id, floor, name, calls] of [
    ['beam4', 'floor4', `beamSearch numBeams=4 per step, V=${V}`, steps],
    ['cs5', 'floor5', `contrastiveSearch topK=5 per step, V=${V}`, steps + 1],
  ]) {
    const r = by[id];
    const f = by[floor];
    if (r.error || f.error) {
      out.push({ name, error: r.error ?? f.error });
      continue;
    }
    const medianMs = r.medianMs / calls;
    out.push({ name, medianMs, floorMs: f.medianMs, ratio: medianMs / f.medianMs, steps: calls });
  }
  return out;
}
