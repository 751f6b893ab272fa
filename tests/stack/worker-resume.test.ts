import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, processCommandLine } from '../../src/client/stack/processes';
import { stackDown, stackUp, type StackInfo } from '../../src/client/stack/stack';
import { DEFAULT_TIME_SCALE } from '../../src/client/stack/stack-config';
import { freePort, freePortPair, killChild, tempDataDir } from './stack-test-kit';

// Resuming a run after its worker died, as a user would: the stack runs, `dumont-e2e run` is in the middle of the
// lifecycle category, the stack's worker gets `kill -9`, and `dumont-e2e worker` started with no harness variable at
// all (PATH, HOME and the stack's data dir only) attaches to the stack and finishes the run: every scenario passed,
// nothing leaked, exit code 0. Real processes throughout; the simulator runs at the stack's default time scale.

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'dumont-e2e.cjs');
const dataDir = tempDataDir('worker-resume');
const children: ChildProcess[] = [];

/** A CLI process with only `env` (plus PATH and HOME), its output collected. */
function cli(args: string[], env: Record<string, string>): { child: ChildProcess; out: () => string } {
  let out = '';
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  children.push(child);
  return { child, out: () => out };
}

/** Resolves when `out()` matches, rejects if the process exits first or the time is up. */
async function waitForOutput(
  proc: { child: ChildProcess; out: () => string },
  pattern: RegExp,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(proc.out())) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${pattern}:\n${proc.out()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${proc.out()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

let stack: StackInfo;
let portEnv: Record<string, string>;

beforeAll(async () => {
  portEnv = {
    DUMONT_E2E_DATA_DIR: dataDir,
    DUMONT_E2E_TEMPORAL_PORT: String(await freePort()),
    DUMONT_E2E_TEMPORAL_UI_PORT: String(await freePort()),
    DUMONT_E2E_SIM_PORT_BASE: String(await freePortPair()),
  };
  Object.assign(process.env, portEnv);
  // The stack's default time scale (0.02), not a faster one: at 0.01 a 3 s CPU stall while the new worker replays
  // fifteen workflows on two cores is 300 platform seconds, and s008's cold start (limit 300 s) measured 304 s.
  stack = await stackUp({ timeScale: DEFAULT_TIME_SCALE });
});

afterAll(async () => {
  for (const child of children) await killChild(child);
  await stackDown().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a run whose worker was killed', () => {
  it(
    'finishes on `dumont-e2e worker` started with no harness variables: all passed, 0 leaked, exit 0',
    { timeout: 420_000 },
    async () => {
      const report = path.join(dataDir, 'report.json');
      const run = cli(
        [
          'run',
          '--select',
          'lifecycle',
          '--json',
          report,
          '--junit',
          path.join(dataDir, 'junit.xml'),
          '--html',
          path.join(dataDir, 'report.html'),
        ],
        portEnv
      );
      await waitForOutput(run, /^suite \S+: \d+ scenarios/m, 60_000);
      const selected = Number(/^suite \S+: (\d+) scenarios/m.exec(run.out())![1]);
      expect(selected).toBeGreaterThanOrEqual(5);

      // Mid-run: the first scenario finished, others are running (they hold instances now).
      await waitForOutput(run, /^\[\s*1\/\d+\]/m, 240_000);
      const workerPid = stack.worker!.pid;
      expect(processCommandLine(workerPid)).toContain('dumont-e2e.cjs worker');
      process.kill(workerPid, 'SIGKILL');
      await expect.poll(() => isAlive(workerPid)).toBe(false);
      expect(run.child.exitCode).toBeNull();

      // Only PATH, HOME and the data dir: no TEMPORAL_ADDRESS, no target, no URL, no credential, no key secret.
      const worker = cli(['worker'], { DUMONT_E2E_DATA_DIR: dataDir });
      await waitForOutput(worker, /worker ready/, 120_000);
      expect(worker.out()).toContain(`serving the local stack in ${dataDir}`);
      expect(worker.out()).toContain(`Temporal ${stack.temporal!.address}`);
      const keySecret = fs.readFileSync(path.join(dataDir, 'key-secret'), 'utf8').trim();
      expect(worker.out()).not.toContain(keySecret);
      expect(processCommandLine(worker.child.pid!)).not.toContain(keySecret);

      const code = await exitCode(run.child);
      const out = run.out();
      expect(code, out).toBe(0);
      const { summary } = JSON.parse(fs.readFileSync(report, 'utf8')) as {
        summary: { total: number; passed: number; failed: number; leaked: number };
      };
      expect(summary).toMatchObject({ total: selected, passed: selected, failed: 0, leaked: 0 });
      // The live progress counted every scenario.
      const counters = out.match(/^\[\s*\d+\/\d+\]/gm) ?? [];
      expect(counters.at(-1)).toBe(`[${selected}/${selected}]`);

      worker.child.kill('SIGTERM');
      expect(await exitCode(worker.child)).toBe(0);
    }
  );
});
