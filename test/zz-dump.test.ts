import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { projectDocBlocks } from './helpers/doctest.js';
it('dump', () => {
  const { blocks } = projectDocBlocks();
  writeFileSync('/tmp/scratch/blocks.txt', blocks.map((b) => `@@ ${b.file}:${b.line} ${b.mode}\n${b.code}`).join('\n'));
});
