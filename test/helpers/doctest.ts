/**
 * Docs are tests: the code blocks of README.md, docs/**\/*.md and the TSDoc `@example`s of src/ are
 * extracted, compiled and run, each on its own as an async module body.
 *
 * Convention (what a block may contain):
 * - ```ts blocks run; ```ts no-run blocks are only compiled; ```ts integration blocks are compiled
 *   here and run by the integration suite (they need transformers.js and a real model).
 * - `import { a, b } from 'degen-guard'` (or a subpath such as 'degen-guard/transformers-js')
 *   resolves to src/; every imported name must exist.
 * - `STATEMENT; // → VALUE` on a top-level statement: the statement's value (the expression, the
 *   argument of `console.log(...)`, or the variable a single declaration binds) must deep-equal
 *   VALUE, a JS expression. Numbers written in VALUE compare at the precision written (`0.665`
 *   matches 0.66524; an integer matches exactly); typed arrays compare as plain arrays.
 * - `STATEMENT; // throws Class: text`: the statement must throw (or reject with) an instance of
 *   Class whose message contains text.
 * - The ```ts blocks that run also type-check against src/ (strict TypeScript; doctest-types.test.ts).
 */
export { collectDocBlocks, markdownBlocks, tsdocBlocks, type BlockMode, type DocBlock, type StrayFence } from './doctest/extract.js';
export { compileBlock, DocError } from './doctest/compile.js';
export { mismatch, WrittenNumber } from './doctest/compare.js';
export { runBlock, type ModuleResolver } from './doctest/run.js';
export { typecheckBlocks } from './doctest/typecheck.js';
export { integrationBlocks, projectDocBlocks, repoRoot, resolveFromSrc, subpathSource } from './doctest/project.js';
