import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';
import { findTemporalBinary } from '../temporal-binary';
import { cliType } from '../temporal-prerequisites';
import { childEnv, isPortOpen, spawnDetached, waitForProcess } from './processes';
import { REPO_ROOT, type StackConfig } from './stack-config';
import type { TemporalRecord } from './stack-file';
import { OperationalError } from '../operational-error';

const execFileAsync = promisify(execFile);

/** Command-line fragments that identify our dev server in `/proc/<pid>/cmdline` (guards against pid reuse). */
export const TEMPORAL_MARKERS = ['server', 'start-dev'];

/** Closed runs stay visible in the UI for 30 days; the dev server's default is 24 h (docs/operations.md § Retention). */
export const RETENTION = '720h';

/** A fresh SQLite database takes a few seconds; a slow CI machine more. */
const START_TIMEOUT_MS = 90_000;

/** `--search-attribute NAME=Type` arguments for every key our workflows set (registered when the database is new). */
export function searchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=${cliType(key.type)}`]);
}

async function withConnection<T>(address: string, timeoutMs: number, fn: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: timeoutMs });
  try {
    return await connection.withDeadline(Date.now() + timeoutMs, () => fn(connection));
  } finally {
    await connection.close();
  }
}

/**
 * Whether a Temporal frontend answers gRPC `GetSystemInfo` at `address` within `timeoutMs`. A port that is merely open
 * (another program) gives false, so we never mistake a stranger for a server.
 */
export async function isTemporalServer(address: string, timeoutMs = 3_000): Promise<boolean> {
  const [host, port] = splitAddress(address);
  if (!(await isPortOpen(host, port, timeoutMs))) return false;
  try {
    await withConnection(address, timeoutMs, (c) => c.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

/** `host:port` → [host, port]. */
export function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

/**
 * Starts `temporal server start-dev` with SQLite under the data dir, our search attributes and the Web UI, detached,
 * and waits until gRPC answers. The caller has checked that the gRPC port is free.
 *
 * @throws Error naming the UI port and `DUMONT_E2E_TEMPORAL_UI_PORT` when the UI port is taken.
 */
export async function startTemporalServer(cfg: StackConfig): Promise<TemporalRecord> {
  if (await isPortOpen(cfg.host, cfg.uiPort)) {
    throw new OperationalError(
      `port ${cfg.uiPort} (Temporal Web UI) is in use by another program; ` +
        'set DUMONT_E2E_TEMPORAL_UI_PORT (or `stack up --ui-port N`) to a free port'
    );
  }
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    cfg.dbFile,
    '--port',
    String(cfg.temporalPort),
    '--ui-port',
    String(cfg.uiPort),
    '--ip',
    cfg.host,
    '--namespace',
    'default',
    ...searchAttributeArgs(),
    '--ui-disable-news-fetch',
    '--log-level',
    'warn',
  ];
  const proc = spawnDetached({
    name: 'temporal',
    command: findTemporalBinary(),
    args,
    logsDir: cfg.logsDir,
    cwd: REPO_ROOT,
    env: childEnv(),
  });
  await waitForProcess(
    'temporal server',
    proc,
    `gRPC on ${cfg.temporalAddress}`,
    async () => ((await isTemporalServer(cfg.temporalAddress, 2_000)) ? true : undefined),
    START_TIMEOUT_MS
  );
  return { address: cfg.temporalAddress, uiUrl: cfg.uiUrl, pid: proc.pid, startedByUs: true };
}

/**
 * Registers our search attributes with `temporal operator search-attribute create` (idempotent for an attribute that
 * exists with the same type). Needed on every up, not only the first: with an existing SQLite database,
 * `start-dev --search-attribute` does not add attributes that are new since the database was created.
 *
 * @throws Error with the CLI's message, e.g. when an attribute exists with another type.
 */
export async function ensureSearchAttributes(address: string, namespace = 'default'): Promise<void> {
  // The CLI pairs the i-th --name with the i-th --type, and skips attributes that exist with the same type.
  const pairs = SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--name', key.name, '--type', cliType(key.type)]);
  await runTemporalCli([
    'operator',
    'search-attribute',
    'create',
    '--namespace',
    namespace,
    ...pairs,
    '--address',
    address,
  ]);
}

/** Runs the `temporal` CLI; on failure the error carries its stderr, which says what went wrong. */
async function runTemporalCli(args: string[]): Promise<void> {
  try {
    await execFileAsync(findTemporalBinary(), args, { timeout: 30_000, env: childEnv() });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
    throw new Error(`temporal ${args.slice(0, 3).join(' ')} failed: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }
}

/** Sets the namespace's retention with the `temporal` CLI (`temporal operator namespace update --retention`). */
export async function setRetention(address: string, retention = RETENTION, namespace = 'default'): Promise<void> {
  await runTemporalCli([
    'operator',
    'namespace',
    'update',
    '--namespace',
    namespace,
    '--retention',
    retention,
    '--address',
    address,
  ]);
}

/** Reuse record for a server that already answers and is not ours: `stack down` will leave it alone. */
export async function foreignTemporalRecord(cfg: StackConfig, address = cfg.temporalAddress): Promise<TemporalRecord> {
  const uiOpen = address === cfg.temporalAddress && (await isPortOpen(cfg.host, cfg.uiPort));
  return { address, uiUrl: uiOpen ? cfg.uiUrl : null, pid: null, startedByUs: false };
}
