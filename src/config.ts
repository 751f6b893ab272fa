import path from 'node:path';
import { z } from 'zod';
import type { ObjectStoreConfig } from './platform/object-store';
import type { Target } from './workflows/types';

/** Repository root (this file lives in `<root>/src`). */
export const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * Every setting, from the environment (flags override by passing them in `overrides`), validated in one place.
 * An invalid value fails with the key and the value; secrets are never echoed.
 */
export interface HarnessConfig {
  /** Temporal frontend. @default '127.0.0.1:7233' (env TEMPORAL_ADDRESS) */
  temporalAddress: string;
  /** @default 'default' (env TEMPORAL_NAMESPACE) */
  namespace: string;
  /** Which platform this worker/run talks to. @default 'sim' (env DUMONT_E2E_TARGET) */
  target: Target;
  /** Dumont API base URL, e.g. https://dumont.example.com (env DUMONT_API_URL). */
  dumontUrl?: string;
  /** Dumont login (env DUMONT_EMAIL / DUMONT_PASSWORD), or a JWT in DUMONT_TOKEN. Secrets. */
  dumontEmail?: string;
  dumontPassword?: string;
  dumontToken?: string;
  /** VAST API base URL. @default 'https://console.vast.ai' (env VAST_API_URL) */
  vastUrl: string;
  /** VAST API key (env VAST_API_KEY). Secret. */
  vastApiKey?: string;
  /** Local state: logs, SQLite, the stack's files. @default '<repo>/.data' (env DUMONT_E2E_DATA_DIR) */
  dataDir: string;
  /**
   * Secret from which every worker derives a suite's SSH key (env DUMONT_E2E_KEY_SECRET, at least 32 characters).
   * All workers of a deployment share it, so any worker reaches any instance of a suite. Secret. On the simulator
   * target the stack's `<data>/key-secret` is used when unset.
   */
  keySecret?: string;
  /**
   * Per-target limits that make a real, slow, serialising Dumont survivable (docs/operations.md § Running against a
   * real Dumont). Defaults: {@link TARGET_DEFAULTS} of the target; each can be set by its env variable.
   */
  limits?: TargetLimits;
  /**
   * The user's bucket (B2, R2, the simulator's object store), read with an S3 client to verify what the platform
   * claims to have stored (env DUMONT_E2E_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY; the
   * keys are secrets). Unset: scenarios that read the bucket fail saying so.
   */
  objectStore?: ObjectStoreConfig;
  /**
   * Where the suite's own report step writes each suite's reports, in `<dir>/<suite id>/` on the worker's machine
   * (also to the bucket, under `dumont-e2e-reports/<suite id>/`, when {@link objectStore} is set).
   * @default '<data dir>/reports' (env DUMONT_E2E_REPORTS_DIR)
   */
  reportsDir?: string;
  /**
   * Slack-compatible incoming webhook told when a scheduled run fails, leaks or exceeds its budget (env
   * DUMONT_E2E_WEBHOOK_URL). Secret: it authorises posting. Unset: no notification.
   */
  webhookUrl?: string;
  /** The Temporal Web UI for links in reports (env DUMONT_E2E_WEB_UI_URL). @default the frontend's port + 1000 on loopback */
  webUiUrl?: string;
}

/** What a worker allows the platform (seconds and counts). */
export interface TargetLimits {
  /** Client timeout of one create (env DUMONT_E2E_CREATE_TIMEOUT_SECONDS). */
  createTimeoutSeconds: number;
  /** Client timeout of every other call (env DUMONT_E2E_READ_TIMEOUT_SECONDS): reads stall behind a create. */
  readTimeoutSeconds: number;
  /** Creates in flight at once from one worker (env DUMONT_E2E_MAX_CONCURRENT_CREATES). */
  maxConcurrentCreates: number;
  /** How long the same failure may repeat before the platform is called unavailable (env DUMONT_E2E_UNAVAILABLE_AFTER_SECONDS). */
  unavailableAfterSeconds: number;
  /**
   * After a create whose answer was lost, how long to keep looking for its label before creating again (env
   * DUMONT_E2E_CREATE_LANDING_SECONDS): a serialising platform may not even have started it yet.
   */
  createLandingSeconds: number;
}

/**
 * Defaults per target. A real Dumont handles one create at a time and blocks about 120 s in each (its handler sets
 * the machine up over SSH before answering), stalling every other request meanwhile; the simulator's ideal platform
 * answers at once.
 */
