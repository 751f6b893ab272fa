import { serverlessApi, type ServerlessSettings, type ServerlessStatus } from '../platform/dumont/serverless';
import { Context } from '@temporalio/activity';
import { probeSsh } from '../platform/ssh';
import { retryNotes } from './retry-notes';
import type { ActivityDeps } from './deps';
import {
  blindMs,
  observedBefore,
  WORKER_STARTED_AT_MS,
  pause,
  platformSecondsSince,
  pollUntil,
  scaled,
  type WaitWindow,
} from './polling';

export type { ServerlessSettings, ServerlessStatus } from '../platform/dumont/serverless';

/** Whether the current activity is a retry, durable (a later attempt) or in place (the client retried a call). */
function isRetry(): boolean {
  if (retryNotes().length > 0) return true;
  try {
    return Context.current().info.attempt > 1;
  } catch {
    return false; // called directly, outside an activity
  }
}

/** The time no worker watched since `startedAtMs`, if any, and when this worker process started. */
function restartOf(startedAtMs: number): { blindMs?: number; workerStartedAtMs: number } {
  const blind = blindMs(startedAtMs);
  return { ...(blind ? { blindMs: blind } : {}), workerStartedAtMs: WORKER_STARTED_AT_MS };
}

/** Serverless (auto-pause) activities: Dumont's own routes, read as a user of them would. */
export function createServerlessActivities(deps: ActivityDeps) {
  const api = serverlessApi(deps.dumont);
  const pollMs = (seconds: number, timeScale: number) => Math.max(deps.minPollMs ?? 25, scaled(seconds, timeScale));

  /**
   * Polls the serverless status until `is_paused` equals `paused` or the window closes; `reached` says which. The
   * time is measured from the window's start (fixed by the workflow before what it waits on).
   */
  async function waitPaused(
    input: WaitWindow & { instanceId: number; paused: boolean },
    carryOver = true
  ): Promise<{
    reached: boolean;
    platformSeconds: number;
    status: ServerlessStatus | null;
    /** The platform's `idle_since` last seen before the state was reached (its own clock), if any. */
    idleSince: number | null;
    /** Real ms no worker of the harness watched (a worker restart during the wait; see `blindMs`), when any. */
    blindMs?: number;
    /** When the worker process that watched started (one younger than the scenario was catching up after a restart). */
    workerStartedAtMs: number;
  }> {
    const blind = blindMs(input.startedAtMs);
    let last: ServerlessStatus | undefined;
    // The platform clears idle_since once it pauses: if the worker died in between, the attempt before this one saw
    // it, and its heartbeat kept it.
    const before = carryOver ? observedBefore()?.idleSince : undefined;
    let idleSince: number | null = typeof before === 'number' ? before : null;
    const hit = await pollUntil(
      async () => {
        last = await api.status(input.instanceId);
        if (last && last.is_paused !== input.paused && last.idle_since !== null) idleSince = last.idle_since;
        return last && last.is_paused === input.paused ? true : undefined;
      },
      {
        deadlineMs: input.deadlineMs,
        startedAtMs: input.startedAtMs,
        intervalMs: pollMs(1, input.timeScale),
        observed: () => (idleSince !== null ? { idleSince } : undefined),
      }
    );
    return {
      reached: hit === true,
      platformSeconds: platformSecondsSince(input),
      status: last ?? null,
      idleSince,
      ...(blind ? { blindMs: blind } : {}),
      workerStartedAtMs: WORKER_STARTED_AT_MS,
    };
  }

  return {
    async enableServerless(input: { instanceId: number; settings: ServerlessSettings }): Promise<void> {
      await api.enable(input.instanceId, input.settings);
    },
    async disableServerless(input: { instanceId: number }): Promise<void> {
      await api.disable(input.instanceId);
    },
    /** The configuration and state, or null when the instance has none. */
    async serverlessStatus(input: { instanceId: number }): Promise<ServerlessStatus | null> {
      return (await api.status(input.instanceId)) ?? null;
    },
    /**
     * Wakes a paused instance, then at once (in this activity, with no round trip through Temporal) looks whether it
     * is what the answer says: running with its SSH port open and our key accepted. A wake that answers before the
     * instance is reachable reports a cold start that leaves out the part a user waits for.
     */
    async wakeServerless(input: { suiteId: string; instanceId: number; startedAtMs?: number }) {
      const answer = await api.wake(input.instanceId);
      const row = await deps.dumont.getInstance(input.instanceId);
      const target =
        row?.actual_status === 'running' && row.ssh_host && row.ssh_port
          ? {
              host: row.ssh_host,
              port: row.ssh_port,
              username: 'root',
              privateKey: deps.keys.keyFor(input.suiteId).privateKey,
            }
          : undefined;
      // The platform's own row decides whether it claims readiness; the SSH login confirms it (a few quick tries:
      // a transient reset of one session is no reason to call the wake early).
      // An answer that gives no SSH address does not claim a reachable instance, whatever happens a moment later.
      const claimsReady = answer.status === 'already_running' || (answer.ssh_port !== null && !!answer.ssh_host);
      let readyAtAnswer = false;
      // Only once the row says running with its SSH port: a wake that answers before that is not probed at all, so
      // more tries cannot excuse an early answer. They absorb transient resets: a try fails about one time in three
      // under 20% faults (a reset or a dropped session), so five tries failed together about once in 170 wakes.
      for (let attempt = 0; claimsReady && target && !readyAtAnswer && attempt < 12; attempt++) {
        if (attempt > 0) await pause(50);
        readyAtAnswer = await probeSsh(target, 5_000);
      }
      return {
        ...answer,
        readyAtAnswer,
        // A wake whose first answer was lost is asked again, and then finds the instance it resumed already running.
        retried: isRetry(),
        stateAtAnswer: `${row?.status ?? 'gone'}/${row?.actual_status ?? 'none'}${row?.ssh_port ? '' : ', no SSH port'}`,
        // When the measurement's window is given: whether it spans a worker restart (as waits report it).
        ...(input.startedAtMs !== undefined ? restartOf(input.startedAtMs) : {}),
      };
    },
    /** Tells the platform the instance is in use now (resets its idle timer), as Dumont's agent does. */
    async keepAlive(input: { instanceId: number }): Promise<void> {
      await api.keepAlive(input.instanceId);
    },
    async instanceSavings(input: { instanceId: number }) {
      return api.savings(input.instanceId);
    },
    async listStandbys() {
      return api.standbys();
    },
    /**
     * Enables auto-pause and, in the same activity (no round trip through Temporal in between, so the platform's
     * first idle observation is not missed at a compressed clock), waits for the platform's own pause.
     */
    async enableAndWaitPaused(input: WaitWindow & { instanceId: number; settings: ServerlessSettings }) {
      const carried = observedBefore()?.idleSince;
      if (typeof carried === 'number' && (await api.status(input.instanceId))?.is_paused === true) {
        // An earlier attempt enabled and saw the idle period start, and the platform paused while this worker was
        // away: enabling again would start another idle period and lose the one being measured.
        return waitPaused({ ...input, paused: true });
      }
      await api.enable(input.instanceId, input.settings);
      return waitPaused({ ...input, paused: true }, false);
    },

    /** Polls the serverless status until `is_paused` equals `paused` or the window closes (see {@link waitPaused}). */
    async waitForServerlessPaused(input: WaitWindow & { instanceId: number; paused: boolean }) {
      return waitPaused(input);
    },
  };
}
