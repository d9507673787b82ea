/** This repository's doc blocks, and how their imports resolve to src/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectDocBlocks, type DocBlock, type StrayFence } from './extract.js';
import type { ModuleResolver } from './run.js';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let cached: { blocks: DocBlock[]; stray: StrayFence[] } | undefined;

/** Every doc block of this repository (README.md, docs/, src/), read once. */
export function projectDocBlocks(): { blocks: DocBlock[]; stray: StrayFence[] } {
  cached ??= collectDocBlocks(repoRoot);
  return cached;
}

/** The ```ts integration blocks: run by the integration suite, with transformers.js and a model. */
export function integrationBlocks(): DocBlock[] {
  return projectDocBlocks().blocks.filter((b) => b.mode === 'integration');
}

/** The source file a `degen-guard/<name>` subpath resolves to, or null when it does not exist yet. */
export function subpathSource(name: string): string | null {
  for (const p of [join('src', 'integrations', name, 'index.ts'), join('src', 'integrations', `${name}.ts`)]) {
    if (existsSync(join(repoRoot, p))) return join(repoRoot, p);
  }
  return null;
}

/**
 * Resolves 'degen-guard' to src/index.ts and 'degen-guard/<name>' to src/integrations/<name>
 * (an error when that file does not exist); a relative specifier ('./exp-blocks.js', for the
 * @example of a function that is not exported from the package) against the block's file; any other
 * specifier is imported as it is.
 */
export const resolveFromSrc: ModuleResolver = async (specifier, block) => {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const js = join(repoRoot, dirname(block.file), specifier);
    const file = js.endsWith('.js') && existsSync(js.replace(/\.js$/, '.ts')) ? js.replace(/\.js$/, '.ts') : js;
    return (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  }
  if (specifier === 'degen-guard') return (await import('../../../src/index.js')) as Record<string, unknown>;
  if (specifier.startsWith('degen-guard/')) {
    const file = subpathSource(specifier.slice('degen-guard/'.length));
    if (!file) throw new Error(`'${specifier}' has no source file under src/integrations/`);
    return (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  }
  return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
};
