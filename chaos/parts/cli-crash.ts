/**
 * Item 3: `dumont-e2e run` killed with SIGKILL mid-run. The suite goes on in Temporal (the CLI only watches it);
 * afterwards `dumont-e2e report --suite <id>` produces its reports from Temporal alone, and they are checked against
 * the suite's result and what Temporal says of every scenario.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config';
import { SCENARIOS, scenarioKey } from '../../src/catalog';
import type { ChaosStack } from '../stack';
import type { SuiteEnd } from '../suites';
import type { ChaosOptions, ChaosRow } from '../types';
import { crashTrial, hurtTrials, TRIAL_PARALLEL, trialSeed } from './crash-trial';
import { TRIALS } from './crashes';

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');

/**
 * The reports of a suite whose CLI died, by `dumont-e2e report --suite` (from Temporal only), checked against the
 * suite's own result and against what Temporal says of every scenario workflow (passed = COMPLETED). Returns the
 * differences.
 */
async function reportsFromTemporal(
  stack: ChaosStack,
  dir: string,
  suiteId: string,
  ids: readonly number[],
  end: SuiteEnd
): Promise<string[]> {
  const out = path.join(dir, 'report');
  const r = spawnSync(process.execPath, [CLI, 'report', '--suite', suiteId, '--out', out], {
    env: stack.cliEnv,
    encoding: 'utf8',
  });
  if (r.status !== 0) return [`report --suite exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`];
  const problems = REPORT_FILES.filter((f) => !fs.existsSync(path.join(out, f))).map((f) => `${f} not written`);
  if (problems.length) return problems;
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as {
    scenarios: { id: number; status: string }[];
  };
  for (const id of ids) {
    const key = scenarioKey(SCENARIOS.find((s) => s.id === id)!);
    const inReport = report.scenarios.find((s) => s.id === id)?.status ?? 'missing';
    const inResult = end.result?.scenarios.find((s) => s.id === id)?.status ?? 'missing';
    const temporal = (await stack.client.workflow.getHandle(`${suiteId}/${key}`).describe()).status.name;
    if (inReport !== inResult) problems.push(`${key}: report says ${inReport}, the suite's result ${inResult}`);
    if ((inReport === 'passed') !== (temporal === 'COMPLETED')) {
      problems.push(`${key}: report says ${inReport}, its workflow is ${temporal}`);
    }
  }
  return problems;
}

/** What `dumont-e2e report --suite` writes. */
const REPORT_FILES = ['report.json', 'junit.xml', 'report.html', 'summary.md'];

/** CLI crashes: `dumont-e2e run` on the stack, SIGKILL at a seeded moment, reports from Temporal afterwards. */
export async function runCliCrashes(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const n = opts.short ? TRIALS['cli-crash'].short : TRIALS['cli-crash'].full;
  const report = (row: ChaosRow): void => {
    opts.log(`cli-crash ${row.trial}/${n}: ${row.outcome} (${row.seconds} s) ${row.detail}`);
    opts.onRow?.(row);
  };
  return hurtTrials(n, (i) => cliTrial(stack, opts, i), report);
}

/** One CLI crash trial (the `i`th seed). */
async function cliTrial(stack: ChaosStack, opts: ChaosOptions, i: number): Promise<ChaosRow> {
  const dir = path.join(opts.workDir, `cli-crash-${i}`);
  fs.mkdirSync(dir, { recursive: true });
  let cli: ReturnType<typeof spawn> | undefined;
  let output = '';
  let ids: number[] = [];
  const row = await crashTrial({
    stack,
    part: 'cli-crash',
    trial: i,
    seed: trialSeed(opts.seed, 3, i),
    start: async (_id, selected) => {
      ids = selected;
      const args = [
        CLI,
        'run',
        '--target',
        'sim',
        '--select',
        selected.join(','),
        '--max-parallel',
        String(TRIAL_PARALLEL),
      ];
      for (const [flag, file] of [
        ['--json', 'cli.json'],
        ['--junit', 'cli.xml'],
        ['--html', 'cli.html'],
      ]) {
        args.push(flag!, path.join(dir, file!));
      }
      cli = spawn(process.execPath, args, { env: stack.cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      return new Promise<string>((resolve, reject) => {
        cli!.stdout!.on('data', (d: Buffer) => {
          output += d.toString();
          const m = /^suite (\S+): /m.exec(output);
          if (m) resolve(m[1]!);
        });
        cli!.stderr!.on('data', (d: Buffer) => (output += d.toString()));
        cli!.once('exit', (code) => reject(new Error(`dumont-e2e run exited (${code}) before starting: ${output}`)));
      });
    },
    hurt: async () => {
      if (cli!.exitCode !== null || cli!.signalCode !== null)
        return { line: `dumont-e2e run had already exited (${cli!.exitCode})` };
      const gone = new Promise((resolve) => cli!.once('exit', resolve));
      cli!.kill('SIGKILL');
      await gone;
      const wrote = ['cli.json', 'cli.xml', 'cli.html'].filter((f) => fs.existsSync(path.join(dir, f)));
      return {
        line: `SIGKILL dumont-e2e run ${cli!.pid}${wrote.length ? ` (it had written ${wrote.join(', ')})` : ''}`,
      };
    },
    after: (suiteId, end) => reportsFromTemporal(stack, dir, suiteId, ids, end),
  });
  if (row.outcome === 'ok')
    row.detail += `; dumont-e2e report --suite wrote ${REPORT_FILES.join(', ')}, matching Temporal`;
  return row;
}
