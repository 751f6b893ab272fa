import { failoverApi, type WarmPoolProvision, type WarmPoolStatus } from '../platform/dumont/failover';
import type { ActivityDeps } from './deps';
import { platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';

export type { RegionalVolume, WarmPoolHost, WarmPoolStatus } from '../platform/dumont/failover';

/** Warm pool and regional volume activities: Dumont's `/warmpool/*` and `/failover/regional-volume/*`. */
export function createWarmPoolActivities(deps: ActivityDeps) {
  const api = failoverApi(deps.dumont);
  const pollMs = (seconds: number, timeScale: number) => Math.max(deps.minPollMs ?? 25, scaled(seconds, timeScale));

  return {
    async warmPoolHosts(input: { gpuName?: string; minGpus?: number }) {
      return api.warmPoolHosts({ gpu_name: input.gpuName, min_gpus: input.minGpus ?? 2 });
    },
    /**
     * Provisions a warm pool labelled `label` under the key `machine_id` (the workflow derives it from the label);
     * adopts the pool already under that key with that label (a provision whose answer was lost: the call is
     * synchronous and long), so a retry never rents twice.
     */
    async provisionWarmPool(input: WarmPoolProvision & { suiteId: string }): Promise<WarmPoolStatus> {
      const { suiteId, ...body } = input;
      // The pool's GPUs get the account's keys of the moment they are created: the suite's must be there first.
      await deps.keys.ensureRegistered(suiteId);
      const existing = await api.warmPool(body.machine_id);
      if (existing && existing.label === body.label && existing.state !== 'provisioning') return existing;
      const answer = await api.provisionWarmPool(body);
      const status = answer.status ?? (await api.warmPool(body.machine_id));
      if (!status) throw new Error(`warm pool ${body.machine_id} (${body.label}) is not found after its provisioning`);
      return status;
    },
    async warmPoolStatus(input: { machineId: number }): Promise<WarmPoolStatus | null> {
      return (await api.warmPool(input.machineId)) ?? null;
    },
    /** Polls a pool's status until `until` holds (state and/or health) or the window closes. */
    async waitWarmPool(
      input: WaitWindow & { machineId: number; states?: string[]; healthy?: boolean; checkedAfter?: number }
    ): Promise<{ reached: boolean; status: WarmPoolStatus | null; platformSeconds: number }> {
      let status: WarmPoolStatus | null = null;
      const hit = await pollUntil(
        async () => {
          status = (await api.warmPool(input.machineId)) ?? null;
          if (!status) return undefined;
          const ok =
            (!input.states || input.states.includes(status.state)) &&
            (input.healthy === undefined || status.healthy === input.healthy) &&
            (input.checkedAfter === undefined || (status.last_health_check ?? 0) > input.checkedAfter);
          return ok ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      return { reached: hit === true, status, platformSeconds: platformSecondsSince(input) };
    },
    /**
     * The pool's failover test (synchronous on Dumont), timed by us from the call to its answer. Each call fails over
     * once more, so a retry first looks whether the pool already counts more failovers than `failoversBefore` (an
     * attempt whose answer was lost) and then reports that one instead of failing over again.
     */
    async warmPoolFailover(input: { machineId: number; failoversBefore: number; timeScale: number }) {
      const settled = await pollUntil(
        async () => {
          const status = await api.warmPool(input.machineId);
          return status && status.state !== 'failover' ? status : undefined;
        },
        { deadlineMs: Date.now() + 600_000, intervalMs: 200 }
      );
      if (settled && (settled.failover_count ?? 0) > input.failoversBefore) {
        return {
          success: true,
          recovery_time_seconds: null,
          new_primary_gpu_id: settled.primary_gpu_id,
          measuredSeconds: null,
          answerLost: true,
        };
      }
      const started = Date.now();
      const answer = await api.warmPoolFailover(input.machineId);
      return { ...answer, measuredSeconds: (Date.now() - started) / 1000 / input.timeScale, answerLost: false };
    },
    async cleanupWarmPool(input: { machineId: number }): Promise<void> {
      await api.cleanupWarmPool(input.machineId);
    },
    async regionalVolume(input: { volumeId: number }) {
      return (await api.regionalVolume(input.volumeId)) ?? null;
    },
    async searchRegionalVolumes(input: { region: string }) {
      return api.searchRegionalVolumes(input.region);
    },
    /** VAST's volumes carrying a label under `labelPrefix` (the witness of what is billed). */
    async vastVolumes(input: { labelPrefix: string }) {
      const volumes = await deps.vast.listVolumes();
      return volumes
        .filter((v) => (v.label ?? v.name ?? '').startsWith(input.labelPrefix))
        .map((v) => ({ id: v.id, label: (v.label ?? v.name)!, status: v.status }));
    },
  };
}
