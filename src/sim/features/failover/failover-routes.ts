/**
 * The per-instance failover routes (`/instances/{id}/failover|failback|recover|standby|sync`, JWT) and the failover
 * orchestrator and its settings (`/failover/*`, no auth, as the reference has them). Under dumont-as-is the
 * per-instance routes are the real stubs: they read the instance and answer `initiated` or hard-coded defaults.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import type { SimWorld } from '../../world';
import type { FeatureContext, FeatureRoute } from '../types';
import { standbyRow } from '../serverless/serverless-store';
import { warmPool } from '../warm-pool';
import { failoverPool } from '../warm-pool/warm-pool-engine';
import { poolOf, round as poolRound } from '../warm-pool/warm-pool-store';
import { syncRecordRow } from './associations';
import { manualFailover, recordRow } from './failover-engine';
import { gpuHealth } from './failure-injection';
import { associationOf, type FailoverRecord, type FailoverState, type MachineSettings } from './failover-store';
import { startFailback, startRecovery } from './replacement-gpu';
import { asIs, badRequest, BodyFields, intParam, notFound } from './route-kit';
import { platformSleep } from './waits';

type Ctx = FeatureContext<FailoverState>;
type Route = FeatureRoute<FailoverState>;

/** The real stubs: they read the instance (404 when unknown) and change nothing. */
function stub(world: SimWorld, id: number, body: Record<string, unknown>): SimResponse {
  if (!world.instances.get(id)) return notFound(`Instance ${id} not found`);
  return json(200, { instance_id: id, ...body });
}

/** The answer of a route that started a failover, failback or recovery. */
function started(world: SimWorld, record: FailoverRecord, message: string): SimResponse {
  return json(200, { ...recordRow(world, record), success: true, status: 'initiated', message });
}

function instanceAction(action: 'failover' | 'failback' | 'recover') {
  return (req: SimRequest, { world, state }: Ctx): SimResponse => {
    const id = intParam(req, 'id', 'instance_id');
    if (typeof id !== 'number') return id;
    if (asIs(world)) return stub(world, id, { status: 'initiated', message: `${action} initiated` });
    const assoc = associationOf(state, id);
    if (action === 'recover') {
      const inst = world.instances.get(id);
      const done = state.records.find((r) => r.kind === 'recovery' && r.gpuInstanceId === id && r.success !== false);
      if (done) return started(world, done, `Recovery of instance ${id}`);
      if (!inst) return notFound(`Instance ${id} not found`);
      if (gpuHealth(world, state, id) === 'healthy') return badRequest(`Instance ${id} is healthy: nothing to recover`);
      if (assoc) return badRequest(`Instance ${id} has a CPU standby: it fails over instead`);
      return started(world, startRecovery(world, state, inst), `Recovery of instance ${id} started`);
    }
    if (!assoc && action === 'failback') {
      // A failback moves the association to its new GPU: asked again for the old one, it is the same failback.
      const moved = [...state.records].reverse().find((r) => r.kind === 'failback' && r.gpuInstanceId === id);
      if (moved) return started(world, moved, `Failback of instance ${id}`);
    }
    if (!assoc) return notFound(`No standby association for instance ${id}`);
    if (action === 'failback') {
      if (assoc.current?.kind === 'failback') return started(world, assoc.current, 'Failback in progress');
      if (assoc.serving !== 'standby') {
        const last = [...state.records].reverse().find((r) => r.kind === 'failback' && r.label === assoc.standby.label);
        if (last?.success && last.gpuInstanceId === id) return started(world, last, 'Failback done');
        return badRequest(`Instance ${id} is served by its GPU: nothing to fail back`);
      }
      return started(world, startFailback(world, state, assoc), `Failback of instance ${id} started`);
    }
    if (assoc.current) return started(world, assoc.current, 'Failover in progress');
    if (assoc.serving === 'standby') {
      // Asked again once done (an answer lost on the way): the same failover.
      const done = [...state.records].reverse().find((r) => r.kind === 'cpu_standby' && r.gpuInstanceId === id);
      if (done?.success) return started(world, done, 'Failover done');
      return badRequest(`Instance ${id} already runs on its standby`);
    }
    if (assoc.lastSync === null) return badRequest(`The standby of instance ${id} holds no completed sync yet`);
    return started(world, manualFailover(world, state, assoc), `Failover of instance ${id} to its standby started`);
  };
}

