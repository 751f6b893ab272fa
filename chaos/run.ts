/**
 * `npm run chaos [-- --seed N] [--short] [--only part,part] [--keep]`: the reliability campaign. Brings up a stack
 * of its own (free ports, a temporary data dir), runs every part's trials against it, prints one table and writes it
 * to `chaos/results/` (markdown and JSON). Exit 1 when anything was lost or leaked, a trial erred, or a part that
 * allows none had a false failure (see {@link isFatal}); 2 for bad flags; else 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCliCrashes } from './parts/cli-crash';
import { runServerCrashes, runWorkerCrashes } from './parts/crashes';
import { runSecretScan } from './parts/secrets';
import { runSoak } from './parts/soak';
import { runTerminations } from './parts/terminations';
import { startChaosStack, type ChaosStack } from './stack';
import { formatTable, writeResults } from './table';
import type { ChaosOptions, ChaosRow } from './types';

const HELP = `Usage: npm run chaos -- [--seed N] [--short] [--only PARTS] [--out DIR] [--keep]

The reliability campaign (docs/reliability.md): worker crashes, Temporal server crashes, CLI crashes,
terminations, the fault soak at 20% and 40%, hostile platform and input (when their parts exist), and the
secret scan, on a stack of its own. Prints a table and writes it to DIR (default chaos/results):
latest.md, latest.json (latest-short.* with --short), rewritten after every trial.

Exit 1 when a scenario was lost, a resource leaked, a trial erred, or the 20% soak or a termination had a
false failure; false failures of crash trials and of the 40% soak are listed with their cause, not fatal.

  --seed N        seed of every trial (default 1): the same seed draws the same selections and moments
  --short         a few trials per part (what .ci/run runs)
  --only PARTS    comma-separated parts: ${'${PARTS}'}
  --keep          keep the campaign's data dir (logs, Temporal database) for a look afterwards
`;

type StackPart = (stack: ChaosStack, opts: ChaosOptions) => Promise<ChaosRow[]>;

/**
 * Parts against the campaign's stack, in run order: the few-trial parts first, the secret scan after the fault soak
 * (it reads everything the runs left), the twenty worker crashes last.
 */
const STACK_PARTS: Record<string, StackPart> = {
  'server-crash': runServerCrashes,
  'cli-crash': runCliCrashes,
  termination: runTerminations,
  soak: runSoak,
  secrets: async (stack, opts) => [await runSecretScan(stack, opts)],
  'worker-crash': runWorkerCrashes,
};

/** Parts of other modules that bring their own setup: `chaos/parts/<name>.ts` exporting `run(opts)`. */
const MODULE_PARTS = ['hostile-platform', 'hostile-input'];

const PARTS = [...Object.keys(STACK_PARTS), ...MODULE_PARTS];

/**
 * Parts whose false failures are reported with their cause but do not fail the campaign: a crash's outage is real
 * time the compressed clock does not compress (docs/reliability.md), and 40 % faults may exhaust a deadline.
 * Anything lost or leaked, an error, or a false failure elsewhere (the 20 % soak, terminations) fails it.
 */
const TOLERATES_FALSE_FAILURES = new Set(['worker-crash', 'server-crash', 'cli-crash', 'soak-40']);

/** Whether a row fails the campaign (exit 1). */
export function isFatal(row: ChaosRow): boolean {
  if (row.outcome === 'false-failure') return !TOLERATES_FALSE_FAILURES.has(row.part);
  return row.outcome !== 'ok';
}

