/**
 * Type-checking doc blocks against src/ (strict), each block as its own module next to the file it
 * documents, with 'degen-guard' mapped to src/index.ts and 'degen-guard/<name>' to
 * src/integrations/<name>. Returns one message per diagnostic, located at the doc's file:line.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { DocBlock } from './extract.js';

export function typecheckBlocks(blocks: readonly DocBlock[], root: string): string[] {
  const virtual = new Map<string, { text: string; block: DocBlock }>();
  blocks.forEach((b, i) => {
    const dir = b.file.startsWith('src/') ? join(root, dirname(b.file)) : root;
    virtual.set(join(dir, `__doc_block_${i}.ts`), { text: `${b.code}\nexport {};\n`, block: b });
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    baseUrl: root,
    paths: { 'degen-guard': ['src/index.ts'], 'degen-guard/*': ['src/integrations/*/index.ts', 'src/integrations/*.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { readFile, fileExists, getSourceFile } = host;
  host.readFile = (f) => virtual.get(f)?.text ?? readFile.call(host, f);
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.getSourceFile = (f, lang, ...rest) =>
    virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!.text, lang) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram([...virtual.keys()], options, host);
  const out: string[] = [];
  for (const [f, { block }] of virtual) {
    const sf = program.getSourceFile(f)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      out.push(`${block.file}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return out;
}
