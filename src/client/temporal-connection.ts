import { Connection } from '@temporalio/client';
import { ConfigError } from '../config';
import { ensureTemporalPrerequisites, type SearchAttributeOperator } from './temporal-prerequisites';

/** Connects and proves the server answers; an unreachable address is a usage problem (exit 2), said in one line. */
export async function connectTemporal(address: string): Promise<Connection> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '5s' });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (err) {
    throw new ConfigError(
      `cannot reach Temporal at ${address} (${(err as Error).message.split('\n')[0]}); start it with 'dumont-e2e stack up' or set TEMPORAL_ADDRESS`
    );
  }
}

/**
 * {@link connectTemporal}, then {@link ensureTemporalPrerequisites}: the namespace exists and has our search
 * attributes (registered here when missing and permitted). What `run`, `worker` and `schedule` do before they start
 * anything. The connection is closed when the check fails.
 *
 * @throws ConfigError (exit 2), one line, when the server is unreachable or lacks what the harness needs.
 */
export async function connectTemporalChecked(
  address: string,
  namespace: string,
  log: (line: string) => void,
  operator?: SearchAttributeOperator
): Promise<Connection> {
  const connection = await connectTemporal(address);
  try {
    await ensureTemporalPrerequisites(connection, { address, namespace, log, ...(operator ? { operator } : {}) });
    return connection;
  } catch (err) {
    await connection.close();
    throw err;
  }
}
