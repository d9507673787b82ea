import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { distinct } from '../../src/metrics/distinct.js';
import { meanSeqRep, uniqSeq } from '../../src/metrics/seq-rep.js';
import { simctgMetrics } from '../../src/metrics/simctg.js';
import { splitWords } from '../../src/metrics/split-words.js';

const dir = mkdtempSync(join(tmpdir(), 'degen-guard-cli-'));
const root = join(__dirname, '..', '..');

async function run(argv: string[], stdin = '', tty = false) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdin: Readable.from([stdin]),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: tty },
  });
  return { code, out, err };
}

function file(name: string, text: string) {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('degen-guard metrics', () => {
  it('plain text: JSON output equals the library functions on the same words', async () => {
    const lines = ['the cat sat on the mat the cat sat on the mat', '', 'a b c d e f g', 'x y', 'one two one two one two'];
    const p = file('plain.txt', lines.join('\n') + '\n');
    const { code, out, err } = await run(['metrics', '--json', p]);
    expect(code).toBe(0);
    expect(err).toBe('');
    const r = JSON.parse(out);
    const seqs = lines.filter((l) => l.trim()).map(splitWords);
    expect(r.format).toBe('text');
    expect(r.sequences).toBe(4);
    expect(r.blankLines).toBe(1);
    expect(r.malformedLines).toBe(0);
    for (let n = 1; n <= 4; n++) {
      expect(r[`seq-rep-${n}`]).toBe(meanSeqRep(seqs, n));
      expect(r[`distinct-${n}`]).toBeCloseTo(distinct(seqs, n), 12);
    }
    expect(r['seq-rep-counted']).toEqual([4, 4, 3, 3]);
    expect(r['uniq-seq']).toBe(uniqSeq(seqs));
    const m = simctgMetrics(lines.filter((l) => l.trim()));
    expect([r['rep-2'], r['rep-3'], r['rep-4']]).toEqual([m.rep2, m.rep3, m.rep4]);
    expect(r.diversity).toBe(m.diversity);
  });

  it('--simctg-compat and --distinct-mode reach the metrics', async () => {
    const p = file('compat.txt', 'hello world hello world hello world\n');
    const r = JSON.parse((await run(['metrics', '--json', '--simctg-compat', '--distinct-mode', 'ratio', p])).out);
    expect([r['rep-2'], r['rep-3'], r['rep-4']]).toEqual([50, 33.33, 0]);
    expect(r['distinct-mode']).toBe('ratio');
    expect(r['distinct-2']).toBe(2 / 5);
  });

  it('prints a table with every metric', async () => {
    const { code, out } = await run(['metrics', join(root, 'data', 'kjv-genesis.txt')]);
    expect(code).toBe(0);
    for (const name of ['seq-rep-1', 'seq-rep-4', 'uniq-seq', 'distinct-1', 'distinct-4', 'rep-2', 'rep-4', 'diversity']) {
      expect(out).toMatch(new RegExp(`^${name} +\\S+`, 'm'));
    }
    expect(out).toMatch(/^sequences +1533 /m);
  });

  it('JSONL from stdin: malformed lines are reported with their line numbers, counted and skipped', async () => {
    const input = ['{"tokens":[1,2,3,1,2,3]}', '{"tokens":[1,"x"]}', '', 'not json', '{"text":"a b"}', '{"tokens":[4,5,6,7]}', '[1,2]', '{"other":1}'].join('\n');
    const { code, out, err } = await run(['metrics', '--json', '-'], input);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.format).toBe('jsonl');
    expect(r.sequences).toBe(2);
    expect(r.blankLines).toBe(1);
    expect(r.malformedLines).toBe(5);
    expect(r.errors.map((e: { line: number }) => e.line)).toEqual([2, 4, 5, 7, 8]);
    expect(err).toMatch(/-:2: malformed line skipped/);
    expect(err).toMatch(/-:4: malformed line skipped: not valid JSON/);
    expect(err).toMatch(/-:5: .*do not mix words and token ids/);
    expect(err).toMatch(/-:8: .*neither "text" nor "tokens"/);
    expect(r['uniq-seq']).toBe(7);
  });

  it('--strict fails on the first malformed line', async () => {
    const { code, out, err } = await run(['metrics', '--strict', '-'], '{"tokens":[1,2]}\n{"tokens":[1.5]}\n');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/-:2: malformed line: .*--strict/);
  });

  it('progress goes to stderr only with --progress or a terminal', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `w${i % 7} w${i % 5} w${i % 3}`).join('\n');
    const p = file('big.txt', body);
    expect((await run(['metrics', p])).err).toBe('');
    expect((await run(['metrics', '--progress', p])).err).toMatch(/3,000 lines/);
    expect((await run(['metrics', p], '', true)).err).toMatch(/lines, .* MB \(100%\)/);
    expect((await run(['metrics', '--no-progress', p], '', true)).err).toBe('');
  });

  it('usage errors exit 2 and name the problem; --help, --version', async () => {
    expect((await run(['metrics'])).code).toBe(2);
    expect((await run(['metrics'])).err).toMatch(/missing FILE/);
    expect((await run(['metrics', '--format', 'csv', 'x'])).err).toMatch(/--format must be one of/);
    expect((await run(['metrics', '--bogus', 'x'])).err).toMatch(/unknown option --bogus/);
    expect((await run(['metrics', join(dir, 'nope.txt')])).err).toMatch(/cannot read/);
    expect((await run(['metrics', '--help'])).out).toMatch(/Usage: degen-guard metrics/);
    expect((await run(['--help'])).out).toMatch(/Commands:/);
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).err).toMatch(/unknown command "frobnicate"/);
    expect((await run(['--version'])).out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