function instanceStandby(req: SimRequest, { world, state }: Ctx): SimResponse {
  const id = intParam(req, 'id', 'instance_id');
  if (typeof id !== 'number') return id;
  if (asIs(world)) return stub(world, id, { has_standby: false, standby: null, status: 'not_configured' });
  const assoc = associationOf(state, id);
  if (!assoc && !world.instances.get(id)) return notFound(`Instance ${id} not found`);
  return json(200, {
    instance_id: id,
    has_standby: assoc !== undefined,
    association: assoc ? standbyRow(assoc.standby) : null,
  });
}

function instanceSync(req: SimRequest, { world, state }: Ctx): SimResponse {
  const id = intParam(req, 'id', 'instance_id');
  if (typeof id !== 'number') return id;
  if (asIs(world)) return stub(world, id, { sync_enabled: false, last_sync: null, sync_count: 0 });
  const assoc = associationOf(state, id);
  if (!assoc && !world.instances.get(id)) return notFound(`Instance ${id} not found`);
  return json(200, {
    instance_id: id,
    sync_enabled: assoc?.syncEnabled ?? false,
    state: assoc?.state ?? null,
    sync_count: assoc?.standby.syncCount ?? 0,
    files_synced: assoc?.syncedFiles ?? 0,
    bytes_synced: assoc?.syncedBytes ?? 0,
    last_sync: assoc?.lastSync ? syncRecordRow(assoc.lastSync) : null,
  });
}

// ---- /failover/* ----

const STRATEGIES = [
  { name: 'warm_pool', description: 'A stopped GPU on the same host, sharing a volume', recovery_time: '30-60s' },
  {
    name: 'cpu_standby',
    description: 'A CPU VM kept in sync with the GPU workspace',
    recovery_time: 'seconds to serve; a GPU by failback',
  },
  { name: 'both', description: 'Warm pool first, then the CPU standby' },
];

function settingsOf(state: FailoverState, machineId: number): MachineSettings {
  return state.machineSettings.get(machineId) ?? { useGlobal: true, strategy: state.globalStrategy };
}

function settingsRow(state: FailoverState, machineId: number): Record<string, unknown> {
  const s = settingsOf(state, machineId);
  const effective = s.useGlobal ? state.globalStrategy : s.strategy;
  return {
    machine_id: machineId,
    use_global_settings: s.useGlobal,
    strategy: s.strategy,
    effective_strategy: effective,
    warm_pool_enabled: effective === 'warm_pool' || effective === 'both',
    cpu_standby_enabled: effective === 'cpu_standby' || effective === 'both',
  };
}

function readiness(world: SimWorld, state: FailoverState, machineId: number): Record<string, unknown> {
  const pool = poolOf(world.features.stateOf(warmPool), machineId);
  const assoc = associationOf(state, machineId);
  const s = settingsRow(state, machineId);
  const warmPoolReady = pool?.state === 'active' && pool.health.healthy;
  const cpuStandbyReady =
    assoc !== undefined && assoc.state === 'ready' && assoc.serving === 'gpu' && assoc.lastSync !== null;
  const effective = s.effective_strategy as string;
  return {
    machine_id: machineId,
    effective_strategy: effective,
    warm_pool_ready: warmPoolReady,
    cpu_standby_ready: cpuStandbyReady,
    overall_ready:
      effective === 'disabled'
        ? false
        : (s.warm_pool_enabled && warmPoolReady) || (s.cpu_standby_enabled && cpuStandbyReady),
    warm_pool_state: pool?.state ?? null,
    cpu_standby_state: assoc?.state ?? null,
    last_sync_at: assoc?.lastSync ? poolRound(assoc.lastSync.completedAt, 3) : null,
  };
}

