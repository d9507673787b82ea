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
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, isDeepStrictEqual } from 'node:util';
import ts from 'typescript';

export type BlockMode = 'run' | 'no-run' | 'integration';

export interface DocBlock {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line in `file` of the block's first code line. */
  line: number;
  mode: BlockMode;
  /** The code, with the TSDoc ` * ` prefix removed. */
  code: string;
}

/** A fence whose info string looks like code that would escape the runner (```js, ```typescript …). */
export interface StrayFence {
  file: string;
  line: number;
  info: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*?)\s*$/;
const MODES: Record<string, BlockMode> = { '': 'run', 'no-run': 'no-run', integration: 'integration' };
const CODE_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs', 'typescript', 'tsx', 'jsx', 'mts', 'cts']);

interface Fence {
  line: number; // 0-based index of the first code line in `lines`
  info: string;
  rest: string;
  code: string[];
}

function fences(lines: string[]): Fence[] {
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, marker, info, rest] = open;
    const code: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const t = lines[j].trim();
      if (t.startsWith(marker[0].repeat(marker.length)) && /^[`~]+$/.test(t)) break;
      code.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    out.push({ line: i + 1, info, rest, code });
    i = j;
  }
  return out;
}

function toBlock(file: string, f: Fence, lineOf: (i: number) => number): DocBlock | StrayFence | null {
  if (f.info === 'ts') {
    const mode = Object.hasOwn(MODES, f.rest) ? MODES[f.rest] : null;
    if (mode === null) return { file, line: lineOf(f.line - 1), info: `ts ${f.rest}` };
    return { file, line: lineOf(f.line), mode, code: f.code.join('\n') };
  }
  if (CODE_LANGS.has(f.info.toLowerCase())) return { file, line: lineOf(f.line - 1), info: f.info };
  return null;
}

/** The ```ts blocks of a markdown file. */
export function markdownBlocks(file: string, text: string, stray: StrayFence[] = []): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const f of fences(text.split('\n'))) {
    const b = toBlock(file, f, (i) => i + 1);
    if (b && 'code' in b) blocks.push(b);
    else if (b) stray.push(b);
  }
  return blocks;
}

