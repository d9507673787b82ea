// degen-guard vs transformers.js, side by side:  npm run bench:peers -- [--quick] [--json[=file]]
//   [--markdown[=file]] [--vocab=…] [--filter=regex] [--seed=N]
//
// Both run the same specs (bench/cases/specs.mjs) on the same rows and histories, interleaved in the
// same rounds, against the same floors. See docs/benchmarks.md, "Peers".

import { readFileSync, writeFileSync } from 'node:fs';

import { buildCases, libProvider } from '../cases/build.mjs';
import { makeInputs } from '../cases/inputs.mjs';
import { CONTEXTS, MAIN_CTX, specs } from '../cases/specs.mjs';
import { PROFILES, measureGroup, progressLine } from '../harness.mjs';
import { analyseGroup } from '../report.mjs';
import { TARGET_VOCAB, loadLib, meta, parseArgs } from '../run.mjs';
import { PEER, peerProvider } from './provider.mjs';

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const lib = await loadLib();
  const peerVersion = JSON.parse(readFileSync(new URL('./node_modules/@huggingface/transformers/package.json', import.meta.url), 'utf8')).version;
  const profile = opt.quick ? PROFILES.quick : PROFILES.full;
  const progress = progressLine('bench:peers');
  const run = { meta: { ...meta(opt, profile), peer: `${PEER} ${peerVersion}` }, groups: [] };
  const t0 = performance.now();
  const peer = peerProvider();
  for (const vocab of opt.vocabs) {
    const sweep = vocab === TARGET_VOCAB;
    progress.update(`V=${vocab}: generating inputs`, 0, 1);
    const inputs = makeInputs(vocab, sweep ? CONTEXTS : [MAIN_CTX], { seed: opt.seed });
    let list = specs({ sweep });
    if (opt.filter) list = list.filter((s) => opt.filter.test(s.id) || opt.filter.test(s.label));
    const group = `V=${vocab}`;
    const floorsAdded = new Set();
    const ours = buildCases(libProvider(lib), inputs, list, group, { floorsAdded });
    const theirs = buildCases(peer, inputs, list, group, { withFloors: false, floorsAdded });
    const results = await measureGroup([...ours.cases, ...theirs.cases], {
      profile,
      onProgress: (msg, d, t) => progress.update(`V=${vocab} ${msg}`, d, t),
    });
    analyseGroup(results, { checkTargets: false });
    run.groups.push({ vocab, results, skipped: [...ours.skipped, ...theirs.skipped] });
  }
  run.meta.seconds = Math.round((performance.now() - t0) / 1000);
  progress.done();
  const md = sideBySide(run);
  if (opt.json) emit(opt.json, JSON.stringify(run, null, 2) + '\n');
  if (opt.markdown) emit(opt.markdown, md);
  if (!opt.json && !opt.markdown) process.stdout.write(md);
  process.stderr.write(`bench:peers: done in ${run.meta.seconds} s\n`);
}

function fmt(x) {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** One row per spec: our net µs and ratio, theirs, the speed-up, and how the peer did it. */
export function sideBySide(run) {
  const L = [];
  L.push(`# degen-guard vs ${run.meta.peer} (${run.meta.profile})`);
  L.push('');
  L.push(`${run.meta.date} · node ${run.meta.node} · ${run.meta.cpu} · seed ${run.meta.seed} · ${run.meta.rounds} interleaved rounds per case`);
  L.push('');
  L.push('Net µs = median − the restore floor of the case; × floor = net / one plain max pass over the row; speed-up = their net / ours.');
  for (const g of run.groups) {
    L.push('');
    L.push(`## V = ${g.vocab.toLocaleString('en-US')}`);
    L.push('');
    const floor = g.results.find((r) => r.id === 'floor:max');
    L.push(`Floor (max pass): ${fmt(floor?.medianMs * 1000)} µs.`);
    L.push('');
    L.push('| case | degen-guard µs | × floor | transformers.js µs | × floor | speed-up | transformers.js does |');
    L.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    const seen = new Set();
    for (const r of g.results) {
      if (r.floor || seen.has(r.spec)) continue;
      seen.add(r.spec);
      const ours = g.results.find((x) => x.spec === r.spec && !x.provider);
      const theirs = g.results.find((x) => x.spec === r.spec && x.provider === 'peer');
      const skipped = g.skipped.find((s) => s.id === r.spec && s.provider === 'peer');
      const name = r.ctx ? `${r.label} · ctx ${r.ctx}` : r.label;
      const cell = (x) => (!x ? ['—', '—'] : x.error ? [`error: ${x.error.replace(/\|/g, '/')}`, ''] : [fmt(x.netMs * 1000), `${fmt(x.ratio)}×`]);
      const [a, ar] = cell(ours);
      const [b, br] = cell(theirs);
      const speed = ours && theirs && !ours.error && !theirs.error ? `${fmt(theirs.netMs / ours.netMs)}×` : '';
      const how = theirs?.note ?? (skipped ? skipped.reason : theirs ? 'its processor' : '');
      L.push(`| ${name} | ${a} | ${ar} | ${b} | ${br} | ${speed} | ${how} |`);
    }
  }
  return L.join('\n') + '\n';
}

function emit(target, text) {
  if (target === '-') process.stdout.write(text);
  else writeFileSync(target, text);
}

main().catch((e) => {
  process.stderr.write(`\nbench:peers failed: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
