/**
 * The `degen-guard` command: dispatches to its subcommands.
 *
 *   degen-guard metrics [options] FILE   repetition metrics of a file of continuations
 *   degen-guard demo …                   the strategy table (see `degen-guard demo --help`)
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runMetrics, type CliIo } from './metrics-command.js';

export const HELP = `Usage: degen-guard <command> [options]

Commands:
  metrics FILE   repetition metrics (seq-rep-n, uniq-seq, distinct-n, rep-n, diversity) of a
                 file of continuations; see 'degen-guard metrics --help'
  demo           the strategy table on the bundled demo model, or on a transformers.js
                 model folder with --model DIR; see 'degen-guard demo --help'

Options:
  -h, --help     this help
  -v, --version  the version
`;

/** The package version, read from package.json next to the source or the bundle. */
export function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8'));
      if (pkg && pkg.name === 'degen-guard' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* try the next place */
    }
  }
  return 'unknown';
}

/** Runs the command line `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io[command === undefined ? 'stderr' : 'stdout'].write(HELP);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      io.stdout.write(`${version()}\n`);
      return 0;
    case 'metrics':
      return runMetrics(rest, io);
    case 'demo': {
      const demo = await import('./demo.js'); // loaded only when asked for
      return demo.runDemo(rest, io);
    }
    default:
      io.stderr.write(`degen-guard: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
      return 2;
  }
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`degen-guard: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
