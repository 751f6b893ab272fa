import { ConfigError, loadConfig, missingCredentials, type HarnessConfig } from '../../config';
import { activitiesFor, createWorkers } from '../../worker';
import { activityTaskQueue, TASK_QUEUE } from '../../workflows/search-attributes';
import { attachToStack } from '../stack/attach';
import { loadOrCreateKeySecret } from '../stack/key-secret';
import { connectTemporalChecked } from '../temporal-connection';
import { parseFlags } from './usage';

const HELP = `Usage: dumont-e2e worker

Runs a Temporal worker in the foreground: workflows on task queue '${TASK_QUEUE}', activities on
'${TASK_QUEUE}@<target>'. Stops gracefully on SIGINT/SIGTERM (in-flight activities get 30 s to finish).
First checks that the Temporal namespace exists and has the harness's search attributes (registering missing
ones where permitted; otherwise exit 2 with the 'temporal operator search-attribute create' command).

With no platform variables in the environment (none of DUMONT_API_URL, DUMONT_EMAIL, DUMONT_PASSWORD,
DUMONT_TOKEN, VAST_API_URL, VAST_API_KEY) it serves the running local stack ('dumont-e2e stack up'), wired
exactly like the stack's own worker: its Temporal server, its simulator and the simulator's credentials, and
the key secret in <data>/key-secret, all read from the data dir (DUMONT_E2E_DATA_DIR, default <repo>/.data).
Use it to resume runs whose worker died. With no stack running it says so and starts nothing.

Otherwise configuration comes from the environment only (secrets never go on the command line):
  TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), DUMONT_E2E_TARGET (sim|dumont),
  DUMONT_API_URL, DUMONT_EMAIL + DUMONT_PASSWORD or DUMONT_TOKEN, VAST_API_URL, VAST_API_KEY,
  DUMONT_E2E_KEY_SECRET (at least 32 characters; each suite's SSH key is derived from it, so every worker of
    a deployment needs the same one; on target sim it defaults to <data>/key-secret),
  DUMONT_E2E_DATA_DIR (local state, default <repo>/.data).
`;

/** Variables that say "a platform of my own": when any is set, the worker does not attach to the local stack. */
const PLATFORM_KEYS = [
  'DUMONT_API_URL',
  'DUMONT_EMAIL',
  'DUMONT_PASSWORD',
  'DUMONT_TOKEN',
  'VAST_API_URL',
  'VAST_API_KEY',
] as const;

/** Whether `dumont-e2e worker` in `env` serves the running local stack (no platform variables, target sim). */
export function servesLocalStack(env: NodeJS.ProcessEnv): boolean {
  const target = env.DUMONT_E2E_TARGET || 'sim';
  return target === 'sim' && PLATFORM_KEYS.every((key) => !env[key]);
}

/**
 * The worker's configuration: the local stack's wiring when {@link servesLocalStack}, else the environment (on target
 * sim, the key secret defaults to the data dir's). `log` gets one line saying what it attached to; no secrets.
 *
 * @throws ConfigError, one line, when there is nothing to serve (no stack running, or a TEMPORAL_ADDRESS that is not
 * the stack's).
 */
export async function workerConfig(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<HarnessConfig> {
  if (servesLocalStack(env)) {
    const stack = await attachToStack({ dataDir: env.DUMONT_E2E_DATA_DIR || undefined });
    if (env.TEMPORAL_ADDRESS && env.TEMPORAL_ADDRESS !== stack.temporalAddress) {
      throw new ConfigError(
        `TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS} is not the local stack's Temporal server (${stack.temporalAddress}); ` +
          'unset it to serve the stack, or set the platform variables (DUMONT_API_URL, ...) to serve your own'
      );
    }
    log(
      `serving the local stack in ${stack.dataDir}: Temporal ${stack.temporalAddress}, simulator ` +
        `${stack.dumontUrl} (dumont) and ${stack.vastUrl} (vast)`
    );
    return loadConfig(env, stack.env);
  }
  const config = loadConfig(env);
  // The simulator needs no shared deployment secret: default to the stack's, so stack and hand-started workers agree.
  if (config.target === 'sim' && !config.keySecret && missingCredentials(config).length === 0) {
    let keySecret: string;
    try {
      keySecret = loadOrCreateKeySecret(config.dataDir);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
    return loadConfig(env, { DUMONT_E2E_KEY_SECRET: keySecret });
  }
  return config;
}

export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const log = (line: string) => console.log(line);
  const config = await workerConfig(process.env, log);
  activitiesFor(config); // missing credentials are said first, before any connection
  // The namespace and our search attributes (registered when missing and permitted), or stop with exit 2.
  await (await connectTemporalChecked(config.temporalAddress, config.namespace, log)).close();
  // createWorkers takes the workflow bundle built once per version of the sources and kept in the data dir
  // (src/workflow-bundle.ts): a worker started again after a crash is ready in seconds, not after webpack.
  const worker = await createWorkers(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  log(
    `worker ready: workflows on ${TASK_QUEUE}, activities on ${activityTaskQueue(config.target)}, Temporal ${config.temporalAddress}`
  );
  await worker.run();
  return 0;
}
