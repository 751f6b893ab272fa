import { Client, Connection } from '@temporalio/client';
import { progressQuery } from '../../src/workflows';
import type { SuiteProgress, SuiteResult } from '../../src/workflows/types';
import type { ClusterSim } from './harness-processes';
import type { IdentityEvent } from './verdict';

/** A client of the cluster's `default` namespace; close its connection when done. */
export async function clusterClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  return { client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
}

/** The suite's `progress` query, or undefined while it cannot answer (no worker free, server restarting). */
export async function suiteProgress(client: Client, suiteId: string): Promise<SuiteProgress | undefined> {
  try {
    return await client.workflow.getHandle(suiteId).query(progressQuery);
  } catch {
    return undefined;
  }
}

/** Workflow ids of the suite (the suite and its scenarios) by `status` in visibility, through the search attribute. */
export async function suiteWorkflows(client: Client, suiteId: string, status?: 'Running'): Promise<string[]> {
  const ids: string[] = [];
  const query = `E2ESuiteId = '${suiteId.replace(/'/g, '')}'${status ? ` AND ExecutionStatus = '${status}'` : ''}`;
  for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

/** Each workflow's history events (only what identities need). */
export async function histories(client: Client, workflowIds: string[]): Promise<Map<string, IdentityEvent[]>> {
  const out = new Map<string, IdentityEvent[]>();
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    out.set(id, (history.events ?? []) as IdentityEvent[]);
  }
  return out;
}

/** Instances plus volumes the simulator still holds (`GET /_sim/state`, admin bearer = its VAST key). */
export async function simAlive(sim: ClusterSim): Promise<number> {
  const res = await fetch(`${sim.dumontUrl}/_sim/state`, {
    headers: { authorization: `Bearer ${sim.credentials.apiKey}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`simulator state: HTTP ${res.status}`);
  const state = (await res.json()) as { instances?: unknown[]; volumes?: unknown[] };
  if (!Array.isArray(state.instances)) throw new Error('simulator state without an instances list');
  return state.instances.length + (state.volumes?.length ?? 0);
}

/**
 * The suite's result, read from Temporal itself (not from `run`'s report file, so a `run` that died still leaves a
 * verdict); retried while the server is unreachable, for up to `timeoutMs`.
 */
export async function suiteResult(client: Client, suiteId: string, timeoutMs: number): Promise<SuiteResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await client.workflow.getHandle(suiteId).result()) as SuiteResult;
    } catch (err) {
      const retriable = (err as { code?: number }).code === 14 || /UNAVAILABLE|deadline|connect/i.test(String(err));
      if (!retriable || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}
