// A measurement, not library code: logSoftmax at V = 128,256 with its three passes in a WebAssembly
// SIMD module (log-softmax.wat, compiled here by wabt), against the library's logSoftmax() and the
// bench's max-pass floor (its own loop, from bench/cases/build.mjs), on the bench's LM-shaped rows,
// in one process, CPU time (process.cpuUsage).
// The wasm route pays a copy of the row into the module's memory and one back.
//
//   npm run bench:wasm-probe        (builds dist/, installs wabt here, runs this)
//
// It prints the cells where the two routes differ, then per round: the floor, the copy, the library's
// logSoftmax, the wasm route (copies included), and the wasm passes one by one.

import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { maxPass } from '../cases/build.mjs';
import { makeInputs } from '../cases/inputs.mjs';

const lib = await import(process.env.DEGEN_GUARD_LIB ?? new URL('../../dist/index.js', import.meta.url).href);
const V = 128256;
const ROUNDS = 5;
const wabt = await wabtInit();
const wat = readFileSync(new URL('./log-softmax.wat', import.meta.url), 'utf8');
const { buffer } = wabt.parseWat('log-softmax.wat', wat, { simd: true }).toBinary({});
const { mem, maxOf, sumExp, write } = new WebAssembly.Instance(new WebAssembly.Module(buffer), {}).exports;
if (mem.buffer.byteLength < 4 * V) throw new Error('the module memory is too small for the row');
const view = new Float32Array(mem.buffer, 0, V);
const rows = makeInputs(V, []).rows;

function wasmLogSoftmax(x) {
  view.set(x);
  const m = maxOf(V);
  const L = Math.fround(Math.log(Math.fround(sumExp(V, m))));
  write(V, m, L);
  x.set(view);
}
const libLogSoftmax = lib.logSoftmax();


// the two routes, cell by cell (float32 units in the last place between them)
let differ = 0;
let maxUlp = 0;
const ulp = (v) => {
  const b = new Float32Array([Math.abs(v)]);
  const i = new Int32Array(b.buffer);
  i[0]++;
  return b[0] - Math.abs(v);
};
for (const r of rows) {
  const a = Float32Array.from(r);
  libLogSoftmax(a);
  const b = Float32Array.from(r);
  wasmLogSoftmax(b);
  for (let i = 0; i < V; i++) {
    if (a[i] !== b[i]) {
      differ++;
      maxUlp = Math.max(maxUlp, Math.abs(a[i] - b[i]) / ulp(a[i]));
    }
  }
}
console.log(`wasm module: ${buffer.length} B; cells where the routes differ: ${differ} of ${rows.length * V} (at most ${maxUlp.toFixed(1)} ulp)`);

const work = new Float32Array(V);
let sink = 0;
function cpu(fn, reps) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn(i);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / reps;
}
const copy = (i) => work.set(rows[i & 7]);
console.log('| round | floor µs | copy µs | library logSoftmax | wasm route | wasm max | wasm Σexp | wasm write |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (let round = 1; round <= ROUNDS; round++) {
  const fl = cpu((i) => { sink += maxPass(rows[i & 7]); }, 2000);
  const cp = cpu(copy, 2000);
  const js = cpu((i) => { copy(i); libLogSoftmax(work); }, 1000) - cp;
  const wa = cpu((i) => { copy(i); wasmLogSoftmax(work); }, 1000) - cp;
  view.set(rows[round & 7]);
  const m = maxOf(V);
  const mx = cpu(() => { sink += maxOf(V); }, 2000);
  const se = cpu(() => { sink += sumExp(V, m); }, 2000);
  const wr = cpu(() => write(V, 0, 0), 2000);
  const x = (t) => `${t.toFixed(0)} µs (${(t / fl).toFixed(2)}×)`;
  console.log(`| ${round} | ${fl.toFixed(0)} | ${cp.toFixed(0)} | ${x(js)} | ${x(wa)} | ${x(mx)} | ${x(se)} | ${x(wr)} |`);
}
if (sink === 0.5) console.log('');
