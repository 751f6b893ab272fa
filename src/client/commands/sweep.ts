import { Client } from '@temporalio/client';
import { ConfigError, loadConfig, requireCredentials } from '../../config';
import { createWorkers } from '../../worker';
import type { ReaperResult } from '../../workflows/reaper';
import { TASK_QUEUE } from '../../workflows/search-attributes';
import { stackStatus } from '../stack/stack';
import { connectTemporal } from '../temporal-connection';
import { numberFlag, parseFlags, targetFlag } from './usage';

const HELP = `Usage: dumont-e2e sweep [--dry-run] [--ttl-hours N] [--target sim|dumont]

Runs the ReaperWorkflow once: finds every resource labelled dumont-e2e/... at Dumont and VAST, of every
registered kind (instances, volumes, SSH keys, …), and destroys those whose owning workflow is closed or unknown to Temporal, or older than --ttl-hours (default 6).
--dry-run only lists what would be destroyed. On the simulator it needs a running stack ('stack up');
--target dumont needs the credentials of 'dumont-e2e run --target dumont' in the environment.
`;

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    'dry-run': { type: 'boolean' },
    'ttl-hours': { type: 'string' },
    target: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const target = targetFlag(values.target);
  const ttlHours = numberFlag('ttl-hours', values['ttl-hours'], 0.01, 24 * 365) ?? 6;
  const config = loadConfig(process.env, { DUMONT_E2E_TARGET: target });
  let address = config.temporalAddress;
  if (target === 'dumont') {
    requireCredentials(config);
  } else if (!process.env.TEMPORAL_ADDRESS) {
    const status = await stackStatus();
    if (!status.temporal.running || !status.worker.running) {
      throw new ConfigError(
        "no stack is running, so the simulator holds nothing to sweep (start one with 'dumont-e2e stack up')"
      );
    }
    address = status.temporal.address;
  }
  const connection = await connectTemporal(address);
  const worker = target === 'dumont' ? await createWorkers({ ...config, temporalAddress: address }) : undefined;
  const workerDone = worker?.run();
  try {
    const client = new Client({ connection, namespace: config.namespace });
    const id = `reaper-manual-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
    const result = (await client.workflow.execute('ReaperWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: id,
      args: [{ dryRun: values['dry-run'] === true, ttlHours, target }],
    })) as ReaperResult;
    const verb = result.dryRun ? 'would destroy' : 'destroyed';
    for (const d of result.doomed) process.stdout.write(`${verb} ${d.kind} ${d.id} (${d.label}): ${d.reason}\n`);
    process.stdout.write(
      `scanned ${result.scanned}, ${verb} ${result.doomed.length}, kept ${result.kept} (owners still running)\n`
    );
    return 0;
  } finally {
    worker?.shutdown();
    await workerDone?.catch(() => undefined);
    await connection.close();
  }
}
