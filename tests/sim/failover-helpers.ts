/** Helpers of the failover tests: GPUs through Dumont, SSH to any address, association and failover polls. */
import { waitFor } from '../helpers/wait-for';
import { SSH_KEY, startServerlessSim, waitForRunning, type ServerlessSim } from './serverless-helpers';
import { call, sshExec, type ExecResult } from './sim-client';

export { SSH_KEY, startServerlessSim as startFailoverSim, type ServerlessSim as FailoverSim };

/** Starts the failover simulator with syncs every 5 platform seconds (they keep the tests short). */
export async function startConfiguredFailoverSim(seed: number): Promise<ServerlessSim> {
  const s = await startServerlessSim({ seed });
  const configured = await s.d('POST', '/api/v1/standby/configure', { enabled: false, sync_interval: 5 });
  if (configured.status !== 200) throw new Error(`standby configure: ${configured.status} ${configured.text}`);
  return s;
}

/** Writes a small dataset under `data/` (two text files and a 300 kB random blob) and prints ok. */
export const WRITE = `mkdir -p data/sub && printf alpha > data/a.txt && printf beta > data/sub/b.txt && head -c 300000 /dev/urandom > data/sub/blob.bin && echo ok`;

/** A GPU with a provisioned standby whose sync ran once: the association row. */
export async function protectedGpu(s: ServerlessSim, label: string, opts: Record<string, unknown> = {}) {
  const gpu = await createGpu(s, label, opts);
  const provisioned = await s.d(
    'POST',
    `/api/v1/standby/provision/${gpu.id}?label=${encodeURIComponent(`${label}/standby`)}`
  );
  if (provisioned.status !== 200) throw new Error(`provision: ${provisioned.status} ${provisioned.text}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { gpu, association: provisioned.body.association as any };
}

/** Creates a GPU through Dumont (base image), waits until it runs with SSH; `opts` adds to the create body. */
export async function createGpu(
  s: ServerlessSim,
  label: string,
  opts: Record<string, unknown> = {}
): Promise<{ id: number; sshPort: number }> {
  const offers = await call(s.sim.dumontUrl, 'GET', '/api/v1/instances/offers?num_gpus=1&gpu_name=RTX%203090');
  const offer = offers.body.offers[0];
  const created = await s.d('POST', '/api/v1/instances', {
    offer_id: offer.id,
    label,
    image: 'vastai/base-image:latest',
    disk_size: 20,
    skip_standby: true,
    ...opts,
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const id = created.body.id as number;
  await waitForRunning(s, id);
  const row = (await s.d('GET', `/api/v1/instances/${id}`)).body;
  return { id, sshPort: row.ssh_port as number };
}

/** Runs a command over SSH on a loopback port with the account key. */
export function ssh(port: number, command: string): Promise<ExecResult> {
  return sshExec(port, SSH_KEY.privateKey, command);
}

/** Polls `GET /standby/associations/{id}` until `pred` holds. */
export async function waitForAssociation(
  s: ServerlessSim,
  gpuId: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pred: (row: any) => boolean,
  platformSeconds = 300
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  return waitFor(
    async () => {
      const reply = await s.d('GET', `/api/v1/standby/associations/${gpuId}`);
      return reply.status === 200 && pred(reply.body) ? reply.body : undefined;
    },
    { timeoutMs: s.ms(platformSeconds) + 3_000, what: `association of ${gpuId}` }
  );
}

/** Polls a failover record until it ends (success true or false). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function waitForRecord(s: ServerlessSim, id: string, platformSeconds = 600): Promise<any> {
  return waitFor(
    async () => {
      const reply = await s.d('GET', `/api/v1/standby/failover/status/${id}`);
      return reply.status === 200 && reply.body.success !== null ? reply.body : undefined;
    },
    { timeoutMs: s.ms(platformSeconds) + 3_000, what: `failover ${id}` }
  );
}

/** sha256 of every file under `dir` (relative to HOME), as `path hash` lines sorted. */
export const MANIFEST = (dir: string): string =>
  `cd ~ && find ${dir} -type f -print0 | sort -z | xargs -0 sha256sum | awk '{print $2" "$1}'`;
