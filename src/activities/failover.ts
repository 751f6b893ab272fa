import net from 'node:net';
import { Context } from '@temporalio/activity';
import {
  failoverApi,
  type Association,
  type FailoverRecord,
  type StandbyConfigure,
  type StandbyStatus,
} from '../platform/dumont/failover';
import { PlatformError } from '../platform/errors';
import { isDroppedSession, sshExec } from '../platform/ssh';
import type { ActivityDeps } from './deps';
import { pause, platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';
import { noteRetry } from './retry-notes';
import type { SshEndpoint } from './ssh';

/** Sessions a read-only probe runs before it reports the address as failing: dropped sessions are cheap to redo. */
const PROBE_SESSIONS = 8;
/** Of those, tries whose connection never came up (each already `connectAttempts` connects) before it gives up. */
const PROBE_CONNECTS = 3;

export type { Association, FailoverRecord, StandbyStatus } from '../platform/dumont/failover';

/**
 * What `host:port` answers within `timeoutMs`: an SSH banner (`banner`: the cheapest proof that an SSH service, not
 * just a listening socket, which a forwarder with nothing behind it also has, serves there), a refusal or a close
 * without one (`refused`), or nothing in time (`timeout`: inconclusive).
 */
export function sshBanner(host: string, port: number, timeoutMs: number): Promise<'banner' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (answer: 'banner' | 'refused' | 'timeout'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.length >= 4) finish(seen.startsWith('SSH-') ? 'banner' : 'refused');
    });
    socket.on('error', () => finish('refused'));
    socket.on('close', () => finish('refused'));
  });
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // outside an activity (tests)
  }
}