async function execute(req: SimRequest, { world, state }: Ctx): Promise<SimResponse> {
  const f = new BodyFields(req);
  const machineId = f.int('machine_id');
  const gpuId = f.int('gpu_instance_id');
  const force = f.str('force_strategy');
  const invalid = f.error();
  if (invalid) return invalid;
  const started = world.clock.platformNow();
  const pools = world.features.stateOf(warmPool);
  const pool = poolOf(pools, machineId!);
  const assoc = associationOf(state, gpuId!);
  const result: Record<string, unknown> = {
    success: false,
    failover_id: null,
    strategy_attempted: null,
    strategy_succeeded: null,
    new_gpu_id: null,
    new_ssh_host: null,
    new_ssh_port: null,
    new_gpu_name: null,
    warm_pool_attempt_ms: null,
    cpu_standby_attempt_ms: null,
    total_ms: null,
    error: null,
  };
  const ms = (from: number) => Math.round((world.clock.platformNow() - from) * 1000);
  const tryPool = force === 'warm_pool' || force === 'both' || (!force && pool !== undefined);
  if (tryPool && pool) {
    result.strategy_attempted = 'warm_pool';
    const t = world.clock.platformNow();
    const outcome = await failoverPool(world, pools, pool);
    result.warm_pool_attempt_ms = ms(t);
    if (typeof outcome !== 'string') {
      const inst = world.instances.get(outcome.newPrimary);
      Object.assign(result, {
        success: true,
        strategy_succeeded: 'warm_pool',
        new_gpu_id: outcome.newPrimary,
        new_ssh_host: '127.0.0.1',
        new_ssh_port: inst?.sshPort ?? null,
        new_gpu_name: inst?.offer.gpu_name ?? null,
        total_ms: ms(started),
      });
      return json(200, result);
    }
    result.error = outcome;
  }
  const tryStandby = force === 'cpu_standby' || force === 'both' || !force;
  if (tryStandby && assoc) {
    result.strategy_attempted = 'cpu_standby';
    const t = world.clock.platformNow();
    const record =
      assoc.current ?? (assoc.serving === 'gpu' && assoc.lastSync ? manualFailover(world, state, assoc) : undefined);
    while (record && record.success === null) {
      if (!(await platformSleep(world, state, 0.25))) break;
    }
    result.cpu_standby_attempt_ms = ms(t);
    result.failover_id = record?.id ?? null;
    if (record?.success) {
      Object.assign(result, {
        success: true,
        strategy_succeeded: 'cpu_standby',
        new_ssh_host: '127.0.0.1',
        new_ssh_port: assoc.proxy.port,
        new_gpu_name: 'cpu',
        error: null,
      });
    } else result.error = record?.error ?? 'the standby holds no completed sync';
  } else if (!result.error) {
    result.error = `No warm pool for machine ${machineId} and no standby for GPU instance ${gpuId}`;
  }
  result.total_ms = ms(started);
  return json(200, result);
}

function machineSetting(
  action: 'use-global' | 'enable-warm-pool' | 'enable-cpu-standby' | 'enable-both' | 'disable-failover'
) {
  const strategy: Record<typeof action, MachineSettings> = {
    'use-global': { useGlobal: true, strategy: 'both' },
    'enable-warm-pool': { useGlobal: false, strategy: 'warm_pool' },
    'enable-cpu-standby': { useGlobal: false, strategy: 'cpu_standby' },
    'enable-both': { useGlobal: false, strategy: 'both' },
    'disable-failover': { useGlobal: false, strategy: 'disabled' },
  };
  return (req: SimRequest, { state }: Ctx): SimResponse => {
    const id = intParam(req, 'machine_id');
    if (typeof id !== 'number') return id;
    if (action === 'use-global') state.machineSettings.delete(id);
    else state.machineSettings.set(id, { ...strategy[action] });
    return json(200, { success: true, settings: settingsRow(state, id) });
  };
}

const STRATEGY_NAMES = ['warm_pool', 'cpu_standby', 'both', 'disabled'] as const;

function putMachineSettings(req: SimRequest, { state }: Ctx): SimResponse {
  const id = intParam(req, 'machine_id');
  if (typeof id !== 'number') return id;
  const f = new BodyFields(req);
  const useGlobal = f.bool('use_global_settings', false);
  const strategy = f.str('strategy', 'both');
  const invalid = f.error();
  if (invalid) return invalid;
  if (!STRATEGY_NAMES.includes(strategy as (typeof STRATEGY_NAMES)[number])) {
    return json(422, {
      error: 'Validation error',
      details: [{ loc: ['body', 'strategy'], msg: 'Unknown strategy', type: 'enum' }],
    });
  }
  state.machineSettings.set(id, { useGlobal, strategy: strategy as MachineSettings['strategy'] });
  return json(200, settingsRow(state, id));
}

