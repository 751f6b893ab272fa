/** Helpers of the models tests: deploy through Dumont, wait for a status, call the endpoint, read nvidia-smi. */
import { waitFor } from '../helpers/wait-for';
import { SSH_KEY, type ServerlessSim } from './serverless-helpers';
import { sshExec } from './sim-client';

/** Deploys and returns the deployment id (the request fails the test unless it is a 201). */
export async function deploy(s: ServerlessSim, body: Record<string, unknown>): Promise<string> {
  const reply = await s.d('POST', '/api/v1/models/deploy', body);
  if (reply.status !== 201) throw new Error(`deploy failed: ${reply.status} ${reply.text}`);
  return reply.body.deployment_id as string;
}

/** Waits until the deployment is running, failed or stopped; returns its row. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function settled(s: ServerlessSim, id: string, platformSeconds = 3000): Promise<any> {
  return waitFor(
    async () => {
      const row = (await s.d('GET', `/api/v1/models/${id}`)).body;
      return ['running', 'error', 'stopped'].includes(row.status) ? row : undefined;
    },
    { timeoutMs: s.ms(platformSeconds) + 20_000, intervalMs: 20, what: `deployment ${id} settled` }
  );
}

/** A JSON request to the endpoint of `row` (with its API key unless `noAuth`). */
export async function endpoint(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  row: any,
  method: string,
  path: string,
  body?: unknown,
  noAuth = false
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (row.api_key && !noAuth) headers.authorization = `Bearer ${row.api_key}`;
  const res = await fetch(`${row.endpoint_url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // SSE or plain text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** GPU 0's memory.used (MiB) as the deployment's instance's nvidia-smi reports it. */
export async function vramUsed(s: ServerlessSim, instanceId: number): Promise<number> {
  const inst = (await s.d('GET', `/api/v1/instances/${instanceId}`)).body;
  const out = await sshExec(
    inst.ssh_port,
    SSH_KEY.privateKey,
    'nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits'
  );
  return Number(out.stdout.trim().split('\n')[0]);
}
