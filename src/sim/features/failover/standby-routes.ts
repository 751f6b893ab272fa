/**
 * The CPU standby routes on the Dumont face (`/standby/*`, JWT as for instances): status, configure, pricing,
 * provision, one association, start/stop sync, the simulated failure and the failover records, and the fast
 * GPU-to-GPU failover. `GET /standby/associations` and `DELETE /standby/associations/{id}` are the serverless
 * feature's (one list of standbys). Under dumont-as-is the server has no GCP credentials: configure, provision and
 * fast failover answer 400, and no association ever exists.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import type { FeatureContext, FeatureRoute } from '../types';
import { liveStandby, standbyRow } from '../serverless/serverless-store';
import { provisionAssociation, scheduleSync, standbyStore } from './associations';
import { ensureHealthMonitor, newRecord, recordRow } from './failover-engine';
import { failureKindOf, injectFailure } from './failure-injection';
import {
  associationOf,
  FAILOVER_TIMINGS as T,
  liveAssociations,
  recordById,
  round,
  STANDBY_MACHINE_TYPES,
  type FailoverState,
} from './failover-store';
import { fastFailover } from './replacement-gpu';
import { asIs, badRequest, BodyFields, intParam, notFound } from './route-kit';

type Ctx = FeatureContext<FailoverState>;
type Route = FeatureRoute<FailoverState>;

const NO_GCP = 'GCP credentials not configured: set gcp_credentials in settings or GOOGLE_APPLICATION_CREDENTIALS';

/** `config` as `/standby/status` shows it. */
function configRow(state: FailoverState): Record<string, unknown> {
  const c = state.config;
  return {
    gcp_zone: c.gcpZone,
    gcp_machine_type: c.gcpMachineType,
    gcp_disk_size: c.gcpDiskSize,
    gcp_spot: c.gcpSpot,
    sync_interval: c.syncInterval,
    auto_failover: c.autoFailover,
    auto_recovery: c.autoRecovery,
  };
}

/** Monthly price of a standby VM of `machineType`, USD. */
function monthly(machineType: string, diskGb: number, spot: boolean): number {
  const hourly = (STANDBY_MACHINE_TYPES[machineType] ?? STANDBY_MACHINE_TYPES['e2-medium']) * (spot ? 0.3 : 1);
  return round(hourly * 730 + diskGb * 0.04, 2);
}

function status(_req: SimRequest, { world, state }: Ctx): SimResponse {
  const live = asIs(world) ? [] : liveAssociations(state);
  return json(200, {
    configured: asIs(world) ? false : true,
    auto_standby_enabled: state.config.enabled,
    active_associations: live.length,
    associations: Object.fromEntries(live.map((a) => [String(a.standby.gpuInstanceId), standbyRow(a.standby)])),
    config: configRow(state),
  });
}

function configure(req: SimRequest, { world, state }: Ctx): SimResponse {
  if (asIs(world)) return badRequest(NO_GCP);
  const f = new BodyFields(req);
  const c = state.config;
  const next = {
    enabled: f.bool('enabled', true),
    gcpZone: f.str('gcp_zone', c.gcpZone) ?? c.gcpZone,
    gcpMachineType: f.str('gcp_machine_type', c.gcpMachineType) ?? c.gcpMachineType,
    gcpDiskSize: f.int('gcp_disk_size', c.gcpDiskSize, 10, 10_000) ?? c.gcpDiskSize,
    gcpSpot: f.bool('gcp_spot', c.gcpSpot),
    syncInterval: f.int('sync_interval', c.syncInterval, 5, 3600) ?? c.syncInterval,
    autoFailover: f.bool('auto_failover', c.autoFailover),
    autoRecovery: f.bool('auto_recovery', c.autoRecovery),
  };
  const invalid = f.error();
  if (invalid) return invalid;
  state.config = next;
  state.configured = true;
  ensureHealthMonitor(world, state);
  world.log(
    `failover: standby configured (auto-standby ${next.enabled ? 'on' : 'off'}, sync every ${next.syncInterval} s)`
  );
  return json(200, {
    success: true,
    message: `CPU standby ${next.enabled ? 'enabled' : 'disabled'} for new instances`,
    config: {
      gcp_zone: next.gcpZone,
      gcp_machine_type: next.gcpMachineType,
      estimated_cost_monthly_usd: monthly(next.gcpMachineType, next.gcpDiskSize, next.gcpSpot),
    },
  });
}