/** Parses the flags; throws a TypeError naming the bad value. */
export function parseChaosFlags(argv: string[]): {
  seed: number;
  short: boolean;
  only: string[];
  out: string;
  keep: boolean;
  help: boolean;
} {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      short: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new TypeError(`--seed must be an integer 0-2147483647, got '${values.seed}'`);
  }
  const only = values.only ? values.only.split(',').map((p) => p.trim()) : PARTS;
  const unknown = only.filter((p) => !PARTS.includes(p));
  if (unknown.length) throw new TypeError(`--only: unknown part '${unknown[0]}' (parts: ${PARTS.join(', ')})`);
  return {
    seed,
    short: values.short === true,
    only,
    out: path.resolve(values.out ?? path.join(__dirname, 'results')),
    keep: values.keep === true,
    help: values.help === true,
  };
}

/** A module part, or undefined when this checkout does not have it yet. */
async function loadModulePart(name: string): Promise<((o: ChaosOptions) => Promise<ChaosRow[]>) | undefined> {
  const file = path.join(__dirname, 'parts', `${name}.ts`);
  if (!fs.existsSync(file)) return undefined;
  return ((await import(file)) as { run: (o: ChaosOptions) => Promise<ChaosRow[]> }).run;
}

async function main(argv: string[]): Promise<number> {
  let flags: ReturnType<typeof parseChaosFlags>;
  try {
    flags = parseChaosFlags(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP.replace('${PARTS}', PARTS.join(', ')));
    return 0;
  }
  const t0 = Date.now();
  // Trials await child processes' events; should one never come, Node must not quietly exit and leave the stack up.
  const keepAlive = setInterval(() => undefined, 60_000);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-chaos-'));
  const log = (line: string): void => {
    process.stderr.write(`[chaos ${Math.round((Date.now() - t0) / 1000)}s] ${line}\n`);
  };
  const opts: ChaosOptions = { seed: flags.seed, short: flags.short, workDir, log };
  const rows: ChaosRow[] = [];
  // The results file is rewritten after every part, so a campaign stopped early still leaves what it measured.
  let pending: ChaosRow[] = [];
  const save = (done: boolean): string[] => {
    const minutes = (Date.now() - t0) / 60_000;
    const meta = { seed: flags.seed, short: flags.short, minutes, done };
    const all = [...rows, ...pending];
    return writeResults(flags.out, all, { ...meta, table: formatTable(all, meta) });
  };
  opts.onRow = (row) => {
    pending.push(row);
    save(false);
  };
  const record = (part: string, fn: () => Promise<ChaosRow[]>) => async (): Promise<void> => {
    try {
      const got = await fn();
      pending = [];
      rows.push(...got);
      save(false);
    } catch (err) {
      rows.push(...pending);
      pending = [];
      const detail = (err as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(err);
      log(`${part}: error ${detail}`);
      rows.push({
        part,
        trial: '-',
        seed: flags.seed,
        outcome: 'error',
        lost: 0,
        leaked: 0,
        falseFailures: [],
        detail,
      });
    }
  };
  const stackParts = flags.only.filter((p) => p in STACK_PARTS);
  if (stackParts.length) {
    log(`bringing up the campaign's stack in ${workDir}`);
    const stack = await startChaosStack({ dataDir: path.join(workDir, 'stack'), timeScale: 0.02, log });
    try {
      for (const part of stackParts) await record(part, () => STACK_PARTS[part]!(stack, opts))();
    } finally {
      await stack.stop().catch((err: unknown) => log(`stack down: ${(err as Error).message}`));
    }
  }
  for (const part of flags.only.filter((p) => MODULE_PARTS.includes(p))) {
    const run = await loadModulePart(part);
    if (!run) {
      log(`${part}: chaos/parts/${part}.ts is not in this checkout; not run`);
      continue;
    }
    await record(part, () => run(opts))();
  }
  const files = save(true);
  process.stdout.write(`${fs.readFileSync(files[0]!, 'utf8')}`);
  log(`results: ${files.join(', ')}`);
  if (flags.keep) log(`kept ${workDir}`);
  else fs.rmSync(workDir, { recursive: true, force: true });
  clearInterval(keepAlive);
  return rows.length > 0 && !rows.some(isFatal) ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    }
  );
}
