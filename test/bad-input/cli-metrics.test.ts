/**
 * `degen-guard metrics` on input it cannot score: a clear message and a non-zero exit, never an
 * empty table; and a very long line is streamed (checked in a child process with a small heap).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { meanSeqRep, splitWords } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'degen-guard-bad-input-'));
const root = join(__dirname, '..', '..');

async function run(argv: string[], stdin: string | Buffer = '') {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdin: Readable.from([stdin]),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
  });
  return { code, out, err };
}

function file(name: string, content: string | Buffer) {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('degen-guard metrics: input that cannot be scored', () => {
  it('an empty file: exit 1, "nothing to score"', async () => {
    const r = await run(['metrics', file('empty.txt', '')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing to score: the file is empty/);
    expect(r.out).toBe('');
  });
  it('blank lines only: exit 1', async () => {
    const r = await run(['metrics', file('blank.txt', '\n  \n\t\n')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/only blank lines \(3\)/);
  });
  it('a binary file (an ELF header with NUL bytes; /bin/ls when present): exit 1, "binary"', async () => {
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0x0a, 0x41, 0x42, 0x0a, 0x43]);
    for (const p of [file('prog.bin', elf), ...(existsSync('/bin/ls') ? ['/bin/ls'] : [])]) {
      const r = await run(['metrics', '--json', p]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/binary data \(a NUL byte at byte \d+\)/);
      expect(r.out).toBe('');
    }
  });
  it('UTF-16 text, with a byte order mark and without: exit 1, "UTF-16"', async () => {
    const text = 'hello world\nthe cat sat\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [['le.txt', le], ['be.txt', be], ['nobom.txt', Buffer.from(text, 'utf16le')]] as const) {
      const r = await run(['metrics', file(name, bytes)]);
      expect(r.code, name).toBe(1);
      expect(r.err).toMatch(/UTF-16.*not UTF-8/);
    }
  });
  it('invalid UTF-8 (Latin-1 text): exit 1', async () => {
    const r = await run(['metrics', file('latin1.txt', Buffer.from('caf\xe9 au lait\n', 'latin1'))]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not UTF-8 text/);
  });
  it('JSONL whose every line is malformed: exit 1, each line reported', async () => {
    const p = file('bad.jsonl', '{"text": 1}\n{not json\n{"x": 2}\n\n');
    const r = await run(['metrics', p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.jsonl:1: malformed line skipped/);
    expect(r.err).toMatch(/nothing to score: every non-blank line \(3\) is malformed/);
    expect(r.out).toBe('');
  });
  it('stdin with a NUL character: exit 1', async () => {
    const r = await run(['metrics', '-'], 'a b\0c\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/binary/);
  });
  it('--pad-id with text lines is a usage error (exit 2)', async () => {
    const r = await run(['metrics', '--pad-id', '1', file('t.txt', 'a b c\n')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pad-id applies to token ids/);
  });
  it('a file with some good lines still scores (exit 0), malformed ones reported', async () => {
    const r = await run(['metrics', '--json', file('mixed.jsonl', '{"text": "a b a b"}\n{oops\n')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).malformedLines).toBe(1);
  });
});

describe('degen-guard metrics: a very long line is streamed', () => {
  it('a 1 MB line scores exactly as the library on its words, across chunk boundaries and CRLF', async () => {
    const words = Array.from({ length: 150_000 }, (_, i) => `w${(i * 7919) % 4000}`);
    const line = words.join(' \u3000 ');
    const p = file('long.txt', `${line}\r\nshort line here\r\n\r\n${line}`);
    const r = await run(['metrics', '--json', p]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const seqs = [splitWords(line), splitWords('short line here'), splitWords(line)];
    expect(j.sequences).toBe(3);
    expect(j.blankLines).toBe(1);
    expect(j.tokens).toBe(300_003);
    for (let n = 1; n <= 4; n++) expect(j[`seq-rep-${n}`]).toBe(meanSeqRep(seqs, n));
  });

  it('an 18 MB line fits in a 32 MB heap (a child process running the command)', () => {
    const bundle = join(dir, 'metrics-command.mjs');
    buildSync({ entryPoints: [join(root, 'src/cli/metrics-command.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
    const big = file('big.txt', 'the cat sat on the mat and then it sat again '.repeat(400_000) + '\n');
    const script = `const { runMetrics } = await import(${JSON.stringify(bundle)});
process.exitCode = await runMetrics(['--json', ${JSON.stringify(big)}], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });`;
    const child = spawnSync(process.execPath, ['--max-old-space-size=32', '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(child.status, child.stderr.slice(0, 500)).toBe(0);
    const j = JSON.parse(child.stdout);
    expect(j.sequences).toBe(1);
    expect(j.tokens).toBe(4_400_000);
    expect(j['uniq-seq']).toBe(9);
  });
});

describe('degen-guard metrics: unknown flags', () => {
  it('an unknown or snake_case flag is a usage error that suggests the valid one', async () => {
    const p = file('ok.txt', 'a b c\n');
    const r = await run(['metrics', '--pad_id', '3', p]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option --pad_id \(did you mean --pad-id\?\)/);
    expect((await run(['metrics', '--distinct-mod=pooled', p])).err).toMatch(/did you mean --distinct-mode\?/);
    expect((await run(['metrics', '--frobnicate', p])).err).toMatch(/unknown option --frobnicate\n/);
  });
});