/** The ```ts blocks inside the `@example` tags of the TSDoc comments of a source file. */
export function tsdocBlocks(file: string, text: string, stray: StrayFence[] = []): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (pos: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const first = lineAt(m.index);
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    for (let tag = 0; tag < lines.length; tag++) {
      if (!/^@example\b/.test(lines[tag].trim())) continue;
      let end = tag + 1;
      let inFence = false;
      for (; end < lines.length; end++) {
        if (/^\s*(`{3,}|~{3,})/.test(lines[end])) inFence = !inFence;
        else if (!inFence && /^@\w/.test(lines[end].trim())) break;
      }
      const found = fences(lines.slice(tag, end));
      if (found.length === 0) stray.push({ file, line: first + tag, info: '@example without a ```ts block' });
      for (const f of found) {
        const b = toBlock(file, f, (i) => first + tag + i);
        if (b && 'code' in b) blocks.push(b);
        else if (b) stray.push(b);
      }
      tag = end - 1;
    }
  }
  return blocks;
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

/** Every doc block of the project at `root`: README.md, docs/**\/*.md, src/**\/*.ts. */
export function collectDocBlocks(root: string): { blocks: DocBlock[]; stray: StrayFence[] } {
  const stray: StrayFence[] = [];
  const blocks: DocBlock[] = [];
  const md = [join(root, 'README.md'), ...walk(join(root, 'docs'), '.md')];
  for (const p of md) blocks.push(...markdownBlocks(relative(root, p), readFileSync(p, 'utf8'), stray));
  for (const p of walk(join(root, 'src'), '.ts')) {
    blocks.push(...tsdocBlocks(relative(root, p), readFileSync(p, 'utf8'), stray));
  }
  return { blocks, stray };
}

// ---------------------------------------------------------------------------------------------
// Compiling a block

/** An error located in a doc (file:line first, so a failure points at the doc). */
export class DocError extends Error {
  override name = 'DocError';
}

const ARROW = /\/\/\s*→/;
const THROWS = /\/\/\s*throws\s+[A-Z][\w$]*\s*(?::|$)/;

interface Marker {
  kind: 'value' | 'throws';
  value: string; // VALUE text, or the class name
  text: string; // message part for throws
}

function markerAfter(source: string, pos: number): Marker | null {
  for (const c of ts.getTrailingCommentRanges(source, pos) ?? []) {
    if (c.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const body = source.slice(c.pos, c.end);
    let m = /^\/\/\s*→\s?(.*)$/.exec(body);
    if (m) return { kind: 'value', value: m[1].trim(), text: '' };
    m = /^\/\/\s*throws\s+([A-Z][\w$]*)\s*(?::\s*(.*))?$/.exec(body);
    if (m) return { kind: 'throws', value: m[1], text: (m[2] ?? '').trim() };
  }
  return null;
}

function syntaxErrors(code: string, fileName: string): readonly ts.Diagnostic[] {
  const out = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return out.diagnostics ?? [];
}

function describeDiagnostic(d: ts.Diagnostic): { line: number; text: string } {
  const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
  return { line, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
}

/**
 * The expected VALUE as code building a matcher: numeric literals (also inside array and object
 * literals) become `__dg.num(value, 'text')`, so that they compare at the precision written; any
 * other expression is kept as written and compared exactly.
 */
function valueSpec(valueText: string): string {
  const sf = ts.createSourceFile('value.ts', `(${valueText}\n)`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  const stmt = sf.statements[0];
  if (diags.length > 0 || sf.statements.length !== 1 || !ts.isExpressionStatement(stmt)) {
    throw new Error(`'${valueText}' is not a JS expression`);
  }
  const src = sf.text;
  const emit = (node: ts.Expression): string => {
    if (ts.isParenthesizedExpression(node)) return `(${emit(node.expression)})`;
    if (ts.isNumericLiteral(node)) return `__dg.num(${node.getText()}, ${JSON.stringify(node.getText())})`;
    if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
      const op = node.operator === ts.SyntaxKind.MinusToken ? '-' : node.operator === ts.SyntaxKind.PlusToken ? '+' : null;
      if (op) return `__dg.num(${op}${node.operand.getText()}, ${JSON.stringify(op + node.operand.getText())})`;
    }
    if (ts.isArrayLiteralExpression(node)) {
      return `[${node.elements.map((e) => (ts.isOmittedExpression(e) ? '' : emit(e))).join(', ')}]`;
    }
    if (ts.isObjectLiteralExpression(node)) {
      const props = node.properties.map((p) => {
        if (ts.isPropertyAssignment(p)) return `${p.name.getText()}: ${emit(p.initializer)}`;
        return p.getText();
      });
      return `{ ${props.join(', ')} }`;
    }
    return src.slice(node.getStart(), node.end);
  };
  return emit((stmt.expression as ts.ParenthesizedExpression).expression);
}

/** The value a statement checked with `// →` stands for, or null if it has none. */
function checkedExpression(stmt: ts.Statement, id: number): { setup: string; expr: string } | null {
  if (ts.isExpressionStatement(stmt)) {
    const e = stmt.expression;
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      e.expression.expression.getText() === 'console' &&
      e.expression.name.text === 'log'
    ) {
      const args = e.arguments.map((a) => `(${a.getText()})`);
      return { setup: '', expr: args.length === 1 ? args[0] : `[${args.join(', ')}]` };
    }
    return { setup: '', expr: `(${e.getText()})` };
  }
  if (ts.isVariableStatement(stmt) && stmt.declarationList.declarations.length === 1) {
    const d = stmt.declarationList.declarations[0];
    if (ts.isIdentifier(d.name)) return { setup: stmt.getText(), expr: d.name.text };
    if (d.initializer) {
      const keyword = stmt.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
      return {
        setup: `const __value${id} = (${d.initializer.getText()}); ${keyword} ${d.name.getText()} = __value${id};`,
        expr: `__value${id}`,
      };
    }
  }
  return null;
}

/**
 * Compiles a block into the body of an async function of `(__dg, __import, console)`.
 * Throws a DocError naming file:line for a syntax error or a misplaced `// →`.
 */
export function compileBlock(block: DocBlock): string {
  const where = (i: number) => `${block.file}:${block.line + i}`;
  const code = block.code;
  for (const d of syntaxErrors(code, 'block.ts')) {
    const { line, text } = describeDiagnostic(d);
    throw new DocError(`${where(line)}: ${text}`);
  }
  const sf = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const edits: { start: number; end: number; text: string }[] = [];
  const used = new Set<number>();
  let n = 0;
  for (const stmt of sf.statements) {
    const start = stmt.getStart();
    const line = lineOf(start);
    const docLine = block.line + line;
    const marker = markerAfter(code, stmt.end);
    const mark = `__dg.at(${docLine});`;
    if (!marker) {
      edits.push({ start, end: start, text: mark });
      continue;
    }
    const endLine = lineOf(stmt.end);
    used.add(endLine);
    const at = block.line + endLine;
    if (marker.kind === 'throws') {
      const cls = JSON.stringify(marker.value);
      const text = JSON.stringify(marker.text);
      edits.push({ start, end: stmt.end, text: `${mark} await __dg.throws(${at}, ${cls}, ${text}, async () => { ${stmt.getText()} });` });
      continue;
    }
    const id = n++;
    const checked = checkedExpression(stmt, id);
    if (!checked) throw new DocError(`${where(endLine)}: '// →' follows a statement that has no value`);
    let spec: string;
    try {
      spec = valueSpec(marker.value);
    } catch (e) {
      throw new DocError(`${where(endLine)}: ${(e as Error).message}`);
    }
    const text = JSON.stringify(marker.value);
    edits.push({
      start,
      end: stmt.end,
      text: `${mark} ${checked.setup} __dg.check(${at}, ${checked.expr}, () => (${spec}), ${text});`,
    });
  }
  const lines = code.split('\n');
  lines.forEach((l, i) => {
    if ((ARROW.test(l) || THROWS.test(l)) && !used.has(i)) {
      throw new DocError(`${where(i)}: '// →' and '// throws' must end a top-level statement's line`);
    }
  });
  let rewritten = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    rewritten = rewritten.slice(0, e.start) + e.text + rewritten.slice(e.end);
  }
  const out = ts.transpileModule(rewritten, {
    fileName: 'block.ts',
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  for (const d of out.diagnostics ?? []) throw new DocError(`${block.file}:${block.line}: ${describeDiagnostic(d).text}`);
  return '"use strict";\n' + moduleToBody(out.outputText);
}

/** Turns import declarations into `await __import(...)` and drops `export` keywords. */
function moduleToBody(js: string): string {
  const sf = ts.createSourceFile('block.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: { start: number; end: number; text: string }[] = [];
  let k = 0;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const spec = (stmt.moduleSpecifier as ts.StringLiteral).text;
      const ns = `__m${k++}`;
      const names: string[] = [];
      const binds: string[] = [];
      const clause = stmt.importClause;
      if (clause?.name) binds.push(`const ${clause.name.text} = ${ns}.default;`);
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) binds.push(`const ${nb.name.text} = ${ns};`);
      if (nb && ts.isNamedImports(nb)) {
        const parts = nb.elements.map((el) => {
          const imported = (el.propertyName ?? el.name).text;
          names.push(imported);
          return imported === el.name.text ? imported : `${imported}: ${el.name.text}`;
        });
        if (parts.length > 0) binds.push(`const { ${parts.join(', ')} } = ${ns};`);
      }
      const text = `const ${ns} = await __import(${JSON.stringify(spec)}, ${JSON.stringify(names)}); ${binds.join(' ')}`;
      edits.push({ start: stmt.getStart(), end: stmt.end, text });
    } else if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt)) {
      edits.push({ start: stmt.getStart(), end: stmt.end, text: '' });
    } else if (ts.canHaveModifiers(stmt)) {
      for (const m of ts.getModifiers(stmt) ?? []) {
        if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
          edits.push({ start: m.getStart(), end: m.end, text: '' });
        }
      }
    }
  }
  let body = js;
  for (const e of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Comparing values

/** A number written in a `// →` value: it matches at the precision written. */
export class WrittenNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}

  /** Half a unit of the last written digit; 0 (exact) for an integer written without '.' or 'e'. */
  get tolerance(): number {
    const m = /^[-+]?(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(this.text.replace(/_/g, ''));
    if (!m || (m[2] === undefined && m[3] === undefined)) return 0;
    return 0.5 * 10 ** (Number(m[3] ?? 0) - (m[2] ?? '').length);
  }
}

function isArrayish(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Null when `actual` matches `expected`, else where and how it differs. */
export function mismatch(actual: unknown, expected: unknown, path = ''): string | null {
  const here = path || 'value';
  if (expected instanceof WrittenNumber) {
    if (typeof actual !== 'number') return `${here}: expected a number ${expected.text}, got ${show(actual)}`;
    const tol = expected.tolerance;
    const ok =
      tol === 0
        ? actual === expected.value
        : Math.abs(actual - expected.value) <= tol * (1 + 1e-9) + Math.abs(expected.value) * 1e-15;
    return ok ? null : `${here}: expected ${expected.text}${tol ? ` (± ${tol})` : ''}, got ${show(actual)}`;
  }
  if (isArrayish(expected)) {
    if (!isArrayish(actual)) return `${here}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) {
      return `${here}: expected length ${expected.length}, got length ${actual.length}: ${show(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = mismatch(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected instanceof Map) {
    if (!(actual instanceof Map)) return `${here}: expected a Map, got ${show(actual)}`;
    if (actual.size !== expected.size) return `${here}: expected ${expected.size} entries, got ${show(actual)}`;
    for (const [k, v] of expected) {
      if (!actual.has(k)) return `${here}: missing key ${show(k)} in ${show(actual)}`;
      const d = mismatch(actual.get(k), v, `${path}.get(${show(k)})`);
      if (d) return d;
    }
    return null;
  }
  if (expected instanceof Set) {
    if (!(actual instanceof Set) || actual.size !== expected.size || [...expected].some((v) => !actual.has(v))) {
      return `${here}: expected ${show(expected)}, got ${show(actual)}`;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    const proto = Object.getPrototypeOf(expected);
    if (proto === Object.prototype || proto === null) {
      if (actual === null || typeof actual !== 'object') return `${here}: expected an object, got ${show(actual)}`;
      const ek = Object.keys(expected).sort();
      const ak = Object.keys(actual).sort();
      if (ek.join('\0') !== ak.join('\0')) return `${here}: expected keys [${ek}], got keys [${ak}]`;
      for (const key of ek) {
        const d = mismatch((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
        if (d) return d;
      }
      return null;
    }
    return isDeepStrictEqual(actual, expected) ? null : `${here}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return null;
  return `${here}: expected ${show(expected)}, got ${show(actual)}`;
}

function show(x: unknown): string {
  return inspect(x, { depth: 4, maxArrayLength: 40, breakLength: Infinity });
}

// ---------------------------------------------------------------------------------------------
// Running a block

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

// ---------------------------------------------------------------------------------------------
// The project's blocks and how their imports resolve

/** The repository root (two levels above this file). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
  if (specifier === 'degen-guard') return (await import('../../src/index.js')) as Record<string, unknown>;
  if (specifier.startsWith('degen-guard/')) {
    const file = subpathSource(specifier.slice('degen-guard/'.length));
    if (!file) throw new Error(`'${specifier}' has no source file under src/integrations/`);
    return (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  }
  return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
};