export const TARGET_DEFAULTS: Record<Target, TargetLimits> = {
  dumont: {
    createTimeoutSeconds: 600,
    readTimeoutSeconds: 180,
    maxConcurrentCreates: 1,
    unavailableAfterSeconds: 300,
    createLandingSeconds: 600,
  },
  sim: {
    createTimeoutSeconds: 180,
    readTimeoutSeconds: 60,
    maxConcurrentCreates: 8,
    unavailableAfterSeconds: 60,
    createLandingSeconds: 15,
  },
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_KEYS = new Set([
  'DUMONT_PASSWORD',
  'DUMONT_TOKEN',
  'VAST_API_KEY',
  'DUMONT_E2E_KEY_SECRET',
  'DUMONT_E2E_S3_ACCESS_KEY_ID',
  'DUMONT_E2E_S3_SECRET_ACCESS_KEY',
  'DUMONT_E2E_WEBHOOK_URL',
]);

const schema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  DUMONT_E2E_TARGET: z.enum(['sim', 'dumont']).default('sim'),
  DUMONT_API_URL: z.url().optional(),
  DUMONT_EMAIL: z.string().min(1).optional(),
  DUMONT_PASSWORD: z.string().min(1).optional(),
  DUMONT_TOKEN: z.string().min(1).optional(),
  VAST_API_URL: z.url().default('https://console.vast.ai'),
  VAST_API_KEY: z.string().min(1).optional(),
  DUMONT_E2E_DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, '.data')),
  DUMONT_E2E_KEY_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  DUMONT_E2E_CREATE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  DUMONT_E2E_READ_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  DUMONT_E2E_MAX_CONCURRENT_CREATES: z.coerce.number().int().min(1).max(1000).optional(),
  DUMONT_E2E_UNAVAILABLE_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  DUMONT_E2E_CREATE_LANDING_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  DUMONT_E2E_S3_ENDPOINT: z.url().optional(),
  DUMONT_E2E_S3_BUCKET: z.string().min(1).optional(),
  DUMONT_E2E_S3_REGION: z.string().min(1).default('auto'),
  DUMONT_E2E_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  DUMONT_E2E_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  DUMONT_E2E_REPORTS_DIR: z.string().min(1).optional(),
  DUMONT_E2E_WEBHOOK_URL: z.url().optional(),
  DUMONT_E2E_WEB_UI_URL: z.url().optional(),
});

