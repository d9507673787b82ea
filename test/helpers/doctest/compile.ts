/**
 * Compiling a doc block into the body of an async function: types stripped (TypeScript's
 * transpileModule), `// →` and `// throws` statements rewritten into checks, imports into
 * `await __import(...)`.
 */
import ts from 'typescript';
import type { DocBlock } from './extract.js';

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
