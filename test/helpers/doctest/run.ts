/** Running a compiled doc block and reporting failures at the doc's file:line. */
import { compileBlock, DocError } from './compile.js';
import { mismatch, show, WrittenNumber } from './compare.js';
import type { DocBlock } from './extract.js';

/** Maps an import specifier of `block` to a module namespace. */
export type ModuleResolver = (specifier: string, block: DocBlock) => Promise<Record<string, unknown>>;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

/** A console for blocks: output is collected, not printed. */
function quietConsole(): Console {
  const sink = () => {};
  return Object.assign(Object.create(console), { log: sink, info: sink, warn: sink, error: sink, debug: sink });
}

/**
 * Runs one block. `resolve` maps an import specifier to a module namespace. Resolves when every
 * `// →` and `// throws` holds; rejects with a DocError naming file:line otherwise.
 */
export async function runBlock(block: DocBlock, resolve: ModuleResolver): Promise<void> {
  const body = compileBlock(block);
  let line = block.line;
  const dg = {
    at(n: number) {
      line = n;
    },
    num(value: number, text: string) {
      return new WrittenNumber(value, text);
    },
    check(n: number, actual: unknown, expected: () => unknown, text: string) {
      line = n;
      const d = mismatch(actual, expected());
      if (d) throw new DocError(`${block.file}:${n}: // → ${text}\n  ${d}\n  actual: ${show(actual)}`);
    },
    async throws(n: number, cls: string, text: string, fn: () => Promise<void>) {
      line = n;
      try {
        await fn();
      } catch (e) {
        const names: string[] = [];
        for (let p = e === null || e === undefined ? null : Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) {
          names.push(p.constructor?.name);
        }
        const message = e instanceof Error ? e.message : String(e);
        if (!names.includes(cls)) {
          throw new DocError(`${block.file}:${n}: expected ${cls}, got ${names[0] ?? typeof e}: ${message}`);
        }
        if (!message.includes(text)) {
          throw new DocError(`${block.file}:${n}: expected the message to contain '${text}', got '${message}'`);
        }
        return;
      }
      throw new DocError(`${block.file}:${n}: expected ${cls}${text ? `: ${text}` : ''}, but nothing was thrown`);
    },
  };
  const importer = async (specifier: string, names: string[]) => {
    const mod = await resolve(specifier, block);
    for (const name of names) {
      if (!(name in mod)) throw new DocError(`${block.file}:${line}: '${specifier}' has no export '${name}'`);
    }
    return mod;
  };
  const fn = new AsyncFunction('__dg', '__import', 'console', body);
  try {
    await fn(dg, importer, quietConsole());
  } catch (e) {
    if (e instanceof DocError) throw e;
    const err = new DocError(`${block.file}:${line}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    (err as Error & { cause?: unknown }).cause = e;
    throw err;
  }
}
