/**
 * Dumont's serverless routes (docs/platform-contract.md § Serverless): enable and disable auto-pause, its status,
 * wake, inference and agent signals, savings, and the CPU standby of fast mode. Built on the Dumont client's
 * authenticated `call`; a route the platform does not have answers {@link PlatformLacksError}.
 */
import { z } from 'zod';
import type { DumontClient } from '../types';
import { lacksAwareCall, num, numericIds, optNum, orMissing } from './routes';

/** What enable asks for. Modes are lower case on the wire. */
export interface ServerlessSettings {
  mode: 'fast' | 'economic' | 'spot';
  idle_timeout_seconds?: number;
  gpu_threshold?: number;
  keep_warm?: boolean;
}

const statusSchema = z.looseObject({
  instance_id: num,
  mode: z.string(),
  is_paused: z.boolean(),
  idle_timeout_seconds: num,
  gpu_threshold: optNum,
  current_gpu_util: optNum,
  idle_since: optNum,
  will_pause_at: optNum,
  total_savings_usd: optNum,
  avg_cold_start_seconds: optNum,
  grace_until: optNum,
  paused_at: optNum,
});
export type ServerlessStatus = z.output<typeof statusSchema>;

const wakeSchema = z.looseObject({
  status: z.string(),
  cold_start_seconds: optNum,
  mode: z.string().nullish(),
  ssh_host: z.string().nullish(),
  ssh_port: optNum,
});
export type WakeAnswer = z.output<typeof wakeSchema>;

const savingsSchema = z.looseObject({
  total_savings_usd: optNum,
  paused_seconds: optNum,
  current_dph: optNum,
  estimated_savings: optNum,
  savings_percent: optNum,
});
export type SavingsAnswer = z.output<typeof savingsSchema>;

const standbySchema = z.looseObject({
  gpu_instance_id: num,
  label: z.string().nullish(),
  state: z.string().nullish(),
  sync_count: optNum,
  dph_total: optNum,
});
export type StandbyAssociation = z.output<typeof standbySchema>;

const listSchema = z.looseObject({
  instances: z.array(z.looseObject({ instance_id: num, mode: z.string().nullish() })),
});
const ack = z.unknown();

/** The serverless client over one Dumont client. */
export function serverlessApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, numericIds);

  return {
    enable: (id: number, settings: ServerlessSettings) =>
      call({ method: 'POST', path: `/api/v1/serverless/enable/${id}`, data: settings, schema: ack }),
    /** Idempotent: an instance without a configuration is already disabled. */
    disable: (id: number) =>
      orMissing(call({ method: 'POST', path: `/api/v1/serverless/disable/${id}`, schema: ack })).then(() => undefined),
    status: (id: number) =>
      orMissing(call({ method: 'GET', path: `/api/v1/serverless/status/${id}`, schema: statusSchema })),
    list: () => call({ method: 'GET', path: '/api/v1/serverless/list', schema: listSchema }).then((b) => b.instances),
    /** Not idempotent in effect but harmless to repeat: waking a running instance answers `already_running`. */
    wake: (id: number) =>
      call({ method: 'POST', path: `/api/v1/serverless/wake/${id}`, schema: wakeSchema, timeoutMs: 600_000 }),
    keepAlive: (id: number) =>
      call({ method: 'POST', path: `/api/v1/agent/instances/${id}/keep-alive`, schema: ack }).then(() => undefined),
    savings: (id: number) => call({ method: 'GET', path: `/api/v1/instances/${id}/savings`, schema: savingsSchema }),
    standbys: () =>
      call({
        method: 'GET',
        path: '/api/v1/standby/associations',
        schema: z.looseObject({ associations: z.array(z.unknown()) }),
      }).then((b) =>
        b.associations.flatMap((row) => {
          const parsed = standbySchema.safeParse(row);
          return parsed.success ? [parsed.data] : [];
        })
      ),
    destroyStandby: (gpuInstanceId: number) =>
      orMissing(call({ method: 'DELETE', path: `/api/v1/standby/associations/${gpuInstanceId}`, schema: ack })).then(
        () => undefined
      ),
  };
}

export type ServerlessApi = ReturnType<typeof serverlessApi>;