/** Reads and validates the configuration; `overrides` (from flags) win over `env`. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Record<string, string | undefined> = {}
): HarnessConfig {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    const shown = SECRET_KEYS.has(key) ? '<hidden>' : JSON.stringify(raw[key]);
    throw new ConfigError(`invalid ${key}=${shown}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    temporalAddress: c.TEMPORAL_ADDRESS,
    namespace: c.TEMPORAL_NAMESPACE,
    target: c.DUMONT_E2E_TARGET,
    dumontUrl: c.DUMONT_API_URL,
    dumontEmail: c.DUMONT_EMAIL,
    dumontPassword: c.DUMONT_PASSWORD,
    dumontToken: c.DUMONT_TOKEN,
    vastUrl: c.VAST_API_URL,
    vastApiKey: c.VAST_API_KEY,
    dataDir: path.resolve(c.DUMONT_E2E_DATA_DIR),
    reportsDir: path.resolve(c.DUMONT_E2E_REPORTS_DIR ?? path.join(c.DUMONT_E2E_DATA_DIR, 'reports')),
    ...(c.DUMONT_E2E_WEBHOOK_URL ? { webhookUrl: c.DUMONT_E2E_WEBHOOK_URL } : {}),
    ...(c.DUMONT_E2E_WEB_UI_URL ? { webUiUrl: c.DUMONT_E2E_WEB_UI_URL } : {}),
    keySecret: c.DUMONT_E2E_KEY_SECRET,
    limits: {
      createTimeoutSeconds:
        c.DUMONT_E2E_CREATE_TIMEOUT_SECONDS ?? TARGET_DEFAULTS[c.DUMONT_E2E_TARGET].createTimeoutSeconds,
      readTimeoutSeconds: c.DUMONT_E2E_READ_TIMEOUT_SECONDS ?? TARGET_DEFAULTS[c.DUMONT_E2E_TARGET].readTimeoutSeconds,
      maxConcurrentCreates:
        c.DUMONT_E2E_MAX_CONCURRENT_CREATES ?? TARGET_DEFAULTS[c.DUMONT_E2E_TARGET].maxConcurrentCreates,
      unavailableAfterSeconds:
        c.DUMONT_E2E_UNAVAILABLE_AFTER_SECONDS ?? TARGET_DEFAULTS[c.DUMONT_E2E_TARGET].unavailableAfterSeconds,
      createLandingSeconds:
        c.DUMONT_E2E_CREATE_LANDING_SECONDS ?? TARGET_DEFAULTS[c.DUMONT_E2E_TARGET].createLandingSeconds,
    },
    ...objectStoreOf(c),
  };
}

/** The bucket's configuration when endpoint, bucket and both keys are set; a partial one names what it lacks. */
function objectStoreOf(c: z.infer<typeof schema>): { objectStore?: ObjectStoreConfig } {
  const parts = {
    DUMONT_E2E_S3_ENDPOINT: c.DUMONT_E2E_S3_ENDPOINT,
    DUMONT_E2E_S3_BUCKET: c.DUMONT_E2E_S3_BUCKET,
    DUMONT_E2E_S3_ACCESS_KEY_ID: c.DUMONT_E2E_S3_ACCESS_KEY_ID,
    DUMONT_E2E_S3_SECRET_ACCESS_KEY: c.DUMONT_E2E_S3_SECRET_ACCESS_KEY,
  };
  const missing = Object.entries(parts).filter(([, v]) => v === undefined);
  if (missing.length === 4) return {};
  if (missing.length)
    throw new ConfigError(
      `the object store needs ${missing.map(([k]) => k).join(', ')} too (or none of DUMONT_E2E_S3_*)`
    );
  return {
    objectStore: {
      endpoint: c.DUMONT_E2E_S3_ENDPOINT!,
      bucket: c.DUMONT_E2E_S3_BUCKET!,
      region: c.DUMONT_E2E_S3_REGION,
      accessKeyId: c.DUMONT_E2E_S3_ACCESS_KEY_ID!,
      secretAccessKey: c.DUMONT_E2E_S3_SECRET_ACCESS_KEY!,
    },
  };
}

/** Names of the credentials a worker for `config.target` lacks (empty when complete). */
export function missingCredentials(config: HarnessConfig): string[] {
  const missing: string[] = [];
  if (!config.dumontUrl) missing.push('DUMONT_API_URL');
  if (!config.dumontToken && !(config.dumontEmail && config.dumontPassword))
    missing.push('DUMONT_EMAIL+DUMONT_PASSWORD (or DUMONT_TOKEN)');
  if (!config.vastApiKey) missing.push('VAST_API_KEY');
  return missing;
}

/** Throws the one-line error `run`/`sweep` show when `--target dumont` lacks credentials. */
export function requireCredentials(config: HarnessConfig): void {
  // run and sweep start a worker in this process: it derives the suites' SSH keys from the key secret.
  const missing = [...missingCredentials(config), ...(config.keySecret ? [] : ['DUMONT_E2E_KEY_SECRET'])];
  if (missing.length) throw new ConfigError(`--target ${config.target} needs ${missing.join(', ')} in the environment`);
}

/** A simulator running in this process, as {@link simulatorConfig} needs it. */
export interface InProcessSim {
  dumontUrl: string;
  vastUrl: string;
  objectStore: { url: string } & Omit<ObjectStoreConfig, 'endpoint'>;
}

/**
 * The configuration of a worker in this process bound to a simulator in this process (tests, benchmarks): the
 * simulator's addresses and bucket, the account it was started with, and the SSH key secret.
 */
export function simulatorConfig(opts: {
  temporalAddress: string;
  sim: InProcessSim;
  dataDir: string;
  vastApiKey: string;
  user: { email: string; password: string };
  keySecret: string;
}): HarnessConfig {
  const { sim } = opts;
  return {
    temporalAddress: opts.temporalAddress,
    namespace: 'default',
    target: 'sim',
    dumontUrl: sim.dumontUrl,
    dumontEmail: opts.user.email,
    dumontPassword: opts.user.password,
    vastUrl: sim.vastUrl,
    vastApiKey: opts.vastApiKey,
    dataDir: opts.dataDir,
    keySecret: opts.keySecret,
    objectStore: { endpoint: sim.objectStore.url, ...sim.objectStore },
  };
}
