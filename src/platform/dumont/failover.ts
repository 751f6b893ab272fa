/**
 * Dumont's failover routes (docs/platform-contract.md § Failover): the CPU standby (`/standby/*`), the per-instance
 * failover routes, the failover records, the orchestrator's readiness, warm pools (`/warmpool/*`) and regional
 * volumes (`/failover/regional-volume/*`). Built on the Dumont client's authenticated `call` (the routes without
 * auth ignore the token); a route the platform does not have answers {@link PlatformLacksError}.
 */
import { z } from 'zod';
import { PlatformLacksError } from '../errors';
import type { DumontClient } from '../types';
import { lacksAwareCall, num, optBool, optNum, optStr, orMissing } from './routes';

const syncSchema = z.looseObject({
  direction: optStr,
  started_at: optNum,
  completed_at: optNum,
  duration_seconds: optNum,
  files_copied: optNum,
  bytes_copied: optNum,
  files_total: optNum,
  bytes_total: optNum,
});

const associationSchema = z.looseObject({
  gpu_instance_id: num,
  label: optStr,
  state: optStr,
  sync_enabled: optBool,
  sync_count: optNum,
  last_sync_at: optNum,
  ssh_host: optStr,
  ssh_port: optNum,
  endpoint: z
    .looseObject({ host: z.string(), port: optNum, serving: optStr })
    .nullish()
    .transform((v) => v ?? null),
  files_synced: optNum,
  bytes_synced: optNum,
  last_sync: syncSchema.nullish().transform((v) => v ?? null),
  failover_count: optNum,
  failback_count: optNum,
  gpu_failed: optBool,
  failure_reason: optStr,
  cpu_standby: z
    .looseObject({ name: optStr, ip: optStr })
    .nullish()
    .transform((v) => v ?? null),
});
export type Association = z.output<typeof associationSchema>;

const recordSchema = z.looseObject({
  failover_id: z.string(),
  kind: optStr,
  phase: z.string(),
  success: optBool,
  error: z.unknown().optional(),
  started_at: optNum,
  completed_at: optNum,
  failed_at: optNum,
  detected_at: optNum,
  decided_at: optNum,
  switched_at: optNum,
  serving_at: optNum,
  new_gpu_id: optNum,
  total_time_ms: optNum,
  phase_timings_ms: z.record(z.string(), num).nullish(),
  endpoint: z
    .looseObject({ ssh_host: optStr, ssh_port: optNum })
    .nullish()
    .transform((v) => v ?? null),
  dead_gpu_destroyed: optBool,
  data_restored: optBool,
  server_time: optNum,
  sync: z.unknown().optional(),
});
export type FailoverRecord = z.output<typeof recordSchema>;

const simulateSchema = z.looseObject({
  failover_id: z.string(),
  phase: z.string(),
  failed_at: optNum,
  server_time: optNum,
});
export type SimulatedFailure = z.output<typeof simulateSchema>;

const standbyStatusSchema = z.looseObject({
  configured: optBool,
  auto_standby_enabled: optBool,
  config: z.looseObject({ sync_interval: optNum, auto_failover: optBool }).nullish(),
});
export type StandbyStatus = z.output<typeof standbyStatusSchema>;

/** What `POST /standby/configure` takes. */
export interface StandbyConfigure {
  enabled: boolean;
  sync_interval?: number;
  auto_failover?: boolean;
  auto_recovery?: boolean;
  gcp_zone?: string;
  gcp_machine_type?: string;
}

const readinessSchema = z.looseObject({
  effective_strategy: optStr,
  warm_pool_ready: optBool,
  cpu_standby_ready: optBool,
  overall_ready: optBool,
});
export type Readiness = z.output<typeof readinessSchema>;

const hostSchema = z.looseObject({
  machine_id: num,
  gpu_name: z.string(),
  total_gpus: optNum,
  available_gpus: optNum,
  avg_price_per_hour: optNum,
  geolocation: optStr,
  can_create_warm_pool: optBool,
});
export type WarmPoolHost = z.output<typeof hostSchema>;

