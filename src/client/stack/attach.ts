import { ConfigError } from '../../config';
import { loadOrCreateKeySecret } from './key-secret';
import { readSimCredentials } from './sim-credentials';
import { stackStatus } from './stack';
import { resolveStackConfig } from './stack-config';
import { readStackFile } from './stack-file';
import { stackWorkerEnv } from './worker-process';

/** A running local stack as a worker started by hand sees it. */
export interface StackAttachment {
  dataDir: string;
  temporalAddress: string;
  dumontUrl: string;
  vastUrl: string;
  /**
   * The harness variables of the stack's own worker ({@link stackWorkerEnv}): target sim, the simulator's URLs and
   * credentials, the key secret, the stack's Temporal address and data dir. Holds secrets: config overrides or an
   * environment only, never argv or logs.
   */
  env: Record<string, string>;
}

/** What to do instead, quoted in every "no stack" error. */
const START_HINT =
  'run `npx dumont-e2e stack up` first, or set DUMONT_API_URL, DUMONT_EMAIL+DUMONT_PASSWORD (or DUMONT_TOKEN), ' +
  'VAST_API_KEY and DUMONT_E2E_KEY_SECRET to serve a platform of your own';

/**
 * Finds the local stack running under `dataDir` (default `DUMONT_E2E_DATA_DIR`, then `<repo>/.data`) and returns what
 * a worker needs to serve it exactly as the stack's own worker does. Reads `stack.json`, `sim-credentials.json` and
 * `key-secret` (creating only the key secret, for a stack started before it existed); starts nothing.
 *
 * @throws ConfigError, one line saying what is not running and to run `npx dumont-e2e stack up` (or which variables
 * to set instead), when the stack's Temporal server or simulator is not running.
 */
export async function attachToStack(opts: { dataDir?: string } = {}): Promise<StackAttachment> {
  const cfg = resolveStackConfig({ dataDir: opts.dataDir });
  let state;
  try {
    state = readStackFile(cfg.stackFile);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; then ${START_HINT}`);
  }
  if (!state) throw new ConfigError(`no local stack is running (nothing recorded in ${cfg.dataDir}): ${START_HINT}`);
  const status = await stackStatus({ dataDir: cfg.dataDir });
  const down = [
    ...(state.temporal && status.temporal.running ? [] : ['Temporal server']),
    ...(state.sim && status.sim.running ? [] : ['simulator']),
  ];
  if (down.length > 0 || !state.temporal || !state.sim) {
    throw new ConfigError(
      `the local stack in ${cfg.dataDir} is not running (its ${down.join(' and ')}): ${START_HINT}`
    );
  }
  const credentials = readSimCredentials(cfg.credentialsFile);
  if (!credentials) {
    throw new ConfigError(
      `the local stack's simulator credentials (${cfg.credentialsFile}) are missing or unreadable; restart the ` +
        'stack: `npx dumont-e2e stack down && npx dumont-e2e stack up`'
    );
  }
  let keySecret: string;
  try {
    keySecret = loadOrCreateKeySecret(cfg.dataDir);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const { temporal, sim } = state;
  return {
    dataDir: cfg.dataDir,
    temporalAddress: temporal.address,
    dumontUrl: sim.dumontUrl,
    vastUrl: sim.vastUrl,
    env: stackWorkerEnv({ dataDir: cfg.dataDir, temporalAddress: temporal.address, sim, credentials, keySecret }),
  };
}
