import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isTemporalServer } from '../../src/client/stack/temporal-server';
import { waitUntil } from '../../src/client/stack/processes';
import { findTemporalBinary } from '../../src/client/temporal-binary';

/** A TCP port nobody listens on right now (the OS picks it), so tests never collide with a user's 7233. */
export async function freePort(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as net.AddressInfo;
  await close(server);
  return port;
}

/** Two consecutive free ports (the simulator uses BASE and BASE + 1). */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const a = await listen(0);
    const base = (a.address() as net.AddressInfo).port;
    try {
      const b = await listen(base + 1);
      await close(b);
      return base;
    } catch {
      // base + 1 taken: try another
    } finally {
      await close(a);
    }
  }
  throw new Error('no two consecutive free ports');
}

/** A plain TCP listener on 127.0.0.1:port: "some other program" holding a port. */
export function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A fresh temporary data dir. */
export function tempDataDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dumont-e2e-${prefix}-`));
}

/**
 * A Temporal dev server the stack did not start (as a user's own `temporal server start-dev` would be), in memory,
 * headless. Resolves once it answers gRPC.
 */
export async function startForeignTemporal(port: number): Promise<ChildProcess> {
  const child = spawn(
    findTemporalBinary(),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
    { stdio: 'ignore' }
  );
  const up = await waitUntil(() => child.exitCode === null && isTemporalServer(`127.0.0.1:${port}`, 2_000), 60_000);
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`foreign temporal server on ${port} did not start`);
  }
  return child;
}

/** A harmless long-lived process that is not ours in the stack's sense (its command line has none of our markers). */
export function startBystander(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

/** Kills a test-owned child and waits for it to be gone. */
export async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Captures what `fn` writes to stdout and stderr. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    out.push(String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    err.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { value, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}
