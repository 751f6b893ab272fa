/**
 * The warm-pool routes on the Dumont face (`/warmpool/*`, no auth, as the reference has them): hosts, provision
 * (synchronous), status (the only health view), enable/disable, failover test, cleanup, and the simulator's list
 * (an extension: cleanup needs to find pools by label). Under dumont-as-is the server's warm-pool router has no
 * `VAST_API_KEY` in its environment: hosts, provision and failover answer 400, and no pool ever exists.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { asIs, BodyFields, badRequest, intParam, notFound } from '../failover/route-kit';
import type { FeatureContext, FeatureRoute } from '../types';
import {
  cleanupPool,
  DEFAULT_POOL_IMAGE,
  failoverPool,
  hostOffers,
  hostRow,
  poolRow,
  provisionPool,
} from './warm-pool-engine';
import { livePools, poolOf, round, type WarmPoolState } from './warm-pool-store';

type Ctx = FeatureContext<WarmPoolState>;
type Route = FeatureRoute<WarmPoolState>;

/** The real router reads the VAST key from the server's environment only. */
export const NO_ENV_KEY = 'VAST_API_KEY is not set in the server environment';

function hosts(req: SimRequest, { world }: Ctx): SimResponse {
  if (asIs(world)) return json(400, { error: NO_ENV_KEY });
  const gpuName = req.query.get('gpu_name');
  const minGpus = Number(req.query.get('min_gpus') ?? 2) || 2;
  const maxPrice = req.query.get('max_price');
  const verified = (req.query.get('verified') ?? 'true') !== 'false';
  const rows = hostOffers(world, minGpus)
    .filter((o) => !gpuName || o.gpu_name.toLowerCase() === gpuName.toLowerCase())
    .filter((o) => maxPrice === null || o.dph_total / o.num_gpus <= Number(maxPrice))
    .filter((o) => !verified || o.verified)
    .sort((a, b) => a.dph_total / a.num_gpus - b.dph_total / b.num_gpus)
    .map(hostRow);
  return json(200, { hosts: rows, count: rows.length });
}

async function provision(req: SimRequest, { world, state }: Ctx): Promise<SimResponse> {
  if (asIs(world)) return json(400, { error: NO_ENV_KEY });
  const f = new BodyFields(req);
  const machineId = f.int('machine_id');
  const hostMachineId = f.int('host_machine_id');
  const gpuName = f.str('gpu_name');
  const image = f.str('image', DEFAULT_POOL_IMAGE) ?? DEFAULT_POOL_IMAGE;
  const diskSize = f.int('disk_size', 50, 10);
  const volumeSize = f.int('volume_size', 100, 1);
  const label = f.str('label');
  const invalid = f.error();
  if (invalid) return invalid;
  const existing = poolOf(state, machineId!);
  if (existing) {
    if (existing.label !== (label ?? null)) return badRequest(`Warm pool ${machineId} already exists`);
    await existing.provisioning;
    return json(200, {
      success: true,
      message: `Warm pool ${machineId} already provisioned`,
      status: poolRow(world, existing),
    });
  }
  const pool = await provisionPool(world, state, {
    machineId: machineId!,
    hostMachineId: hostMachineId!,
    gpuName,
    image,
    diskSize: diskSize!,
    volumeSize: volumeSize!,
    label: label ?? null,
  });
  if (typeof pool === 'string') return badRequest(pool);
  const ok = pool.state === 'active' || pool.state === 'degraded';
  return json(ok ? 200 : 500, {
    success: ok,
    message: ok ? `Warm pool ${pool.machineId} provisioned on host ${pool.hostMachineId}` : pool.errorMessage,
    status: poolRow(world, pool),
  });
}

function withPool(handle: (req: SimRequest, ctx: Ctx, machineId: number) => SimResponse | Promise<SimResponse>) {
  return (req: SimRequest, ctx: Ctx): SimResponse | Promise<SimResponse> => {
    const id = intParam(req, 'machine_id');
    if (typeof id !== 'number') return id;
    return handle(req, ctx, id);
  };
}

/** The `/warmpool/*` routes. */
export const WARM_POOL_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/warmpool/hosts', auth: 'public', handle: hosts },
  { method: 'POST', path: '/warmpool/provision', auth: 'public', handle: provision },
  {
    method: 'GET',
    path: '/warmpool/list',
    auth: 'public',
    handle: (_req, { world, state }) => {
      const pools = livePools(state).map((p) => poolRow(world, p));
      return json(200, { count: pools.length, pools });
    },
  },
  {
    method: 'GET',
    path: '/warmpool/status/:machine_id',
    auth: 'public',
    handle: withPool((_req, { world, state }, id) => {
      const pool = poolOf(state, id);
      return pool ? json(200, poolRow(world, pool)) : notFound(`No warm pool for machine ${id}`);
    }),
  },
  ...(['enable', 'disable'] as const).map((action): Route => ({
    method: 'POST',
    path: `/warmpool/${action}/:machine_id`,
    auth: 'public',
    handle: withPool((_req, { state }, id) => {
      const pool = poolOf(state, id);
      if (!pool) return notFound(`No warm pool for machine ${id}`);
      pool.enabled = action === 'enable';
      return json(200, { success: true, message: `Warm pool ${id} ${action}d` });
    }),
  })),
  {
    method: 'POST',
    path: '/warmpool/failover/test/:machine_id',
    auth: 'public',
    handle: withPool(async (_req, { world, state }, id) => {
      if (asIs(world)) return json(400, { error: NO_ENV_KEY });
      const pool = poolOf(state, id);
      if (!pool) return notFound(`No warm pool for machine ${id}`);
      const result = await failoverPool(world, state, pool);
      if (typeof result === 'string') return badRequest(result);
      return json(200, {
        success: true,
        message: `Failed over to GPU ${result.newPrimary}`,
        recovery_time_seconds: round(result.seconds, 3),
        new_primary_gpu_id: result.newPrimary,
      });
    }),
  },
  {
    method: 'DELETE',
    path: '/warmpool/cleanup/:machine_id',
    auth: 'public',
    destroys: true,
    handle: withPool((_req, { world, state }, id) => {
      const pool = poolOf(state, id);
      if (!pool) return notFound(`No warm pool for machine ${id}`);
      const removed = cleanupPool(world, state, pool);
      return json(200, { success: true, message: `Warm pool ${id} removed (${removed.join(', ') || 'nothing left'})` });
    }),
  },
];
