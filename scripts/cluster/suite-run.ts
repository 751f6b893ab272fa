import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv } from '../../src/client/stack/processes';
import { REPO_ROOT } from '../../src/client/stack/stack-config';

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');

/** `dumont-e2e run` against the cluster, its output echoed with a prefix and kept in a log. */
export interface SuiteRun {
  child: ChildProcess;
  /** Resolves with the suite's workflow id once `run` prints it. */
  suiteId: Promise<string>;
  /** Resolves with run's exit code. */
  exit: Promise<number>;
}

/**
 * Starts `dumont-e2e run --target sim` with TEMPORAL_ADDRESS set, so it uses the cluster and its workers (it starts
 * no stack and no worker of its own). Reports go to `reportsDir`.
 */
export function startSuiteRun(opts: {
  address: string;
  select: string;
  maxParallel: number;
  timeScale: number;
  reportsDir: string;
  logFile: string;
}): SuiteRun {
  const args = [
    CLI,
    'run',
    '--target',
    'sim',
    '--select',
    opts.select,
    '--max-parallel',
    String(opts.maxParallel),
    '--time-scale',
    String(opts.timeScale),
    '--json',
    path.join(opts.reportsDir, 'report.json'),
    '--junit',
    path.join(opts.reportsDir, 'junit.xml'),
    '--html',
    path.join(opts.reportsDir, 'report.html'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: childEnv({ TEMPORAL_ADDRESS: opts.address, TEMPORAL_NAMESPACE: 'default' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
  let resolveId!: (id: string) => void;
  let rejectId!: (err: Error) => void;
  const suiteId = new Promise<string>((resolve, reject) => ((resolveId = resolve), (rejectId = reject)));
  let pending = '';
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      process.stdout.write(`  run | ${line}\n`);
      const m = /^suite (\S+): \d+ scenarios/.exec(line);
      if (m) resolveId(m[1]!);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      rejectId(new Error(`dumont-e2e run exited (${code ?? signal}) before starting a suite; see ${opts.logFile}`));
      resolve(code ?? 1);
    });
  });
  suiteId.catch(() => undefined);
  return { child, suiteId, exit };
}
