/**
 * Starts a simulator: validates the options, builds the world with the registered feature modules, and
 * opens both faces (the Dumont one carries the admin API). `stop()` undoes all of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateRunKeyPair } from '../platform/keys';
import { adminRoutes, type SimControls } from './admin/admin-routes';
import { simState } from './admin/sim-state';
import { FAULT_KINDS, type FaultKind } from './core/fault-kinds';
import { parseFaultSettings } from './core/fault-injector';
import { parseHostileSettings, type HostileSettings } from './core/hostile';
import type { HttpFace } from './core/http/face-server';
import { startS3Face } from './core/object-store';
import { MAX_CATALOGUE_SCALE } from './core/offers-catalogue';
import { startDumontFace } from './dumont/dumont-face';
import { DumontUsers } from './dumont/dumont-users';
import { FEATURES } from './features';
import type { SimFeature } from './features/types';
import { shutdownInstances } from './instances/instance-control';
import { DEFAULT_SIM_PROFILE, isSimProfile, SIM_PROFILES } from './profiles';
import type { RunningSim, SimOptions } from './types';
import { startVastFace } from './vast/vast-face';
import { SimWorld } from './world';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function validate(opts: SimOptions): void {
  const bad = (what: string, value: unknown): never => {
    throw new Error(`startSimulator: invalid ${what}: ${JSON.stringify(value)}`);
  };
  if (opts.host !== undefined && opts.host !== '127.0.0.1') bad('host (loopback 127.0.0.1 only)', opts.host);
  for (const key of ['vastPort', 'dumontPort', 'objectStorePort'] as const) {
    const port = opts[key];
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) bad(key, port);
  }
  if (opts.timeScale !== undefined && !(opts.timeScale > 0 && Number.isFinite(opts.timeScale)))
    bad('timeScale', opts.timeScale);
  if (opts.seed !== undefined && !Number.isFinite(opts.seed)) bad('seed', opts.seed);
  const scale = opts.catalogueScale;
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 1 || scale > MAX_CATALOGUE_SCALE))
    bad(`catalogueScale (a whole number from 1 to ${MAX_CATALOGUE_SCALE})`, scale);
  if (typeof opts.apiKey !== 'string' || opts.apiKey.trim() === '') bad('apiKey', opts.apiKey);
  if (opts.v0ListMode !== undefined && opts.v0ListMode !== 200 && opts.v0ListMode !== 410)
    bad('v0ListMode', opts.v0ListMode);
  if (opts.profile !== undefined && !isSimProfile(opts.profile))
    bad(`profile (known: ${SIM_PROFILES.join(', ')})`, opts.profile);
  for (const user of opts.users ?? []) {
    if (!EMAIL.test(user.email) || user.password.length < 6) bad('user', user.email);
  }
}

/**
 * The feature modules whose state code outside their own folder reads (the account, `sim state`, the admin API, other
 * modules): the simulator cannot run without them.
 */
export const FEATURES_OTHERS_READ: readonly string[] = [
  'storage-volumes',
  'ssh-keys',
  'serverless',
  'snapshots',
  'market',
  'warm-pool',
  'failover',
];

/** The feature modules a simulator can run without (`SimOptions.withoutFeatures`). */
export const SWITCHABLE_FEATURES: readonly string[] = FEATURES.map((f) => f.name).filter(
  (name) => !FEATURES_OTHERS_READ.includes(name)
);

/** The registered feature modules less `without` (validated: known names, none that others read). */
export function selectFeatures(without: readonly string[] = []): readonly SimFeature[] {
  const known = FEATURES.map((f) => f.name);
  for (const name of without) {
    if (!known.includes(name))
      throw new Error(`startSimulator: unknown feature module ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    if (FEATURES_OTHERS_READ.includes(name))
      throw new Error(
        `startSimulator: feature module ${JSON.stringify(name)} cannot be switched off (other code reads its state; ` +
          `switchable: ${SWITCHABLE_FEATURES.join(', ')})`
      );
  }
  return FEATURES.filter((f) => !without.includes(f.name));
}

/** Starts the simulator; resolves once both faces listen. */
export function startSimulator(opts: SimOptions): Promise<RunningSim> {
  return launchSimulator(opts, selectFeatures(opts.withoutFeatures));
}

/**
 * {@link startSimulator} with an explicit feature list: the registered ones plus, in tests, features that
 * exist only to exercise the feature interface.
 */
export async function launchSimulator(opts: SimOptions, features: readonly SimFeature[]): Promise<RunningSim> {
  validate(opts);
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-sim-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const world = new SimWorld({
    timeScale: opts.timeScale ?? 0.01,
    seed: opts.seed ?? 1,
    catalogueScale: opts.catalogueScale ?? 1,
    apiKey: opts.apiKey,
    dataDir,
    // One parseable ed25519 key (ssh2's encoder sometimes writes one its parser rejects; see platform/keys.ts).
    hostKey: generateRunKeyPair('dumont-sim-host').privateKey,
    v0ListMode: opts.v0ListMode ?? 410,
    profile: opts.profile ?? DEFAULT_SIM_PROFILE,
    log,
    features,
  });
  const logDefects = (): void => log(`defects: ${world.defects.names().join(', ') || 'none'}`);
  const controls: SimControls = {
    setDefects: (defects) => {
      world.defects.set(defects);
      logDefects();
    },
    addDefects: (defects) => {
      world.defects.add(defects);
      logDefects();
    },
    removeDefects: (defects) => {
      world.defects.remove(defects);
      logDefects();
    },
    setFaults: (settings) => world.faults.configure(parseFaultSettings(settings)),
    setHostile: (settings) => {
      world.hostile.configure(parseHostileSettings(settings));
      log(`hostile: ${settings.mode ?? 'off'}`);
    },
  };
  controls.setDefects(opts.defects ?? []);
  controls.setFaults({ rate: opts.faultRate ?? 0, kinds: opts.faultKinds ?? [...FAULT_KINDS] });
  const users = new DumontUsers();
  for (const user of opts.users ?? []) users.register(user.email, user.password);

  const faces: HttpFace[] = [];
  const cleanup = async (): Promise<void> => {
    await shutdownInstances(world);
    try {
      await world.features.shutdown();
    } finally {
      await Promise.all(faces.map((f) => f.close()));
      if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  };
  try {
    faces.push(await startVastFace(world, host, opts.vastPort ?? 0));
    faces.push(await startDumontFace(world, users, adminRoutes(world, controls), host, opts.dumontPort ?? 0));
    faces.push(await startS3Face(world.objectStore, world.faults, host, opts.objectStorePort ?? 0));
  } catch (err) {
    await cleanup();
    throw err;
  }
  const [vast, dumont, s3] = faces;
  const store = world.objectStore;
  let stopping: Promise<void> | undefined;
  return {
    vastUrl: vast.url,
    dumontUrl: dumont.url,
    adminUrl: `${dumont.url}/_sim`,
    objectStore: {
      url: s3.url,
      bucket: store.bucket,
      region: store.region,
      accessKeyId: store.accessKeyId,
      secretAccessKey: store.secretAccessKey,
    },
    timeScale: world.clock.timeScale,
    state: () => simState(world),
    setDefects: controls.setDefects,
    addDefects: controls.addDefects,
    removeDefects: controls.removeDefects,
    setFaults: (f: { rate: number; kinds?: FaultKind[]; seed?: number }) => controls.setFaults(f),
    setHostile: (settings: HostileSettings) => controls.setHostile(settings),
    hostile: () => world.hostile.view(),
    stop: () => (stopping ??= cleanup()),
  };
}
