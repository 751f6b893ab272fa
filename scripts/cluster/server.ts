import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  spawnDetached,
  waitForProcess,
  waitUntil,
  isAlive,
  type SpawnedProcess,
} from '../../src/client/stack/processes';
import { ensureSearchAttributes, isTemporalServer, RETENTION } from '../../src/client/stack/temporal-server';
import { findTemporalBinary } from '../../src/client/temporal-binary';

const execFileAsync = promisify(execFile);

/** A fresh server applies its schema checks and takes its shards in seconds; on two busy cores, more. */
const START_TIMEOUT_MS = 180_000;

/** One start of the Temporal server binary on a config file. */
export function startServer(opts: {
  binary: string;
  configFile: string;
  address: string;
  logsDir: string;
}): SpawnedProcess {
  return spawnDetached({
    name: 'temporal-server',
    command: opts.binary,
    // --allow-no-auth: loopback only, no authorizer, as the dev server.
    args: ['--config-file', opts.configFile, '--allow-no-auth', 'start'],
    logsDir: opts.logsDir,
    cwd: path.dirname(opts.configFile),
    env: { PATH: process.env.PATH ?? '' },
  });
}

/** Waits until the frontend answers gRPC `GetSystemInfo`, or fails quoting the server's log. */
export async function waitForServer(proc: SpawnedProcess, address: string): Promise<void> {
  await waitForProcess(
    'temporal server',
    proc,
    `gRPC on ${address}`,
    async () => ((await isTemporalServer(address, 2_000)) ? true : undefined),
    START_TIMEOUT_MS
  );
}

/** SIGKILL, as a crash: no shutdown, no handover of shards. Resolves once the process is gone. */
export async function crashServer(proc: SpawnedProcess): Promise<void> {
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!(await waitUntil(() => !isAlive(proc.pid), 10_000)))
    throw new Error(`temporal server ${proc.pid} survived SIGKILL`);
}

async function temporalCli(args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(findTemporalBinary(), args, {
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '' },
  });
  return stdout;
}

async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline)
        throw new Error(`${what}: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * What the dev server and docker-compose's `temporal-setup` do, with the `temporal` CLI: the `default` namespace with
 * 30-day retention, then the harness's search attributes (retried while the new namespace reaches every service).
 */
export async function setupNamespace(address: string, log: (line: string) => void): Promise<void> {
  await retry('temporal operator namespace create', async () => {
    try {
      await temporalCli([
        'operator',
        'namespace',
        'create',
        '--namespace',
        'default',
        '--retention',
        RETENTION,
        '--address',
        address,
      ]);
    } catch (err) {
      if (!/already/i.test(String((err as { stderr?: string }).stderr))) throw err;
    }
  });
  await retry('temporal operator namespace describe', () =>
    temporalCli(['operator', 'namespace', 'describe', '--namespace', 'default', '--address', address])
  );
  await retry('temporal operator search-attribute create', () => ensureSearchAttributes(address));
  const list = await temporalCli([
    'operator',
    'search-attribute',
    'list',
    '--namespace',
    'default',
    '--address',
    address,
  ]);
  log(
    `  namespace default (retention ${RETENTION}), search attributes: ${[...list.matchAll(/\bE2E\w+/g)].map((m) => m[0]).join(', ')}`
  );
}

/** Writes `text` readable by us only (it may hold the database password). */
export function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
}
