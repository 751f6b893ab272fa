import { Connection } from '@temporalio/client';
import { ConfigError } from '../config';

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
