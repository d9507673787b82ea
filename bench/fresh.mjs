// Each case in a fresh process: the JIT state left by other cases changes results (docs/benchmarks.md).
//   node bench/fresh.mjs [--filter=regex] [--vocab=128256] [--runs=3] [--full]
// For every case id of bench/cases/specs.mjs that matches, runs `bench/run.mjs --filter=^id$` in a new
// node process (the floors are measured in that process too) `runs` times and prints the median ratio
// to the max floor, beside the in-process ratio of one run of all the matching cases together.
// Needs the built library (npm run build).

import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { specs } from './cases/specs.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? true]; }));
for (const k of Object.keys(args)) if (!['filter', 'vocab', 'runs', 'full'].includes(k)) throw new Error(`unknown option --${k} (filter, vocab, runs, full)`);
const vocab = Number(args.vocab ?? 128256);
const runs = Number(args.runs ?? 3);
const filter = args.filter ? new RegExp(args.filter, 'i') : null;
const runner = fileURLToPath(new URL('./run.mjs', import.meta.url));
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\@]/g, '\\$&');

const ids = specs({ sweep: vocab === 128256 }).map((s) => s.id).filter((id) => !filter || filter.test(id));
if (ids.length === 0) throw new Error('no case matches the filter');

function measure(idList) {
  const out = execFileSync(process.execPath, [runner, ...(args.full ? [] : ['--quick']), `--vocab=${vocab}`, '--no-heap', '--json', `--filter=^(${idList.map(esc).join('|')})$`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 << 20,
  });
  const run = JSON.parse(out);
  const ratios = new Map();
  for (const g of run.groups) for (const r of g.results) if (!r.floor && !r.error) ratios.set(r.spec ?? r.id, { ratio: r.ratio, label: r.label, ctx: r.ctx, target: r.target });
  return ratios;
}

const median = (a) => { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; };
const together = measure(ids);
const rows = [];
for (const id of ids) {
  const rs = [];
  let info = together.get(id);
  for (let i = 0; i < runs; i++) {
    const r = measure([id]).get(id);
    if (r) { rs.push(r.ratio); info ??= r; }
  }
  if (!info) continue;
  rows.push({ id, label: info.label + (info.ctx ? ` · ctx ${info.ctx}` : ''), inProcess: together.get(id)?.ratio, fresh: rs.length ? median(rs) : NaN, target: info.target });
  process.stderr.write(`fresh: ${id} done\n`);
}
const f = (x) => (x === undefined || Number.isNaN(x) ? '—' : `${x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)}×`);
process.stdout.write(`# fresh-process ratios (V = ${vocab.toLocaleString('en')}, ${args.full ? 'full' : 'quick'} profile, median of ${runs} processes)\n\n`);
process.stdout.write(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} · node ${process.versions.node} · ${os.cpus()[0]?.model?.trim()} ×${os.cpus().length} · load ${os.loadavg()[0].toFixed(1)}\n\n`);
process.stdout.write('| case | in one process | fresh process | target |\n| --- | ---: | ---: | ---: |\n');
for (const r of rows) process.stdout.write(`| ${r.label} | ${f(r.inProcess)} | ${f(r.fresh)} | ${r.target ? `≤ ${r.target}×` : ''} |\n`);