function globalSettings(state: FailoverState): Record<string, unknown> {
  return {
    default_strategy: state.globalStrategy,
    warm_pool: { enabled: state.globalStrategy !== 'cpu_standby' },
    cpu_standby: {
      enabled: state.globalStrategy !== 'warm_pool',
      sync_interval: state.config.syncInterval,
      auto_failover: state.config.autoFailover,
      auto_recovery: state.config.autoRecovery,
    },
  };
}

/** The per-instance failover routes and the `/failover/*` orchestrator and settings. */
export const FAILOVER_ROUTES: readonly Route[] = [
  { method: 'POST', path: '/instances/:id/failover', handle: instanceAction('failover') },
  { method: 'POST', path: '/instances/:id/failback', handle: instanceAction('failback') },
  { method: 'POST', path: '/instances/:id/recover', handle: instanceAction('recover') },
  { method: 'GET', path: '/instances/:id/standby', handle: instanceStandby },
  { method: 'GET', path: '/instances/:id/sync', handle: instanceSync },
  { method: 'POST', path: '/failover/execute', auth: 'public', handle: execute },
  {
    method: 'GET',
    path: '/failover/readiness/:machine_id',
    auth: 'public',
    handle: (req, { world, state }) => {
      const id = intParam(req, 'machine_id');
      return typeof id === 'number' ? json(200, readiness(world, state, id)) : id;
    },
  },
  {
    method: 'GET',
    path: '/failover/status/:machine_id',
    auth: 'public',
    handle: (req, { world, state }) => {
      const id = intParam(req, 'machine_id');
      if (typeof id !== 'number') return id;
      const records = state.records.filter((r) => r.gpuInstanceId === id);
      const last = records[records.length - 1];
      return json(200, {
        ...readiness(world, state, id),
        failover_count: records.filter((r) => r.success).length,
        last_failover: last ? recordRow(world, last) : null,
        in_progress: records.some((r) => r.success === null && r.kind !== 'none'),
      });
    },
  },
  { method: 'GET', path: '/failover/strategies', auth: 'public', handle: () => json(200, { strategies: STRATEGIES }) },
  {
    method: 'GET',
    path: '/failover/settings/global',
    auth: 'public',
    handle: (_req, { state }) => json(200, globalSettings(state)),
  },
  {
    method: 'PUT',
    path: '/failover/settings/global',
    auth: 'public',
    handle: (req, { state }) => {
      const f = new BodyFields(req);
      const strategy = f.str('default_strategy', state.globalStrategy)!;
      const invalid = f.error();
      if (invalid) return invalid;
      if (!['warm_pool', 'cpu_standby', 'both'].includes(strategy)) {
        return json(422, {
          error: 'Validation error',
          details: [{ loc: ['body', 'default_strategy'], msg: 'Unknown strategy', type: 'enum' }],
        });
      }
      state.globalStrategy = strategy as FailoverState['globalStrategy'];
      return json(200, globalSettings(state));
    },
  },
  {
    method: 'GET',
    path: '/failover/settings/machines/:machine_id',
    auth: 'public',
    handle: (req, { state }) => {
      const id = intParam(req, 'machine_id');
      return typeof id === 'number' ? json(200, settingsRow(state, id)) : id;
    },
  },
  { method: 'PUT', path: '/failover/settings/machines/:machine_id', auth: 'public', handle: putMachineSettings },
  {
    method: 'DELETE',
    path: '/failover/settings/machines/:machine_id',
    auth: 'public',
    handle: (req, { state }) => {
      const id = intParam(req, 'machine_id');
      if (typeof id !== 'number') return id;
      state.machineSettings.delete(id);
      return json(200, { success: true, message: `Machine ${id} uses the global settings` });
    },
  },
  ...(['use-global', 'enable-warm-pool', 'enable-cpu-standby', 'enable-both', 'disable-failover'] as const).map(
    (action): Route => ({
      method: 'POST',
      path: `/failover/settings/machines/:machine_id/${action}`,
      auth: 'public',
      handle: machineSetting(action),
    })
  ),
];
