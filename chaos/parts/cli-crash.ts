/**
 * Item 3: `dumont-e2e run` killed with SIGKILL mid-run. The suite goes on in Temporal (the CLI only watches it);
 * afterwards its reports are produced from Temporal alone (`dumont-e2e report --suite <id>` when this checkout has
 * it, else the same writers fed with the suite's result) and checked against what Temporal says of every scenario.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config';
import { SCENARIOS, scenarioKey } from '../../src/catalog';
import { writeReports } from '../../src/client/reporters';
import type { ChaosStack } from '../stack';
import type { SuiteEnd } from '../suites';
import type { ChaosOptions, ChaosRow } from '../types';
import { crashTrial, TRIAL_PARALLEL, trialSeed } from './crash-trial';
import { TRIALS } from './crashes';

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');

/** Whether this checkout's CLI has the `report` command (issue 17). */
function hasReportCommand(env: NodeJS.ProcessEnv): boolean {
  return spawnSync(process.execPath, [CLI, 'report', '--help'], { env, stdio: 'ignore' }).status === 0;
}

/**
 * The reports of a suite whose CLI died, from Temporal only; then each scenario's report status compared with the
 * Temporal status of its workflow (passed = COMPLETED). Returns the mismatches.
 */
async function reportsFromTemporal(
  stack: ChaosStack,
  dir: string,
  suiteId: string,
  ids: readonly number[],
  end: SuiteEnd
): Promise<string[]> {
  const files = {
    json: path.join(dir, 'report.json'),
    junit: path.join(dir, 'junit.xml'),
    html: path.join(dir, 'report.html'),
  };
  if (hasReportCommand(stack.cliEnv)) {
    const r = spawnSync(
      process.execPath,
      [CLI, 'report', '--suite', suiteId, '--json', files.json, '--junit', files.junit, '--html', files.html],
      { env: stack.cliEnv, encoding: 'utf8' }
    );
    if (r.status !== 0 && r.status !== 1) return [`report --suite exited ${r.status}: ${r.stderr.trim()}`];
  } else if (end.result) {
    await writeReports(end.result, files);
  } else {
    return [`no result to report (${end.status})`];
  }
  const problems = Object.values(files)
    .filter((f) => !fs.existsSync(f))
    .map((f) => `${path.basename(f)} not written`);
  const report = JSON.parse(fs.readFileSync(files.json, 'utf8')) as { scenarios: { id: number; status: string }[] };
  for (const id of ids) {
    const key = scenarioKey(SCENARIOS.find((s) => s.id === id)!);
    const inReport = report.scenarios.find((s) => s.id === id)?.status ?? 'missing';
    const temporal = (await stack.client.workflow.getHandle(`${suiteId}/${key}`).describe()).status.name;
    if ((inReport === 'passed') !== (temporal === 'COMPLETED')) {
      problems.push(`${key}: report says ${inReport}, Temporal ${temporal}`);
    }
  }
  return problems;
}

/** CLI crashes: `dumont-e2e run` on the stack, SIGKILL at a seeded moment, reports from Temporal afterwards. */
export async function runCliCrashes(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const rows: ChaosRow[] = [];
  const n = opts.short ? TRIALS['cli-crash'].short : TRIALS['cli-crash'].full;
  for (let i = 1; i <= n; i++) {
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
          return `dumont-e2e run had already exited (${cli!.exitCode})`;
        const gone = new Promise((resolve) => cli!.once('exit', resolve));
        cli!.kill('SIGKILL');
        await gone;
        const wrote = ['cli.json', 'cli.xml', 'cli.html'].filter((f) => fs.existsSync(path.join(dir, f)));
        return `SIGKILL dumont-e2e run ${cli!.pid}${wrote.length ? ` (it had written ${wrote.join(', ')})` : ''}`;
      },
      after: (suiteId, end) => reportsFromTemporal(stack, dir, suiteId, ids, end),
    });
    row.detail += hasReportCommand(stack.cliEnv)
      ? '; reports by dumont-e2e report --suite'
      : '; reports from the suite result in Temporal (no report command in this checkout)';
    opts.log(`cli-crash ${i}/${n}: ${row.outcome} (${row.seconds} s) ${row.detail}`);
    rows.push(row);
  }
  return rows;
}
