// Every ```ts integration block in README.md, docs/**/*.md and the TSDoc @examples of src/ runs on
// the real model, as written, with the doctest runner of the main suite (test/helpers/doctest.ts):
// its `// →` values and `// throws` comments are checked.
import * as transformers from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { integrationBlocks, resolveFromSrc, runBlock, type ModuleResolver } from '../helpers/doctest.js';

// '@huggingface/transformers' is installed in this package, not at the root
const resolve: ModuleResolver = async (specifier, block) =>
  specifier === '@huggingface/transformers' ? (transformers as unknown as Record<string, unknown>) : resolveFromSrc(specifier, block);

const blocks = integrationBlocks();

describe('```ts integration blocks run on the real model', () => {
  it('finds them in README.md, docs/ and src/', () => {
    const where = new Set(blocks.map((b) => b.file.split('/')[0]));
    expect([...where].sort()).toEqual(['README.md', 'docs', 'src']);
  });

  for (const b of blocks) {
    it(`${b.file}:${b.line}`, () => runBlock(b, resolve));
  }
});
