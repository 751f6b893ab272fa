/** Helpers of the serverless tests: a simulator whose world the test can reach, Dumont instances, heartbeats. */
import { launchSimulator } from '../../src/sim/start-simulator';
import { FEATURES } from '../../src/sim/features';
import { defineFeature } from '../../src/sim/features/types';
import type { RunningSim, SimOptions } from '../../src/sim';
import type { SimWorld } from '../../src/sim/world';
import { waitFor } from '../helpers/wait-for';
import { gpuUtilization } from '../../src/sim/instances/gpu-utilization';
import { call, newKeyPair, sshExec, type HttpReply } from './sim-client';

/** The account's SSH key (registered on the VAST face at start, so every instance accepts it). */
export const SSH_KEY = newKeyPair();

export const USER = { email: 'serverless@example.com', password: 'correct-horse' };

export interface ServerlessSim {
  sim: RunningSim;
  world: SimWorld;
  token: string;
  /** A Dumont call with the user's token. */
  d: (method: string, path: string, body?: unknown) => Promise<HttpReply>;
  /** Platform time now, epoch seconds. */
  now: () => number;
  /** Sleeps `seconds` of platform time. */
  sleep: (seconds: number) => Promise<void>;
  /** Real ms for `seconds` of platform time (for waitFor timeouts). */
  ms: (seconds: number) => number;
}

/** Starts a simulator with the registered features plus one that hands the test its world. */
export async function startServerlessSim(opts: Partial<SimOptions> = {}): Promise<ServerlessSim> {
  let world: SimWorld | undefined;
  const capture = defineFeature<object>({
    name: 'test-world',
    createState: (w) => {
      world = w;
      return {};
    },
  });
  const timeScale = opts.timeScale ?? 0.005;
  const sim = await launchSimulator({ apiKey: 'serverless-test-key', seed: 16, users: [USER], ...opts, timeScale }, [
    ...FEATURES,
    capture,
  ]);
  const login = await call(sim.dumontUrl, 'POST', '/api/v1/auth/login', { body: USER });
  const token = login.body.token as string;
  await call(sim.vastUrl, 'POST', '/api/v0/ssh/', {
    auth: 'serverless-test-key',
    body: { ssh_key: SSH_KEY.publicKey },
  });
  const w = world as SimWorld;
  return {
    sim,
    world: w,
    token,
    d: (method, path, body) => call(sim.dumontUrl, method, path, { auth: token, body }),
    now: () => w.clock.platformNow(),
    sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * timeScale * 1000)),
    ms: (seconds) => seconds * timeScale * 1000,
  };
}

/** Creates an instance through Dumont (the cheapest single-GPU offer) and waits until it runs with SSH. */
export async function createRunning(s: ServerlessSim, label: string): Promise<{ id: number; dph: number }> {
  const offers = await call(s.sim.dumontUrl, 'GET', '/api/v1/instances/offers?num_gpus=1');
  const offer = offers.body.offers[0];
  const created = await s.d('POST', '/api/v1/instances', {
    offer_id: offer.id,
    label,
    image: 'vastai/base-image:latest',
    disk_size: 20,
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const id = created.body.id as number;
  await waitForRunning(s, id);
  return { id, dph: s.world.instances.get(id)!.dphTotal };
}

/** Waits until the instance runs with its SSH port shown. */
export async function waitForRunning(s: ServerlessSim, id: number, platformSeconds = 600): Promise<void> {
  await waitFor(
    async () => {
      const row = (await s.d('GET', `/api/v1/instances/${id}`)).body;
      return row.actual_status === 'running' && row.ssh_port !== null;
    },
    { timeoutMs: s.ms(platformSeconds) + 2_000, what: `instance ${id} running` }
  );
}

/** Polls the serverless status until `pred` holds. */
export async function waitForStatus(
  s: ServerlessSim,
  id: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pred: (status: any) => boolean,
  platformSeconds = 600
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  return waitFor(
    async () => {
      const reply = await s.d('GET', `/api/v1/serverless/status/${id}`);
      return reply.status === 200 && pred(reply.body) ? reply.body : undefined;
    },
    { timeoutMs: s.ms(platformSeconds) + 2_000, what: `serverless status of ${id}` }
  );
}

/** Sends an agent heartbeat with `utilization` every 5 platform s until the returned stop is called. */
export function heartbeats(s: ServerlessSim, id: number, utilization: number): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      await call(s.sim.dumontUrl, 'POST', '/api/v1/agent/status', {
        body: { instance_id: `vast_${id}`, status: 'running', timestamp: s.now(), gpu_metrics: { utilization } },
      });
      await s.sleep(5);
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

/** The pid of the `gpu-stress` each instance runs (started by {@link setOwnUtil}). */
const stressPids = new Map<number, number>();

/**
 * Makes the instance's GPUs `util` % busy with a real `gpu-stress` over SSH (the one started before killed
 * by its pid), or idle with 0: what its nvidia-smi, and so the monitor, reports.
 */
export async function setOwnUtil(s: ServerlessSim, id: number, util: number): Promise<void> {
  const row = (await s.d('GET', `/api/v1/instances/${id}`)).body;
  const previous = stressPids.get(id);
  const stop = previous !== undefined ? `kill ${previous}; ` : '';
  stressPids.delete(id);
  const command = util > 0 ? `${stop}nohup gpu-stress 600 ${util} >/dev/null 2>&1 & echo $!` : `${stop}true`;
  const result = await sshExec(row.ssh_port, SSH_KEY.privateKey, command);
  if (util > 0) stressPids.set(id, Number(result.stdout.trim()));
  await waitFor(() => gpuUtilization(s.world, s.world.instances.get(id)!) === util, {
    timeoutMs: 10_000,
    what: `instance ${id} at ${util} %`,
  });
}

/** The VAST row's observed status (`actual_status`) of instance `id`. */
export async function actualStatusOf(s: ServerlessSim, id: number): Promise<string | null> {
  const reply = await call(s.sim.vastUrl, 'GET', `/api/v0/instances/${id}/`, { auth: 'serverless-test-key' });
  return reply.body.instances.actual_status;
}
