/**
 * Running commands on instances over SSH (ssh2), as a user would. Connects are retried because a fresh or
 * just-resumed instance refuses, resets or stalls connections for a while before sshd is up; failures are
 * {@link PlatformError}s like the HTTP ones, so activities treat both the same way.
 *
 * Host keys are accepted without checking. Instances are fresh machines whose host key nobody knows in
 * advance, and the connection is only trusted with throwaway per-run keys and test commands. A hardened
 * deployment would pin the key obtained from the platform's host-key API, which Dumont does not have.
 * Keys are never logged: errors name only `SSH user@host:port`.
 */
import { constants } from 'node:os';
import { Client, type ClientChannel } from 'ssh2';
import { AuthError, InvalidRequestError, PlatformError, TransientPlatformError } from './errors';
import type { ExecResult, SshTarget } from './types';

/** Options of {@link sshExec}. */
export interface SshExecOptions {
  /** Limit for the command itself, after the connection is up. @default 300000 */
  timeoutMs?: number;
  /** Connection tries, the first included. @default 5 */
  connectAttempts?: number;
  /** Delay between connection tries; doubles per try, at most 10 s. @default 1000 */
  connectRetryDelayMs?: number;
  /** Limit for one connection try (TCP + handshake + auth). @default 20000 */
  connectTimeoutMs?: number;
  /** Called with each failed connection try that is tried again (so the caller can record it). @default none */
  onRetryableError?: (err: PlatformError) => void;
}

const MAX_RETRY_DELAY_MS = 10_000;

/** The code of a session that died under its command after the connection was up (the address did answer). */
const SESSION_DROPPED = 'ESESSIONDROPPED';

/** Whether `err` is a session that died under its command, as opposed to a connection that never came up. */
export function isDroppedSession(err: unknown): boolean {
  return err instanceof PlatformError && err.code === SESSION_DROPPED;
}

/**
 * Runs `command` on the target and resolves with its exit code and output, whatever the code. Rejects with
 * {@link TransientPlatformError} when no connection could be made in `connectAttempts` tries, when the
 * connection drops before the command reports an exit status, or when `timeoutMs` passes; with
 * {@link AuthError} when the key is refused.
 */
export async function sshExec(target: SshTarget, command: string, opts: SshExecOptions = {}): Promise<ExecResult> {
  const attempts = Math.max(1, opts.connectAttempts ?? 5);
  const baseDelay = opts.connectRetryDelayMs ?? 1000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    let conn: Client;
    try {
      conn = await connect(target, connectTimeoutMs);
    } catch (err) {
      if (!(err instanceof PlatformError) || !err.retryable || attempt >= attempts) throw err;
      opts.onRetryableError?.(err);
      await delay(Math.min(MAX_RETRY_DELAY_MS, baseDelay * 2 ** (attempt - 1)));
      continue;
    }
    try {
      return await exec(conn, target, command, opts.timeoutMs ?? 300_000);
    } finally {
      conn.end();
    }
  }
}

/**
 * Whether the target accepts our key and runs `true` within `timeoutMs` (one try, no retries): the readiness
 * check that "running" in an API does not give.
 */
export async function probeSsh(target: SshTarget, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  let conn: Client | undefined;
  try {
    conn = await connect(target, timeoutMs);
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return (await exec(conn, target, 'true', left)).code === 0;
  } catch {
    return false;
  } finally {
    conn?.end();
  }
}

function endpointOf(t: SshTarget): string {
  return `SSH ${t.username}@${t.host}:${t.port}`;
}

/** One connection try; resolves once authenticated. */
function connect(target: SshTarget, timeoutMs: number): Promise<Client> {
  const endpoint = endpointOf(target);
  return new Promise<Client>((resolve, reject) => {
    const conn = new Client();
    let settled = false;
    const fail = (err: PlatformError) => {
      if (settled) return;
      settled = true;
      conn.destroy();
      reject(err);
    };
    conn.once('ready', () => {
      settled = true;
      resolve(conn);
    });
    conn.on('error', (err) => fail(mapSshError(err, endpoint)));
    conn.once('close', () =>
      fail(
        new TransientPlatformError(`${endpoint}: connection closed before authentication`, {
          endpoint,
          code: 'ECONNRESET',
          mayHaveTakenEffect: false,
        })
      )
    );
    try {
      conn.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: timeoutMs,
        // A preempted host vanishes without a RST; keepalives turn that into an error within a minute
        // instead of a command that hangs until its own timeout.
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        // See the module comment: fresh instances have unknown host keys.
        hostVerifier: () => true,
      });
    } catch (err) {
      // Thrown synchronously for an unparsable key; ssh2's message does not include the key.
      fail(new InvalidRequestError(`${endpoint}: ${err instanceof Error ? err.message : String(err)}`, { endpoint }));
    }
  });
}

/** Runs one command on an authenticated connection. */
function exec(conn: Client, target: SshTarget, command: string, timeoutMs: number): Promise<ExecResult> {
  const endpoint = endpointOf(target);
  return new Promise<ExecResult>((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exitCode: number | undefined;
    let settled = false;
    const finish = (outcome: ExecResult | PlatformError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof PlatformError) {
        conn.destroy();
        reject(outcome);
      } else {
        resolve(outcome);
      }
    };
    const dropped = (why: string) =>
      new TransientPlatformError(`${endpoint}: ${why}`, { endpoint, code: SESSION_DROPPED, mayHaveTakenEffect: true });
    const timer = setTimeout(
      () =>
        finish(
          new TransientPlatformError(`${endpoint}: command timed out after ${timeoutMs} ms`, {
            endpoint,
            code: 'ETIMEDOUT',
            mayHaveTakenEffect: true,
          })
        ),
      timeoutMs
    );
    // After 'ready', errors and closes mean the session died under the command (pause, host reset).
    conn.on('error', (err) => finish(dropped(`connection error during command (${err.message})`)));
    conn.on('close', () => finish(dropped('connection closed before the command finished')));

    conn.exec(command, (err, stream: ClientChannel) => {
      if (err) return finish(dropped(`could not open a session (${err.message})`));
      stream.on('data', (d: Buffer) => stdout.push(d));
      stream.stderr.on('data', (d: Buffer) => stderr.push(d));
      stream.on('exit', (code: number | null, signal?: string) => {
        exitCode = code ?? 128 + (signal ? (constants.signals[signal as keyof typeof constants.signals] ?? 0) : 0);
      });
      stream.on('close', () => {
        if (exitCode === undefined) return finish(dropped('session closed without an exit status'));
        finish({
          code: exitCode,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
      });
    });
  });
}

/** Maps ssh2's errors (which carry a `level`, and a socket `code` at level `client-socket`). */
function mapSshError(err: Error & { level?: string; code?: string }, endpoint: string): PlatformError {
  if (err.level === 'client-authentication') {
    return new AuthError(`${endpoint}: public key refused`, { endpoint });
  }
  const code = err.level === 'client-timeout' ? 'ETIMEDOUT' : (err.code ?? 'EHANDSHAKE');
  // A refused or unresolvable connection never reached sshd; everything else (reset, handshake cut short,
  // timeout) is what a booting or restarting instance looks like from outside.
  const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new TransientPlatformError(`${endpoint}: connect failed (${code}: ${err.message})`, {
    endpoint,
    code,
    mayHaveTakenEffect: !notSent,
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
