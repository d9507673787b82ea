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