function pricing(req: SimRequest): SimResponse {
  const machineType = req.query.get('machine_type') ?? 'e2-medium';
  const disk = Number(req.query.get('disk_gb') ?? 100) || 100;
  const spot = (req.query.get('spot') ?? 'true') !== 'false';
  const hourly = (STANDBY_MACHINE_TYPES[machineType] ?? STANDBY_MACHINE_TYPES['e2-medium']) * (spot ? 0.3 : 1);
  return json(200, {
    machine_type: machineType,
    disk_gb: disk,
    spot,
    hourly_usd: round(hourly, 4),
    disk_monthly_usd: round(disk * 0.04, 2),
    estimated_monthly_usd: monthly(machineType, disk, spot),
  });
}

async function provision(req: SimRequest, { world, state }: Ctx): Promise<SimResponse> {
  if (asIs(world)) return badRequest(NO_GCP);
  const id = intParam(req, 'id', 'gpu_instance_id');
  if (typeof id !== 'number') return id;
  const inst = world.instances.get(id);
  if (!inst) return notFound(`Instance ${id} not found`);
  const label = req.query.get('label') ?? undefined;
  const { assoc, ready } = provisionAssociation(world, state, inst, { label, startSync: false });
  ensureHealthMonitor(world, state);
  await ready;
  if (assoc.standby.destroyedAt !== null || assoc.host.sshPort === null) {
    return json(500, { error: `Standby provisioning for instance ${id} failed` });
  }
  return json(200, {
    success: true,
    message: `CPU standby ${assoc.host.name} provisioned for GPU instance ${id}`,
    association: standbyRow(assoc.standby),
  });
}

function association(req: SimRequest, { world }: Ctx): SimResponse {
  const id = intParam(req, 'id', 'gpu_instance_id');
  if (typeof id !== 'number') return id;
  const standby = liveStandby(standbyStore(world), id);
  return standby ? json(200, standbyRow(standby)) : notFound(`No standby association for GPU instance ${id}`);
}

function setSync(on: boolean) {
  return (req: SimRequest, { world, state }: Ctx): SimResponse => {
    const id = intParam(req, 'id', 'gpu_instance_id');
    if (typeof id !== 'number') return id;
    const assoc = associationOf(state, id);
    if (!assoc) return notFound(`No standby association for GPU instance ${id}`);
    assoc.syncEnabled = on;
    if (!on) {
      if (assoc.syncTimer) world.clock.cancel(assoc.syncTimer);
      assoc.syncTimer = null;
      if (assoc.state === 'syncing') assoc.state = assoc.lastSync ? 'ready' : 'disabled';
    } else if (assoc.state !== 'provisioning') {
      if (assoc.state === 'disabled') assoc.state = 'syncing';
      if (assoc.serving === 'gpu' && assoc.current === null) scheduleSync(world, state, assoc, T.firstSync);
    }
    return json(200, {
      success: true,
      message: `Sync ${on ? 'started' : 'stopped'} for GPU instance ${id} (every ${state.config.syncInterval} s)`,
    });
  };
}