const poolSchema = z.looseObject({
  machine_id: num,
  state: z.string(),
  host_machine_id: optNum,
  volume_id: optNum,
  primary_gpu_id: optNum,
  standby_gpu_id: optNum,
  standby_state: optStr,
  primary_ssh_host: optStr,
  primary_ssh_port: optNum,
  last_health_check: optNum,
  failover_count: optNum,
  error_message: optStr,
  label: optStr,
  geolocation: optStr,
  healthy: optBool,
});
export type WarmPoolStatus = z.output<typeof poolSchema>;

/** What `POST /warmpool/provision` takes (`label` is the harness's extension). */
export interface WarmPoolProvision {
  machine_id: number;
  host_machine_id: number;
  gpu_name?: string;
  image: string;
  disk_size?: number;
  volume_size?: number;
  label: string;
}

const regionalSchema = z.looseObject({
  volume_id: num,
  name: optStr,
  label: optStr,
  region: optStr,
  size_gb: optNum,
  machine_id: optNum,
  geolocation: optStr,
});
export type RegionalVolume = z.output<typeof regionalSchema>;

const ack = z.unknown();

/** Rows of a list that parse; a row we cannot read is skipped (cleanup must never fail closed on one). */
function rowsOf<S extends z.ZodType>(rows: unknown[], schema: S): z.output<S>[] {
  return rows.flatMap((row) => {
    const parsed = schema.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The failover client over one Dumont client. */
export function failoverApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, (path) => path.replace(/\/(\d+|fo-\d+)(?=\/|$)/g, '/{id}'));
  const long = 900_000;

  /**
   * A route that starts a failover-like operation and answers its record. Dumont's stubs answer 200
   * `{status: "initiated"}` without one and do nothing: the platform lacks the operation, whatever the status says.
   */
  async function started(path: string): Promise<FailoverRecord> {
    const body = await call({ method: 'POST', path, schema: z.unknown() });
    const record = recordSchema.safeParse(body);
    if (record.success) return record.data;
    const route = `POST ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    throw new PlatformLacksError(
      `platform lacks a working ${route}: it answered ${JSON.stringify(body).slice(0, 160)} without a failover record`,
      { endpoint: route, status: 200 }
    );
  }

  return {
    standbyStatus: () => call({ method: 'GET', path: '/api/v1/standby/status', schema: standbyStatusSchema }),
    configureStandby: (body: StandbyConfigure) =>
      call({ method: 'POST', path: '/api/v1/standby/configure', data: body, schema: ack }).then(() => undefined),
    /** Synchronous on Dumont (a VM is created): a long timeout. */
    provisionStandby: (gpuInstanceId: number, label: string) =>
      call({
        method: 'POST',
        path: `/api/v1/standby/provision/${gpuInstanceId}`,
        params: { label },
        schema: z.looseObject({ association: associationSchema }),
        timeoutMs: long,
      }).then((b) => b.association),
    association: (gpuInstanceId: number) =>
      orMissing(
        call({ method: 'GET', path: `/api/v1/standby/associations/${gpuInstanceId}`, schema: associationSchema })
      ),
    associations: () =>
      call({
        method: 'GET',
        path: '/api/v1/standby/associations',
        schema: z.looseObject({ associations: z.array(z.unknown()) }),
      }).then((b) => rowsOf(b.associations, associationSchema)),
    startSync: (gpuInstanceId: number) =>
      call({ method: 'POST', path: `/api/v1/standby/associations/${gpuInstanceId}/start-sync`, schema: ack }).then(
        () => undefined
      ),
    /** Fails the GPU as `reason` says; the platform must find out by itself. Idempotent per GPU. */
    simulateFailure: (gpuInstanceId: number, reason: string) =>
      call({
        method: 'POST',
        path: `/api/v1/standby/failover/simulate/${gpuInstanceId}`,
        data: { reason, simulate_restore: true, simulate_new_gpu: false },
        schema: simulateSchema,
      }),
    failoverStatus: (failoverId: string) =>
      orMissing(
        call({
          method: 'GET',
          path: `/api/v1/standby/failover/status/${failoverId}`,
          schema: recordSchema,
          successFalseIsData: true,
        })
      ),
    /** Starts a failback (idempotent while it runs); answers its record. Dumont's stub answers none: it lacks one. */
    failback: (gpuInstanceId: number) => started(`/api/v1/instances/${gpuInstanceId}/failback`),
    /** Starts a recovery without standby (idempotent per instance); answers its record (Dumont's stub: lacks one). */
    recover: (instanceId: number) => started(`/api/v1/instances/${instanceId}/recover`),
    readiness: (machineId: number) =>
      call({ method: 'GET', path: `/api/v1/failover/readiness/${machineId}`, schema: readinessSchema }),

    warmPoolHosts: (query: { gpu_name?: string; min_gpus?: number }) =>
      call({
        method: 'GET',
        path: '/api/v1/warmpool/hosts',
        params: query,
        schema: z.looseObject({ hosts: z.array(z.unknown()) }),
      }).then((b) => rowsOf(b.hosts, hostSchema)),
    /** Synchronous on Dumont (both GPUs booted, the standby stopped): a long timeout. Idempotent per machine_id. */
    provisionWarmPool: (body: WarmPoolProvision) =>
      call({
        method: 'POST',
        path: '/api/v1/warmpool/provision',
        data: body,
        schema: z.looseObject({ success: z.boolean(), message: optStr, status: poolSchema.nullish() }),
        timeoutMs: long,
      }),
    warmPool: (machineId: number) =>
      orMissing(call({ method: 'GET', path: `/api/v1/warmpool/status/${machineId}`, schema: poolSchema })),
    /** The simulator's extension: every pool, for cleanup by label. */
    warmPools: () =>
      call({
        method: 'GET',
        path: '/api/v1/warmpool/list',
        schema: z.looseObject({ pools: z.array(z.unknown()) }),
      }).then((b) => rowsOf(b.pools, poolSchema)),
    /** Not idempotent (each call fails over once more): never repeated blindly (see the activity). */
    warmPoolFailover: (machineId: number) =>
      call({
        method: 'POST',
        path: `/api/v1/warmpool/failover/test/${machineId}`,
        schema: z.looseObject({ success: z.boolean(), recovery_time_seconds: optNum, new_primary_gpu_id: optNum }),
        timeoutMs: long,
        idempotent: false,
      }),
    /** Idempotent: a pool already gone is done. */
    cleanupWarmPool: (machineId: number) =>
      orMissing(
        call({ method: 'DELETE', path: `/api/v1/warmpool/cleanup/${machineId}`, schema: ack, timeoutMs: long })
      ).then(() => undefined),

    regionalVolumes: () =>
      call({
        method: 'GET',
        path: '/api/v1/failover/regional-volume/list',
        schema: z.looseObject({ volumes: z.array(z.unknown()) }),
      }).then((b) => rowsOf(b.volumes, regionalSchema)),
    regionalVolume: (volumeId: number) =>
      orMissing(call({ method: 'GET', path: `/api/v1/failover/regional-volume/${volumeId}`, schema: regionalSchema })),
    searchRegionalVolumes: (region: string) =>
      call({
        method: 'GET',
        path: `/api/v1/failover/regional-volume/search/${encodeURIComponent(region)}`,
        schema: z.looseObject({ volumes: z.array(z.unknown()) }),
      }).then((b) => rowsOf(b.volumes, regionalSchema)),
    /** Idempotent: a volume already gone is done. */
    deleteRegionalVolume: (volumeId: number) =>
      orMissing(call({ method: 'DELETE', path: `/api/v1/failover/regional-volume/${volumeId}`, schema: ack })).then(
        () => undefined
      ),
  };
}

export type FailoverApi = ReturnType<typeof failoverApi>;
