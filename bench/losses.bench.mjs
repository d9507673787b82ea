// Training-loss benchmark: the token-level unlikelihood loss (and the sequence-level one) over a batch of
// B × T × V logits, each beside a floor measured in the same run: one plain pass over the same B·T·V
// cells computing each row's max. The loss reads each row twice (max, exponentials) and writes its
// gradient once, whatever the number of candidates, so its ratio to the floor stays flat as T grows.
//
// Called by the bench runner as `run(lib, { quick })` with the built library module; returns rows
// `{ name, medianMs, floorMs }`. Standalone: `node bench/losses.bench.mjs` after `npm run build`.

import { fileURLToPath } from 'node:url';
import { floorRows } from './floor-rows.mjs';
import { lmLogits, lmTokens } from './lm-logits.mjs';


/** B·T rows of LM-shaped logits (a pool of distinct rows, reused) and text-like targets. */
function inputs(B, T, V) {
  const pool = lmLogits(V, 16, { seed: 3 });
  const logits = new Float32Array(B * T * V);
  for (let i = 0; i < B * T; i++) logits.set(pool[i % pool.length], i * V);
  const targets = lmTokens(B * T, V, { seed: 3 });
  return { logits, targets };
}

export async function run(lib, { quick = false } = {}) {
  if (typeof lib.unlikelihoodLoss !== 'function') return [];
  const reps = quick ? 5 : 11;
  const shapes = quick ? [[4, 128, 32000]] : [[4, 128, 32000], [1, 512, 32000], [1, 64, 128256]];
  let sink = 0;
  const rows = [];
  for (const [B, T, V] of shapes) {
    const { logits, targets } = inputs(B, T, V);
    const grad = new Float32Array(logits.length);
    const floorPass = () => {
      let acc = 0;
      for (let r = 0; r < B * T; r++) {
        let m = -Infinity;
        const off = r * V;
        for (let k = 0; k < V; k++) if (logits[off + k] > m) m = logits[off + k];
        acc += m;
      }
      sink += acc;
    };
    const cases = [
      [`losses: unlikelihoodLoss B=${B} T=${T} V=${V} (α 1)`, () => { sink += lib.unlikelihoodLoss(logits, targets, { batch: B, vocabSize: V, gradOut: grad }).loss; }],
      [`losses: unlikelihoodLoss ulCompat B=${B} T=${T} V=${V}`, () => { sink += lib.unlikelihoodLoss(logits, targets, { batch: B, vocabSize: V, ulCompat: true, gradOut: grad }).loss; }],
      [`losses: sequenceUnlikelihoodLoss B=${B} T=${T} V=${V} (n 4)`, () => { sink += lib.sequenceUnlikelihoodLoss(logits, targets, { batch: B, vocabSize: V, gradOut: grad }).loss; }],
    ];
    rows.push(...floorRows(cases, floorPass, reps));
  }
  if (sink === 0.5) console.log(''); // keep the work observable
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const lib = await import(process.env.DEGEN_GUARD_LIB ? new URL(process.env.DEGEN_GUARD_LIB, `file://${process.cwd()}/`).href : '../dist/index.js');
  const quick = process.argv.includes('--quick');
  for (const r of await run(lib, { quick })) {
    console.log(`${r.name}: ${(r.medianMs).toFixed(2)} ms, floor ${(r.floorMs).toFixed(2)} ms, ${(r.medianMs / r.floorMs).toFixed(2)}× floor`);
  }
}
