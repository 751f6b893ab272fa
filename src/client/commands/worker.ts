import { loadConfig } from '../../config';
import { createWorkers } from '../../worker';
import { activityTaskQueue, TASK_QUEUE } from '../../workflows/search-attributes';
import { parseFlags } from './usage';

const HELP = `Usage: dumont-e2e worker

Runs a Temporal worker: workflows on task queue '${TASK_QUEUE}', activities on '${TASK_QUEUE}@<target>'.
Configuration comes from the environment only (secrets never go on the command line):
  TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), DUMONT_E2E_TARGET (sim|dumont),
  DUMONT_API_URL, DUMONT_EMAIL + DUMONT_PASSWORD or DUMONT_TOKEN, VAST_API_URL, VAST_API_KEY,
  DUMONT_E2E_DATA_DIR (.data: run SSH keys live in <data>/keys, mode 0600).
Stops gracefully on SIGINT/SIGTERM.
`;

export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig();
  const worker = await createWorkers(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  console.log(
    `worker ready: workflows on ${TASK_QUEUE}, activities on ${activityTaskQueue(config.target)}, Temporal ${config.temporalAddress}`
  );
  await worker.run();
  return 0;
}
