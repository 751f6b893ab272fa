/** Processes the bench starts: the CLI as a child, line watchers, memory of a pid, free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Repository root (bench/lib → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');

/** What a finished CLI run gives back. */
export interface CliRun {
  code: number;
  /** Wall of the process, spawn to exit. */
  ms: number;
  lines: string[];
  /** When each watched pattern first matched a line, in ms after spawn. */
  marks: Record<string, number>;
}

/**
 * Runs `dumont-e2e <args>` to completion with `env` added, recording every output line and the time at which each of
 * `watch`'s patterns first matched one. `log` receives the lines (the bench prints them indented).
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { watch?: Record<string, RegExp>; log?: (line: string) => void; timeoutMs?: number } = {}
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const marks: Record<string, number> = {};
  const onData = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      opts.log?.(line);
      for (const [name, re] of Object.entries(opts.watch ?? {}))
        if (marks[name] === undefined && re.test(line)) marks[name] = performance.now() - started;
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? -1, ms: performance.now() - started, lines, marks });
    });
  });
}

/** Peak (VmHWM) and current (VmRSS) resident memory of `pid` in bytes, from /proc (Linux); undefined elsewhere. */
export function memoryOf(pid: number): { peak: number; current: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { peak: kb('VmHWM'), current: kb('VmRSS') };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) `pid` has used so far, in ms, from /proc (Linux; clock ticks of 10 ms); undefined elsewhere. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A loopback port free now (and, with `pair`, the next one too). */
export async function freePort(pair = false): Promise<number> {
  for (;;) {
    const port = await listenOnce(0);
    if (
      !pair ||
      (await listenOnce(port + 1).then(
        () => true,
        () => false
      ))
    )
      return port;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** Sends SIGTERM to a child we started and waits for it to exit (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
