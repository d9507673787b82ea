// The doc blocks that run (test/doctest.test.ts) also type-check against src/ in strict TypeScript,
// so an example cannot drift from the types either.
import { describe, expect, it } from 'vitest';
import { projectDocBlocks, repoRoot, typecheckBlocks, type DocBlock } from './helpers/doctest.js';

describe('doc blocks type-check', () => {
  it('every block that runs type-checks against src/ (strict); a planted type error is reported at its doc line', () => {
    const planted: DocBlock = { file: 'planted.md', line: 5, mode: 'run', code: "import { topK } from 'degen-guard';\nconst p = topK(2);\nconst m: number = p;" };
    const blocks = projectDocBlocks().blocks.filter((b) => b.mode === 'run');
    const errors = typecheckBlocks([...blocks, planted], repoRoot);
    expect(errors).toEqual([expect.stringMatching(/^planted\.md:7: Type '.*' is not assignable to type 'number'/)]);
  });
});
