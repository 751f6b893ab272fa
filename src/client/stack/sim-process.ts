import fs from 'node:fs';
import path from 'node:path';
import { childEnv, isPortOpen, readJsonIfComplete, spawnDetached, waitForProcess } from './processes';
import { DEFAULT_SIM_PROFILE } from '../../sim/profiles';
import { REPO_ROOT, type StackConfig } from './stack-config';
import type { SimRecord } from './stack-file';
import type { SimCredentials } from './sim-credentials';
import { OperationalError } from '../operational-error';

/** Identifies our simulator in `/proc/<pid>/cmdline`. */
export const SIM_MARKERS = ['dumont-e2e.cjs sim '];

const CLI = path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs');
const START_TIMEOUT_MS = 60_000;

/** Fails with the port, what it is for and how to move it, when a simulator port is taken by another program. */
export async function assertSimPortsFree(cfg: StackConfig): Promise<void> {
  for (const [port, face] of [
    [cfg.dumontPort, 'simulator Dumont face'],
    [cfg.vastPort, 'simulator VAST face'],
  ] as const) {
    if (await isPortOpen(cfg.host, port)) {
      throw new OperationalError(
        `port ${port} (${face}) is in use by another program; set DUMONT_E2E_SIM_PORT_BASE ` +
          '(or `stack up --sim-port-base N`; the simulator uses N and N+1) to free ports'
      );
    }
  }
}

/**
 * Starts `dumont-e2e sim --profile PROFILE` detached and waits for its ready file. Credentials go through the
 * environment (`SIM_API_KEY`, `SIM_USER`), never argv, which any local user can read in `ps`.
 */
export async function startSim(
  cfg: StackConfig,
  credentials: SimCredentials,
  timeScale: number,
  profile: string = DEFAULT_SIM_PROFILE
): Promise<SimRecord> {
  await assertSimPortsFree(cfg);
  fs.rmSync(cfg.simReadyFile, { force: true }); // a stale one would look ready at once
  const proc = spawnDetached({
    name: 'sim',
    command: process.execPath,
    args: [
      CLI,
      'sim',
      '--vast-port',
      String(cfg.vastPort),
      '--dumont-port',
      String(cfg.dumontPort),
      '--time-scale',
      String(timeScale),
      // Always named: the flag wins over a DUMONT_E2E_SIM_PROFILE the simulator would inherit from our environment.
      '--profile',
      profile,
      '--ready-file',
      cfg.simReadyFile,
    ],
    logsDir: cfg.logsDir,
    cwd: REPO_ROOT,
    env: childEnv({
      SIM_API_KEY: credentials.apiKey,
      SIM_USER: `${credentials.email}:${credentials.password}`,
      DUMONT_E2E_DATA_DIR: cfg.dataDir,
    }),
  });
  const ready = await waitForProcess(
    'simulator',
    proc,
    `its ready file ${cfg.simReadyFile}`,
    () => {
      const json = readJsonIfComplete(cfg.simReadyFile) as Partial<SimRecord> | undefined;
      return json?.pid === proc.pid && typeof json.vastUrl === 'string' && typeof json.dumontUrl === 'string'
        ? {
            vastUrl: json.vastUrl,
            dumontUrl: json.dumontUrl,
            ...(typeof json.objectStoreUrl === 'string' ? { objectStoreUrl: json.objectStoreUrl } : {}),
          }
        : undefined;
    },
    START_TIMEOUT_MS
  );
  return { ...ready, pid: proc.pid, timeScale, profile };
}

/**
 * How many instances the simulator holds live (its admin API, `GET /_sim/state`, bearer = the VAST key), or undefined
 * when it does not answer: restarting a simulator loses them, and with them whatever suite is using them.
 */
export async function simLiveInstances(sim: SimRecord, apiKey: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${sim.dumontUrl}/_sim/state`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) return undefined;
    const state = (await res.json()) as { instances?: unknown[] };
    return Array.isArray(state.instances) ? state.instances.length : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the simulator recorded in `sim` still answers on both faces. */
export async function simAnswers(sim: SimRecord): Promise<boolean> {
  for (const url of [sim.dumontUrl, sim.vastUrl]) {
    const { hostname, port } = new URL(url);
    if (!(await isPortOpen(hostname, Number(port)))) return false;
  }
  return true;
}
