import { DEFAULT_SIM_TIME_SCALE } from '../../workflows/validate';
import path from 'node:path';
import { keySecretFile } from './key-secret';
import { OperationalError } from '../operational-error';

/** Repository root (src/client/stack/ → ../../..), so the stack works from any cwd. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The stack binds loopback only: the dev server and the simulator have no authentication worth the name. */
export const STACK_HOST = '127.0.0.1';

export const DEFAULT_TEMPORAL_PORT = 7233;
export const DEFAULT_SIM_PORT_BASE = 7780;
export const DEFAULT_TIME_SCALE = DEFAULT_SIM_TIME_SCALE;

/** The components `stack up` manages, in start order. */
export const STACK_COMPONENTS = ['temporal', 'sim', 'worker'] as const;
export type StackComponent = (typeof STACK_COMPONENTS)[number];

/** Overrides for {@link resolveStackConfig}; anything left out comes from the environment, then the defaults. */
export interface StackConfigOverrides {
  /** `DUMONT_E2E_DATA_DIR`, default `<repo>/.data`. */
  dataDir?: string;
  /** `DUMONT_E2E_TEMPORAL_PORT`, default 7233. */
  temporalPort?: number;
  /** `DUMONT_E2E_TEMPORAL_UI_PORT`, default temporal port + 1000 (8233), as `temporal server start-dev` does. */
  uiPort?: number;
  /** `DUMONT_E2E_SIM_PORT_BASE`, default 7780: the Dumont face listens on BASE, the VAST face on BASE + 1. */
  simPortBase?: number;
  /** `DUMONT_E2E_TIME_SCALE`, default {@link DEFAULT_TIME_SCALE} (0.02: one platform minute = 1.2 real seconds). */
  timeScale?: number;
}

/** Every path and port of one local stack. */
export interface StackConfig {
  dataDir: string;
  logsDir: string;
  stackFile: string;
  lockFile: string;
  dbFile: string;
  simReadyFile: string;
  credentialsFile: string;
  /** The workers' key-derivation secret (`DUMONT_E2E_KEY_SECRET`), mode 0600. */
  keySecretFile: string;
  host: string;
  temporalPort: number;
  uiPort: number;
  dumontPort: number;
  vastPort: number;
  timeScale: number;
  temporalAddress: string;
  uiUrl: string;
}

function envNumber(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new OperationalError(`${key} must be a number, got '${raw}'`);
  return value;
}

function checkPort(key: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new OperationalError(`${key} must be a port number 1-65535, got '${value}'`);
  }
  return value;
}

/**
 * Resolves the stack's paths and ports: explicit overrides, then `DUMONT_E2E_*` variables, then defaults.
 *
 * @throws Error naming the variable and the bad value.
 */
export function resolveStackConfig(overrides: StackConfigOverrides = {}, env = process.env): StackConfig {
  const dataDir = path.resolve(overrides.dataDir ?? (env.DUMONT_E2E_DATA_DIR || path.join(REPO_ROOT, '.data')));
  const temporalPort = checkPort(
    'DUMONT_E2E_TEMPORAL_PORT',
    overrides.temporalPort ?? envNumber(env, 'DUMONT_E2E_TEMPORAL_PORT') ?? DEFAULT_TEMPORAL_PORT
  );
  const uiPort = checkPort(
    'DUMONT_E2E_TEMPORAL_UI_PORT',
    overrides.uiPort ?? envNumber(env, 'DUMONT_E2E_TEMPORAL_UI_PORT') ?? temporalPort + 1000
  );
  const simPortBase = checkPort(
    'DUMONT_E2E_SIM_PORT_BASE',
    overrides.simPortBase ?? envNumber(env, 'DUMONT_E2E_SIM_PORT_BASE') ?? DEFAULT_SIM_PORT_BASE
  );
  checkPort('DUMONT_E2E_SIM_PORT_BASE + 1', simPortBase + 1);
  const timeScale = overrides.timeScale ?? envNumber(env, 'DUMONT_E2E_TIME_SCALE') ?? DEFAULT_TIME_SCALE;
  if (!(timeScale > 0))
    throw new OperationalError(`DUMONT_E2E_TIME_SCALE must be a positive number, got '${timeScale}'`);
  return {
    dataDir,
    logsDir: path.join(dataDir, 'logs'),
    stackFile: path.join(dataDir, 'stack.json'),
    lockFile: path.join(dataDir, 'stack.lock'),
    dbFile: path.join(dataDir, 'temporal.db'),
    simReadyFile: path.join(dataDir, 'sim.ready.json'),
    credentialsFile: path.join(dataDir, 'sim-credentials.json'),
    keySecretFile: keySecretFile(dataDir),
    host: STACK_HOST,
    temporalPort,
    uiPort,
    dumontPort: simPortBase,
    vastPort: simPortBase + 1,
    timeScale,
    temporalAddress: `${STACK_HOST}:${temporalPort}`,
    uiUrl: `http://${STACK_HOST}:${uiPort}`,
  };
}
