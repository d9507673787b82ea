// README.md's table of public names lists every value the package exports, from 'degen-guard' and
// from 'degen-guard/transformers-js', and names nothing that is not exported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as transformersJs from '../src/integrations/transformers-js/index.js';
import { repoRoot } from './helpers/doctest.js';

/** The identifiers written in code spans of the first column of the "Public names" table. */
function tableNames(): { names: Set<string>; leading: string[] } {
  const md = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = md.indexOf('\n## Public names');
  expect(start, 'a "## Public names" section').toBeGreaterThan(0);
  const end = md.indexOf('\n## ', start + 5);
  const rows = md.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('| `'));
  const names = new Set<string>();
  const leading: string[] = [];
  for (const row of rows) {
    for (const span of row.split('|')[1].matchAll(/`([^`]*)`/g)) {
      const ids = [...span[1].matchAll(/(?:^|[\s,(])([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
      ids.forEach((id) => names.add(id));
      // the name a span starts with (`topP(p, {…})` → topP); a subpath mention is not a name
      if (ids.length > 0 && !span[1].startsWith('degen-guard')) leading.push(ids[0]);
    }
  }
  return { names, leading };
}

describe('README public-name table', () => {
  const { names, leading } = tableNames();
  const exported = new Set([...Object.keys(main), ...Object.keys(transformersJs)]);

  it('names every exported value of degen-guard and degen-guard/transformers-js', () => {
    expect(exported.size).toBeGreaterThan(50);
    expect([...exported].filter((n) => !names.has(n))).toEqual([]);
  });

  it('each name a row starts with is exported (as a value, or as a type for the interface rows)', () => {
    const src = readFileSync(join(repoRoot, 'src', 'index.ts'), 'utf8') + readFileSync(join(repoRoot, 'src', 'integrations', 'transformers-js', 'index.ts'), 'utf8');
    const unknown = leading.filter((n) => !exported.has(n) && !new RegExp(`\\b(type\\s+)?${n}\\b`).test(src));
    expect(unknown).toEqual([]);
  });
});