/** CPU standby and failover activities: Dumont's own routes, read as a user of them would. */
export function createFailoverActivities(deps: ActivityDeps) {
  const api = failoverApi(deps.dumont);
  const pollMs = (seconds: number, timeScale: number) => Math.max(deps.minPollMs ?? 25, scaled(seconds, timeScale));

  /** Polls a failover record until it ends (`success` not null) or the window closes. */
  async function waitRecord(input: WaitWindow & { failoverId: string }) {
    let last: FailoverRecord | undefined;
    const done = await pollUntil(
      async () => {
        last = await api.failoverStatus(input.failoverId);
        return last && last.success !== null ? true : undefined;
      },
      { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(0.5, input.timeScale) }
    );
    return { ended: done === true, record: last ?? null, platformSeconds: platformSecondsSince(input) };
  }

  return {
    /** The global standby configuration (it is one for the whole platform). */
    async standbyStatus(): Promise<StandbyStatus> {
      return api.standbyStatus();
    },
    /** Sets the global standby configuration; answers the one it replaced (to restore it afterwards). */
    async configureStandby(input: StandbyConfigure): Promise<StandbyStatus> {
      const before = await api.standbyStatus();
      await api.configureStandby(input);
      return before;
    },
    /**
     * Provisions the CPU standby of a GPU instance, labelled `label`; adopts the association already carrying the
     * label (a provision whose answer was lost), so a retry never rents a second VM.
     */
    async provisionStandby(input: { gpuInstanceId: number; label: string }): Promise<Association> {
      const existing = (await api.associations()).find((a) => a.label === input.label);
      if (existing) return (await api.association(existing.gpu_instance_id)) ?? existing;
      return api.provisionStandby(input.gpuInstanceId, input.label);
    },
    async standbyAssociation(input: { gpuInstanceId: number }): Promise<Association | null> {
      return (await api.association(input.gpuInstanceId)) ?? null;
    },
    /** The association carrying `label` (its GPU changes with a failback), or null. */
    async associationByLabel(input: { label: string }): Promise<Association | null> {
      const found = (await api.associations()).find((a) => a.label === input.label);
      return found ? ((await api.association(found.gpu_instance_id)) ?? found) : null;
    },
    async startStandbySync(input: { gpuInstanceId: number }): Promise<void> {
      await api.startSync(input.gpuInstanceId);
    },
    /**
     * Polls the association labelled `label` until its state is one of `states` and (when given) its sync count
     * exceeds `syncCountAbove`, or the window closes.
     */
    async waitStandby(
      input: WaitWindow & { label: string; states?: string[]; syncCountAbove?: number }
    ): Promise<{ reached: boolean; row: Association | null; platformSeconds: number }> {
      let row: Association | null = null;
      const hit = await pollUntil(
        async () => {
          const found = (await api.associations()).find((a) => a.label === input.label);
          row = found ? ((await api.association(found.gpu_instance_id)) ?? found) : null;
          if (!row) return undefined;
          const stateOk = !input.states || input.states.includes(row.state ?? '');
          const countOk = input.syncCountAbove === undefined || (row.sync_count ?? 0) > input.syncCountAbove;
          return stateOk && countOk ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(1, input.timeScale) }
      );
      return { reached: hit === true, row, platformSeconds: platformSecondsSince(input) };
    },
    /** Fails the GPU (`reason`: gpu_host_down, spot_interruption, network_partition); idempotent per GPU. */
    async simulateFailure(input: { gpuInstanceId: number; reason: string }) {
      return api.simulateFailure(input.gpuInstanceId, input.reason);
    },
    /**
     * Fails the GPU, then at once (same activity, no round trip through Temporal) watches `endpoint` until it
     * answers with an SSH banner. The service came back between the last look that found nothing (`refusedAt`, when
     * that look started) and the first banner (`servedAt`, when it arrived), on the platform's clock (anchored on the
     * `server_time` of the failure's answer; epoch seconds where the platform gives none, i.e. a real one). A busy
     * machine only widens that bracket: it can delay what we see, never move `refusedAt` past the real moment.
     */
    async failAndWatchEndpoint(input: WaitWindow & { gpuInstanceId: number; reason: string; endpoint: SshEndpoint }) {
      const failure = await api.simulateFailure(input.gpuInstanceId, input.reason);
      const answeredAt = Date.now();
      const toPlatform = (t: number): number =>
        failure.server_time !== null ? failure.server_time + (t - answeredAt) / 1000 / input.timeScale : t / 1000;
      let polls = 0;
      let servedAt: number | null = null;
      let refusedAt: number | null = null;
      let lastBeat = 0;
      while (Date.now() < input.deadlineMs) {
        polls++;
        const lookedAt = Date.now();
        const answer = await sshBanner(input.endpoint.host, input.endpoint.port, 1_000);
        if (answer === 'banner') {
          servedAt = toPlatform(Date.now());
          break;
        }
        // Only a look that was turned away proves nothing served when it started; a slow one proves nothing.
        if (answer === 'refused') refusedAt = toPlatform(lookedAt);
        if (Date.now() - lastBeat > 1000) {
          heartbeat({ polls });
          lastBeat = Date.now();
        }
        await pause(2);
      }
      return {
        failoverId: failure.failover_id,
        failedAt: failure.failed_at,
        anchoredOnServerTime: failure.server_time !== null,
        refusedAt,
        servedAt,
        polls,
      };
    },
    /** Polls a failover (failback, recovery) record until it ends or the window closes. */
    async waitFailover(input: WaitWindow & { failoverId: string }) {
      return waitRecord(input);
    },
    async failoverRecord(input: { failoverId: string }): Promise<FailoverRecord | null> {
      return (await api.failoverStatus(input.failoverId)) ?? null;
    },
    /** Starts the failback of an association serving from its standby (idempotent while it runs). */
    async failback(input: { gpuInstanceId: number }): Promise<FailoverRecord> {
      return api.failback(input.gpuInstanceId);
    },
    /** Starts the recovery of a GPU without a standby (idempotent per instance). */
    async recoverInstance(input: { instanceId: number }): Promise<FailoverRecord> {
      return api.recover(input.instanceId);
    },
    async failoverReadiness(input: { machineId: number }) {
      return api.readiness(input.machineId);
    },
    /** VAST's own row of an instance (the independent witness of where it runs and whether it bills), or null. */
    async vastInstance(input: { instanceId: number }) {
      const row = await deps.vast.showInstance(input.instanceId);
      return row
        ? {
            id: row.id,
            label: row.label,
            actual_status: row.actual_status,
            intended_status: row.intended_status,
            geolocation: row.geolocation ?? null,
            machine_id: row.machine_id ?? null,
          }
        : null;
    },
    /**
     * A read-only command at an SSH address (a standby, a service endpoint) with few connection tries: an address
     * that does not answer is a finding to record (`ok: false` and why), not something to retry for minutes. A
     * session that dropped under the command did answer, so it is simply run again, more times than a connect.
     */
    async probeEndpoint(input: EndpointProbe) {
      let lastError = '';
      for (let attempt = 1, unanswered = 0; attempt <= PROBE_SESSIONS; attempt++) {
        try {
          return await probeOnce(input);
        } catch (err) {
          lastError = (err as Error).message;
          if (!(err instanceof PlatformError) || !err.retryable) break;
          if (!isDroppedSession(err) && ++unanswered >= PROBE_CONNECTS) break;
          await pause(200);
        }
      }
      return { ok: false, code: -1, stdout: '', stderr: '', error: lastError };
    },
    /** Waits `ms` real milliseconds (a poll's spacing where no platform clock applies). */
    async realPause(input: { ms: number }): Promise<void> {
      await pause(input.ms);
    },
  };

  /** One SSH session at an address, with few connection tries. */
  async function probeOnce(input: EndpointProbe) {
    const res = await sshExec(
      { ...input.endpoint, username: 'root', privateKey: deps.keys.keyFor(input.suiteId).privateKey },
      input.command,
      {
        timeoutMs: (input.timeoutSeconds ?? 120) * 1000,
        connectAttempts: 3,
        connectRetryDelayMs: 300,
        connectTimeoutMs: 10_000,
        onRetryableError: (e) => noteRetry(e.message),
      }
    );
    return {
      ok: true,
      code: res.code,
      stdout: res.stdout.slice(-8_000),
      stderr: res.stderr.slice(-8_000),
      error: null,
    };
  }
}

/** A read-only command at an SSH address. */
interface EndpointProbe {
  suiteId: string;
  endpoint: SshEndpoint;
  command: string;
  timeoutSeconds?: number;
}
