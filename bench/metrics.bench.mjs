// Metrics benchmark: seq-rep-4 and the RepetitionMonitor over 1,000,000 token ids, each reported
// beside a floor measured in the same run (one plain pass over the same ids), so ratios are
// comparable across machines.
//
// Called by the bench runner as `run(lib, { quick })` with the built library module; returns rows
// `{ name, medianMs, floorMs }`.

import { floorRows } from './floor-rows.mjs';

/** Seeded ids shaped like model output: Zipf-ish draws from a 50k vocabulary with some looping spans. */
function makeIds(count, seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const ids = new Int32Array(count);
  let i = 0;
  while (i < count) {
    if (i > 64 && next() < 0.002) {
      // A loop: copy a recent block a few times.
      const period = 1 + Math.floor(next() * 40);
      const times = 2 + Math.floor(next() * 4);
      for (let k = 0; k < period * times && i < count; k++, i++) ids[i] = ids[i - period];
      continue;
    }
    ids[i++] = Math.min(49999, Math.floor(Math.exp(next() * Math.log(50000))) - 1);
  }
  return ids;
}


export async function run(lib, { quick = false } = {}) {
  const count = 1_000_000;
  const reps = quick ? 3 : 9;
  const ids = makeIds(count, 12345);
  let sink = 0;
  const floorPass = () => {
    let acc = 0;
    for (let i = 0; i < ids.length; i++) acc = (acc + ids[i]) | 0;
    sink ^= acc;
  };
  const cases = [
    ['metrics: seqRep(ids, 4) over 1M ids', () => { sink += lib.seqRep(ids, 4); }],
    ['metrics: seqRep(ids, 1) over 1M ids', () => { sink += lib.seqRep(ids, 1); }],
    [
      'metrics: RepetitionMonitor.push × 1M (defaults: n 4, window 128, maxPeriod 64)',
      () => {
        const m = new lib.RepetitionMonitor();
        let t = 0;
        for (let i = 0; i < ids.length; i++) if (m.push(ids[i]).triggered) t++;
        sink += t;
      },
    ],
    [
      'metrics: RepetitionMonitor.push × 1M (maxPeriod 16)',
      () => {
        const m = new lib.RepetitionMonitor({ maxPeriod: 16 });
        let t = 0;
        for (let i = 0; i < ids.length; i++) if (m.push(ids[i]).triggered) t++;
        sink += t;
      },
    ],
  ];
  const rows = floorRows(cases, floorPass, reps);
  if (sink === 0.5) console.log(''); // keep the work observable
  return rows;
}
