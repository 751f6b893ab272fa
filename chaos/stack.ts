/**
 * The campaign's stack: the same Temporal dev server (SQLite), simulator and worker that `dumont-e2e stack up` gives
 * a user, in the campaign's own data dir and on free ports, with the handles the trials need to hurt it: SIGKILL the
 * worker and restart it with `dumont-e2e worker`, SIGKILL the Temporal server and restart it on the same file and port.
 */
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../src/config';
import { loadOrCreateSimCredentials } from '../src/client/stack/sim-credentials';
import { isAlive, waitUntil } from '../src/client/stack/processes';
import { stackDown, stackUp } from '../src/client/stack/stack';
import { resolveStackConfig, type StackConfig, type StackConfigOverrides } from '../src/client/stack/stack-config';
import { readStackFile } from '../src/client/stack/stack-file';
import { REAPER_SCHEDULE_ID } from '../src/client/stack/reaper-schedule';

/** Variables that would make `dumont-e2e worker` serve something other than the campaign's stack. */
const FOREIGN_KEYS = [
  'TEMPORAL_ADDRESS',
  'DUMONT_E2E_TARGET',
  'DUMONT_API_URL',
  'DUMONT_EMAIL',
  'DUMONT_PASSWORD',
  'DUMONT_TOKEN',
  'VAST_API_URL',
  'VAST_API_KEY',
  'DUMONT_E2E_KEY_SECRET',
];

/** The campaign's running stack and what the trials do to it. */
export interface ChaosStack {
  cfg: StackConfig;
  client: Client;
  /** The simulator's VAST key (bearer of its admin API). */
  simApiKey: string;
  simPassword: string;
  dumontUrl: string;
  timeScale: number;
  /** The environment for `dumont-e2e` child processes: serve/use this stack and nothing else. */
  cliEnv: NodeJS.ProcessEnv;
  /** The pid of the worker serving the stack now. */
  workerPid(): number;
  /** SIGKILL the worker; resolves once it is gone. */
  killWorker(): Promise<void>;
  /** Starts `dumont-e2e worker` (which attaches to the stack by its data dir); resolves once it says ready. */
  startWorker(): Promise<void>;
  /** SIGKILL the Temporal server; resolves once it is gone. */
  killTemporal(): Promise<void>;
  /** Restarts the Temporal server on the same SQLite file and port (`stack up --only temporal`). */
  restartTemporal(): Promise<void>;
  /** Sets the simulator's transient fault rate (its admin API); 0 turns faults off. */
  setFaults(rate: number, seed: number): Promise<{ injected: Record<string, number> }>;
  /** The simulator's admin snapshot (`GET /_sim/state`). */
  simState(): Promise<SimSnapshot>;
  stop(): Promise<void>;
}

/** The parts of `GET /_sim/state` the campaign reads. */
export interface SimSnapshot {
  instances: { id: number; label: string }[];
  volumes: { id: number; label?: string }[];
  faults: { rate: number; injected: Record<string, number>; hitOn?: Record<string, string[]> };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Ports for Temporal (gRPC and UI) and the simulator (BASE, BASE + 1), all free now. */
async function freePorts(): Promise<Required<Pick<StackConfigOverrides, 'temporalPort' | 'uiPort' | 'simPortBase'>>> {
  for (let i = 0; i < 50; i++) {
    const [temporalPort, uiPort, simPortBase] = [await freePort(), await freePort(), await freePort()];
    if (new Set([temporalPort, uiPort, simPortBase, simPortBase + 1]).size < 4) continue;
    const probe = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(simPortBase + 1, '127.0.0.1', () => resolve(true));
    });
    if (ok) await new Promise((resolve) => probe.close(resolve));
    if (ok) return { temporalPort, uiPort, simPortBase };
  }
  throw new Error('no free ports for the campaign stack');
}

/** `dumont-e2e worker` serving the stack in `dataDir`; resolves once it printed `worker ready`. */
function spawnStackWorker(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs'), 'worker'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('worker ready')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      if (!out.includes('worker ready')) reject(new Error(`worker exited (${code ?? signal}) before ready: ${out}`));
      else log(`worker pid ${child.pid} exited (${code ?? signal})`);
    });
  });
}

/**
 * Brings a stack up in `dataDir` on free ports with `stack up` (so the reaper schedule `stack up` creates is there;
 * the campaign pauses it, or it would clean up leaks before the trials count them).
 */
export async function startChaosStack(opts: {
  dataDir: string;
  timeScale: number;
  log: (line: string) => void;
}): Promise<ChaosStack> {
  const overrides: StackConfigOverrides = { dataDir: opts.dataDir, timeScale: opts.timeScale, ...(await freePorts()) };
  const cfg = resolveStackConfig(overrides);
  const info = await stackUp({ ...overrides, log: (l) => opts.log(`stack: ${l}`) });
  const connection = await Connection.connect({ address: cfg.temporalAddress });
  const client = new Client({ connection });
  await client.schedule
    .getHandle(REAPER_SCHEDULE_ID)
    .pause('chaos campaign: leaks are counted by the trials, not cleaned up behind their back');
  const { credentials } = loadOrCreateSimCredentials(cfg.credentialsFile);
  const cliEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DUMONT_E2E_DATA_DIR: cfg.dataDir,
    DUMONT_E2E_TEMPORAL_PORT: String(cfg.temporalPort),
    DUMONT_E2E_TEMPORAL_UI_PORT: String(cfg.uiPort),
    DUMONT_E2E_SIM_PORT_BASE: String(cfg.dumontPort),
  };
  for (const key of FOREIGN_KEYS) delete cliEnv[key];
  const dumontUrl = info.sim!.dumontUrl;
  let child: ChildProcess | undefined;
  const workerPid = (): number => child?.pid ?? readStackFile(cfg.stackFile)!.worker!.pid;
  const admin = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${dumontUrl}/_sim${route}`, {
      method,
      headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`simulator ${method} /_sim${route}: HTTP ${res.status}`);
    return res.json();
  };
  const killPid = async (pid: number, what: string): Promise<void> => {
    process.kill(pid, 'SIGKILL');
    if (!(await waitUntil(() => !isAlive(pid), 10_000))) throw new Error(`${what} pid ${pid} survived SIGKILL`);
  };
  return {
    cfg,
    client,
    simApiKey: credentials.apiKey,
    simPassword: credentials.password,
    dumontUrl,
    timeScale: info.sim!.timeScale,
    cliEnv,
    workerPid,
    async killWorker() {
      await killPid(workerPid(), 'worker');
    },
    async startWorker() {
      child = await spawnStackWorker(cliEnv, opts.log);
    },
    async killTemporal() {
      await killPid(readStackFile(cfg.stackFile)!.temporal!.pid!, 'temporal');
    },
    async restartTemporal() {
      await stackUp({ ...overrides, components: ['temporal'], log: (l) => opts.log(`stack: ${l}`) });
    },
    async setFaults(rate, seed) {
      return (await admin('PUT', '/faults', { rate, seed })) as { injected: Record<string, number> };
    },
    async simState() {
      return (await admin('GET', '/state')) as SimSnapshot;
    },
    async stop() {
      await connection.close().catch(() => undefined);
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
      await stackDown({ dataDir: cfg.dataDir });
    },
  };
}
