import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** How often conditions are re-checked while awaiting them. */
const POLL_MS = 100;

/** A process started by {@link spawnDetached}. */
export interface SpawnedProcess {
  pid: number;
  logFile: string;
  /** Byte offset in the log where this run's output starts (logs are appended across runs). */
  logOffset: number;
  /** Set when the process has exited (or could not start), so waits can fail at once instead of at their deadline. */
  exit: { code: number | null; signal: NodeJS.Signals | null; error?: string } | null;
}

/**
 * Variables that carry credentials: a child gets them only when it is the one that needs them (the worker, the
 * simulator), never by inheritance from whoever ran `stack up`.
 */
const SECRET_ENV_KEYS = [
  'DUMONT_PASSWORD',
  'DUMONT_TOKEN',
  'DUMONT_EMAIL',
  'DUMONT_E2E_KEY_SECRET',
  'VAST_API_KEY',
  'SIM_API_KEY',
  'SIM_USER',
  'TEMPORAL_API_KEY',
];

/** Our environment minus credentials, plus `extra`: the environment of a stack process. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SECRET_ENV_KEYS) delete env[key];
  return { ...env, ...extra };
}

/** Options of {@link spawnDetached}. */
export interface SpawnOptions {
  /** Log name: output goes to `<logsDir>/<name>.log`. */
  name: string;
  command: string;
  args: string[];
  logsDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts a process that outlives us (`stack up` returns while the stack keeps running): its own process group, stdin
 * closed, stdout and stderr appended to `<logsDir>/<name>.log`. Never put secrets in `args`: argv is visible in `ps`.
 */
export function spawnDetached(opts: SpawnOptions): SpawnedProcess {
  fs.mkdirSync(opts.logsDir, { recursive: true });
  const logFile = path.join(opts.logsDir, `${opts.name}.log`);
  fs.appendFileSync(logFile, `\n=== ${new Date().toISOString()} start ${opts.name}: ${opts.args.join(' ')}\n`);
  const logOffset = fs.statSync(logFile).size;
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.command})`);
    const spawned: SpawnedProcess = { pid: child.pid, logFile, logOffset, exit: null };
    child.on('error', (err) => (spawned.exit = { code: null, signal: null, error: err.message }));
    child.on('exit', (code, signal) => (spawned.exit ??= { code, signal }));
    child.unref();
    return spawned;
  } finally {
    fs.closeSync(fd); // the child holds its own copy
  }
}

/** The command line of `pid` (Linux `/proc`), or undefined where it cannot be read. */
export function processCommandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Whether `pid` exists and is not a zombie (a dead child nobody reaped yet still answers `kill 0`). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill 0 is all we have
  }
}

/**
 * Whether `pid` is alive and still the process we started: its command line contains every marker. Guards against pid
 * reuse, so a stale stack file never makes us reuse or signal somebody else's process. Where the command line cannot
 * be read (no /proc), liveness alone decides.
 */
export function isOurProcess(pid: number | null | undefined, markers: string[]): pid is number {
  if (!pid || !isAlive(pid)) return false;
  const cmdline = processCommandLine(pid);
  return cmdline === undefined || markers.every((m) => cmdline.includes(m));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // the whole group: our detached processes lead their own
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a process we started: SIGTERM to its group, then SIGKILL once `graceMs` has passed without it exiting.
 * Resolves when it is gone.
 *
 * @returns how it ended: `'not-running'`, `'terminated'` (exited on SIGTERM) or `'killed'`.
 */
export async function stopProcess(pid: number, graceMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!isAlive(pid)) return 'not-running';
  signal(pid, 'SIGTERM');
  if (await waitUntil(() => !isAlive(pid), graceMs)) return 'terminated';
  signal(pid, 'SIGKILL');
  if (await waitUntil(() => !isAlive(pid), 5_000)) return 'killed';
  throw new Error(`process ${pid} survived SIGKILL`);
}

/** Polls `condition` until it is true (→ true) or `timeoutMs` passes (→ false). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** This run's log text (from {@link SpawnedProcess.logOffset}); logs are appended across runs, so skip the old ones. */
export function readRunLog(proc: SpawnedProcess): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(proc.logFile, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - proc.logOffset));
    const read = fs.readSync(fd, buf, 0, buf.length, proc.logOffset);
    return buf.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Last `lines` lines of this run's log, to quote in an error. */
export function logTail(proc: SpawnedProcess, lines = 15): string {
  return readRunLog(proc).trimEnd().split('\n').slice(-lines).join('\n');
}

/** Why a process we are waiting on can no longer get ready, or undefined while it still can. */
function exitReason(proc: SpawnedProcess): string | undefined {
  if (proc.exit?.error) return `could not start: ${proc.exit.error}`;
  if (proc.exit) return `exited (${proc.exit.signal ?? `code ${proc.exit.code}`})`;
  // Not our child any more (another process started it): fall back to liveness.
  if (!isAlive(proc.pid)) return 'exited';
  return undefined;
}

/**
 * Waits until `probe` yields a value, failing early when the process dies, and at the deadline otherwise. Errors name
 * the component, quote the end of its log and give the log's path.
 */
export async function waitForProcess<T>(
  name: string,
  proc: SpawnedProcess,
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const reason = exitReason(proc);
    const timedOut = Date.now() >= deadline;
    if (reason || timedOut) {
      const why = reason ?? `did not get ready within ${Math.round(timeoutMs / 1000)} s`;
      const tail = logTail(proc);
      throw new Error(
        `${name} ${why} while waiting for ${what}; see ${proc.logFile}${tail ? `\n--- last lines ---\n${tail}` : ''}`
      );
    }
    await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/** Whether something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Reads and parses a JSON file, or undefined while it is missing or half-written. */
export function readJsonIfComplete(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
