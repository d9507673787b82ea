// docs/cli.md shows the output of `degen-guard metrics data/kjv-genesis.txt`: it must be what the
// command prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { repoRoot } from '../helpers/doctest.js';

it('docs/cli.md: the metrics transcript of data/kjv-genesis.txt is what the command prints', async () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const m = /\$ degen-guard metrics data\/kjv-genesis\.txt\n([\s\S]*?)\n\n\$/.exec(doc);
  expect(m, 'the transcript block').not.toBeNull();
  // run on the absolute path, then print it as the doc's relative one
  const file = join(repoRoot, 'data', 'kjv-genesis.txt');
  let out = '';
  const code = await main(['metrics', file], {
    stdin: Readable.from(['']),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true, isTTY: false },
  } as never);
  expect(code).toBe(0);
  out = out.split(file).join('data/kjv-genesis.txt');
  const norm = (s: string) => s.split('\n').map((l) => l.trimEnd()).filter((l) => l);
  expect(norm(out)).toEqual(norm(m![1]));
});

/** Runs `degen-guard demo ARGS` in process; its stdout. */
async function demoOutput(args: string[]): Promise<string> {
  let out = '';
  const code = await main(['demo', ...args], {
    stdin: Readable.from(['']),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true, isTTY: false },
  } as never);
  expect(code).toBe(0);
  return out;
}

it('docs/decoding.md: the demo table and its sample texts are what `degen-guard demo` prints', async () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'decoding.md'), 'utf8');
  const table = /Measured with `npm run demo` [^\n]*\n\n```\n([\s\S]*?)\n```/.exec(doc);
  const samples = /Sample continuations of the first prompt[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(doc);
  expect(table, 'the table block').not.toBeNull();
  expect(samples, 'the samples block').not.toBeNull();
  const out = await demoOutput([]);
  const norm = (s: string) => s.split('\n').map((l) => l.trimEnd()).filter((l) => l);
  const raw = out.split('\n').map((l) => l.trimEnd());
  const tableLines = norm(table![1]);
  // the table: header, rule and one line per strategy, as printed, up to the blank line after it
  const at = raw.indexOf(tableLines[0]);
  expect(at).toBeGreaterThan(0);
  const end = raw.indexOf('', at);
  expect(raw.slice(at, end)).toEqual(tableLines);
  // every sample text in the doc is printed as written
  const body = norm(out).join('\n');
  for (const block of samples![1].split('\n\n')) expect(body).toContain(norm(block).join('\n'));
  expect(samples![1].split('\n\n')).toHaveLength(tableLines.length - 2);
}, 120_000);

it('docs list the demo ids `--only` takes', async () => {
  const { demoStrategyIds } = await import('../../src/demo/run-demo.js');
  const ids = demoStrategyIds().map((id) => `\`${id}\``).join(', ');
  const flat = (f: string) => readFileSync(join(repoRoot, 'docs', f), 'utf8').replace(/\s*\n\s*/g, ' ');
  expect(flat('cli.md')).toContain(ids);
  expect(flat('decoding.md')).toContain(ids);
});
