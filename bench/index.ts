/**
 * `npm run bench`: the benchmarks of docs/performance.md on a private embedded stack. Prints a table, writes
 * bench/results/<date>.json and <date>.md. Options: `npm run bench -- --help`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELP, parseBenchArgs, type BenchOptions } from './lib/options';
import { benchStack } from './lib/stack';
import { toMarkdown } from './report';
import { benchSuites } from './suites';
import { benchSteps } from './steps';
import { benchScale } from './scale';
import { benchSim } from './sim-scale';
import { benchStartup } from './startup';

/** Everything one run of the bench measured. */
export interface BenchResults {
  version: 1;
  date: string;
  mode: BenchOptions['mode'];
  /** Offers of every shape in the stack's simulator, × the default catalogue (absent in results before it existed). */
  catalogueScale?: number;
  machine: { cores: number; loadAvgAtStart: number[]; memoryGiB: number; node: string };
  totalS?: number;
  suites?: Awaited<ReturnType<typeof benchSuites>>;
  steps?: Awaited<ReturnType<typeof benchSteps>>;
  scale?: Awaited<ReturnType<typeof benchScale>>;
  sim?: Awaited<ReturnType<typeof benchSim>>;
  startup?: Awaited<ReturnType<typeof benchStartup>>;
  errors: { benchmark: string; error: string }[];
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseBenchArgs>;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if ('render' in opts) {
    const md = toMarkdown(JSON.parse(readFileSync(opts.render, 'utf8')) as BenchResults);
    writeFileSync(opts.render.replace(/\.json$/, '.md'), md);
    process.stdout.write(md);
    return 0;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const started = performance.now();
  const results: BenchResults = {
    version: 1,
    date: new Date().toISOString(),
    mode: opts.mode,
    catalogueScale: opts.sizes.growthCopies,
    machine: {
      cores: os.availableParallelism(),
      loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    errors: [],
  };
  const stack = await benchStack(opts.sizes.growthCopies);
  // A benchmark that fails is reported as failed in the results, and the others still run.
  const attempt = async <K extends 'suites' | 'steps' | 'scale' | 'sim' | 'startup'>(
    name: K,
    fn: () => Promise<NonNullable<BenchResults[K]>>
  ) => {
    if (!opts.only.includes(name)) return;
    log(`== ${name}`);
    const t = performance.now();
    try {
      results[name] = (await fn()) as BenchResults[K];
    } catch (err) {
      results.errors.push({ benchmark: name, error: (err as Error).stack ?? String(err) });
      log(`  FAILED: ${(err as Error).message}`);
    }
    log(`  (${Math.round((performance.now() - t) / 1000)} s)`);
  };
  try {
    await attempt('suites', () => benchSuites(stack, opts.sizes, log));
    await attempt('startup', () => benchStartup(stack, log));
  } finally {
    await stack.down();
  }
  await attempt('steps', () => benchSteps(opts.sizes, log));
  await attempt('scale', () => benchScale(opts.sizes, log));
  await attempt('sim', () => benchSim(opts.sizes, log));
  results.totalS = Math.round((performance.now() - started) / 1000);
  mkdirSync(opts.outDir, { recursive: true });
  const stamp = results.date.replace(/[:]/g, '').replace(/\..*/, '');
  const base = path.join(opts.outDir, `${stamp}${opts.mode === 'quick' ? '-quick' : ''}`);
  const md = toMarkdown(results);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, md);
  log('');
  log(md);
  log(`results: ${path.relative(process.cwd(), base)}.json and .md`);
  return results.errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
);