function simulate(req: SimRequest, { world, state }: Ctx): SimResponse {
  const id = intParam(req, 'id', 'gpu_instance_id');
  if (typeof id !== 'number') return id;
  const f = new BodyFields(req);
  const reason = f.str('reason', 'spot_interruption');
  const invalid = f.error();
  if (invalid) return invalid;
  if (asIs(world)) return notFound(`No standby association for GPU instance ${id}`);
  const kind = failureKindOf(reason);
  if (!kind) {
    return json(422, {
      error: 'Validation error',
      details: [{ loc: ['body', 'reason'], msg: 'Unknown failure reason', type: 'value_error' }],
    });
  }
  const answer = (recordId: string, message: string): SimResponse => {
    const r = recordById(state, recordId)!;
    return json(200, {
      failover_id: r.id,
      gpu_instance_id: id,
      phase: r.phase,
      reason: r.reason,
      message,
      failed_at: r.failedAt === null ? null : round(r.failedAt, 3),
      server_time: round(world.clock.platformNow(), 3),
    });
  };
  const previous = state.failures.get(id);
  if (previous?.recordId) return answer(previous.recordId, `GPU instance ${id} already failed (${previous.kind})`);
  const inst = world.instances.get(id);
  if (!inst) return notFound(`Instance ${id} not found`);
  const assoc = associationOf(state, id);
  const failure = injectFailure(world, state, inst, kind);
  const record = newRecord(world, state, {
    kind: assoc ? 'cpu_standby' : 'none',
    gpuInstanceId: id,
    label: assoc?.standby.label ?? inst.label,
    reason: kind,
    failedAt: failure.at,
  });
  failure.recordId = record.id;
  if (!assoc) {
    // No standby watches it: the loss is known at once, and only a recovery brings it back.
    record.phase = 'gpu_lost';
    record.detectedAt = failure.at;
  }
  ensureHealthMonitor(world, state);
  return answer(
    record.id,
    assoc
      ? `Failure injected (${kind}): the platform's health check will detect it and fail over to the standby`
      : `Failure injected (${kind}): no standby protects instance ${id}; recover it with POST /instances/${id}/recover`
  );
}

function failoverStatus(req: SimRequest, { world, state }: Ctx): SimResponse {
  const record = recordById(state, req.params.failover_id ?? '');
  return record ? json(200, recordRow(world, record)) : notFound(`Failover ${req.params.failover_id} not found`);
}

function report(req: SimRequest, { world, state }: Ctx): SimResponse {
  const days = Number(req.query.get('days') ?? 30) || 30;
  const since = world.clock.platformNow() - days * 86_400;
  const history = state.records.filter((r) => r.startedAt >= since && r.kind !== 'none');
  const done = history.filter((r) => r.success !== null);
  const ok = done.filter((r) => r.success);
  const times = ok.flatMap((r) => (r.completedAt !== null && r.failedAt !== null ? [r.completedAt - r.failedAt] : []));
  return json(200, {
    period_days: days,
    total_failovers: history.length,
    successful: ok.length,
    failed: done.length - ok.length,
    success_rate: done.length ? round(ok.length / done.length, 4) : null,
    mttr_seconds: times.length ? round(times.reduce((a, b) => a + b, 0) / times.length, 3) : null,
    history: [...history].reverse().map((r) => recordRow(world, r)),
  });
}

async function fast(req: SimRequest, { world, state }: Ctx): Promise<SimResponse> {
  if (asIs(world)) return badRequest(NO_GCP);
  const id = intParam(req, 'id', 'gpu_id');
  if (typeof id !== 'number') return id;
  const f = new BodyFields(req);
  const destroyOriginal = f.bool('destroy_original_gpu', false);
  const invalid = f.error();
  if (invalid) return invalid;
  const inst = world.instances.get(id);
  if (!inst) return notFound(`Instance ${id} not found`);
  const result = await fastFailover(world, state, inst, associationOf(state, id), destroyOriginal);
  return json(result.status, result.body);
}

/** The `/standby/*` routes of the failover feature. */
export const STANDBY_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/standby/status', handle: status },
  { method: 'POST', path: '/standby/configure', handle: configure },
  { method: 'GET', path: '/standby/pricing', handle: (req) => pricing(req) },
  { method: 'POST', path: '/standby/provision/:id', handle: provision },
  { method: 'GET', path: '/standby/associations/:id', handle: association },
  { method: 'POST', path: '/standby/associations/:id/start-sync', handle: setSync(true) },
  { method: 'POST', path: '/standby/associations/:id/stop-sync', handle: setSync(false) },
  { method: 'POST', path: '/standby/failover/simulate/:id', handle: simulate },
  { method: 'GET', path: '/standby/failover/status/:failover_id', handle: failoverStatus },
  { method: 'GET', path: '/standby/failover/report', handle: report },
  {
    method: 'GET',
    path: '/standby/failover/active',
    handle: (_req, { world, state }) => {
      const active = state.records.filter((r) => r.success === null && r.kind !== 'none');
      return json(200, { count: active.length, active: active.map((r) => recordRow(world, r)) });
    },
  },
  { method: 'POST', path: '/standby/failover/fast/:id', handle: fast },
];
