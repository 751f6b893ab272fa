/**
 * The embedded GPU cloud simulator (`docs/simulator.md`): a VAST face, a Dumont face with the admin API,
 * and one SSH endpoint per running instance, all on loopback and all sharing one account and one state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateRunKeyPair } from '../platform/keys';
import { createDumontFace } from './dumont/dumont-face';
import { DumontUsers } from './dumont/dumont-users';
import { parseDefects } from './defects';
import { parseFaultSettings } from './core/fault-injector';
import { adminRoutes } from './admin/admin-routes';
import { startHttpFace, type HttpFace } from './core/http-kit';
import { shutdownInstances } from './instances/instance-lifecycle';
import { simState } from './admin/sim-state';
import { FAULT_KINDS, type FaultKind, type RunningSim, type SimOptions } from './types';
import { createVastFace } from './vast/vast-face';
import { SimWorld } from './world';

export * from './types';
export { DEFECTS, DEFECT_NAMES, isDefectName, parseDefects } from './defects';
export { TIMINGS } from './instances/instance-lifecycle';

function validate(opts: SimOptions): void {
  const bad = (what: string, value: unknown): never => {
    throw new Error(`startSimulator: invalid ${what}: ${JSON.stringify(value)}`);
  };
  if (opts.host !== undefined && opts.host !== '127.0.0.1') bad('host (loopback 127.0.0.1 only)', opts.host);
  for (const key of ['vastPort', 'dumontPort'] as const) {
    const port = opts[key];
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) bad(key, port);
  }
  if (opts.timeScale !== undefined && !(opts.timeScale > 0 && Number.isFinite(opts.timeScale)))
    bad('timeScale', opts.timeScale);
  if (opts.seed !== undefined && !Number.isFinite(opts.seed)) bad('seed', opts.seed);
  if (typeof opts.apiKey !== 'string' || opts.apiKey.trim() === '') bad('apiKey', opts.apiKey);
  if (opts.v0ListMode !== undefined && opts.v0ListMode !== 200 && opts.v0ListMode !== 410)
    bad('v0ListMode', opts.v0ListMode);
  for (const user of opts.users ?? []) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.email) || user.password.length < 6) bad('user', user.email);
  }
}

/** Starts the simulator; resolves once both faces listen. */
export async function startSimulator(opts: SimOptions): Promise<RunningSim> {
  validate(opts);
  const host = opts.host ?? '127.0.0.1';
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-sim-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const world = new SimWorld({
    timeScale: opts.timeScale ?? 0.01,
    seed: opts.seed ?? 1,
    apiKey: opts.apiKey,
    dataDir,
    // One parseable ed25519 key (ssh2's encoder sometimes writes one its parser rejects; see platform/keys.ts).
    hostKey: generateRunKeyPair('dumont-sim-host').privateKey,
    v0ListMode: opts.v0ListMode ?? 410,
    log: opts.log ?? (() => undefined),
  });
  const setDefects = (names: string[]): void => {
    world.defects = new Set(parseDefects(names));
    opts.log?.(`defects: ${[...world.defects].join(', ') || 'none'}`);
  };
  const setFaults = (f: { rate: number; kinds?: string[]; seed?: number }): void => {
    world.faults.configure(parseFaultSettings(f));
  };
  setDefects(opts.defects ?? []);
  setFaults({ rate: opts.faultRate ?? 0, kinds: opts.faultKinds ?? [...FAULT_KINDS] });
  const users = new DumontUsers();
  for (const user of opts.users ?? []) users.register(user.email, user.password);

  const faces: HttpFace[] = [];
  const cleanup = async (): Promise<void> => {
    await shutdownInstances(world);
    await Promise.all(faces.map((f) => f.close()));
    if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  };
  try {
    faces.push(await startHttpFace(host, opts.vastPort ?? 0, createVastFace(world)));
    faces.push(
      await startHttpFace(
        host,
        opts.dumontPort ?? 0,
        createDumontFace(world, users, adminRoutes(world, setDefects, setFaults))
      )
    );
  } catch (err) {
    await cleanup();
    throw err;
  }
  const [vast, dumont] = faces;
  let stopping: Promise<void> | undefined;
  return {
    vastUrl: vast.url,
    dumontUrl: dumont.url,
    adminUrl: `${dumont.url}/_sim`,
    timeScale: world.clock.timeScale,
    state: () => simState(world),
    setDefects,
    setFaults: (f: { rate: number; kinds?: FaultKind[]; seed?: number }) => setFaults(f),
    stop: () => (stopping ??= cleanup()),
  };
}
