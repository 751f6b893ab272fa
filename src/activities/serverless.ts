import { serverlessApi, type ServerlessSettings, type ServerlessStatus } from '../platform/dumont/serverless';
import { probeSsh } from '../platform/ssh';
import type { ActivityDeps } from './deps';
import { platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';

export type { ServerlessSettings, ServerlessStatus } from '../platform/dumont/serverless';

/** Serverless (auto-pause) activities: Dumont's own routes, read as a user of them would. */
export function createServerlessActivities(deps: ActivityDeps) {
  const api = serverlessApi(deps.dumont);
  const pollMs = (seconds: number, timeScale: number) => Math.max(deps.minPollMs ?? 25, scaled(seconds, timeScale));

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
    async wakeServerless(input: { suiteId: string; instanceId: number }) {
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
      const readyAtAnswer = target ? await probeSsh(target, 5_000) : false;
      return {
        ...answer,
        readyAtAnswer,
        stateAtAnswer: `${row?.status ?? 'gone'}/${row?.actual_status ?? 'none'}${row?.ssh_port ? '' : ', no SSH port'}`,
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
     * Polls the serverless status until `is_paused` equals `paused` or the window closes; `reached` says which. The
     * time is measured from the window's start (fixed by the workflow before what it waits on).
     */
    async waitForServerlessPaused(
      input: WaitWindow & { instanceId: number; paused: boolean }
    ): Promise<{ reached: boolean; platformSeconds: number; status: ServerlessStatus | null }> {
      let last: ServerlessStatus | undefined;
      const hit = await pollUntil(
        async () => {
          last = await api.status(input.instanceId);
          return last && last.is_paused === input.paused ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, intervalMs: pollMs(2, input.timeScale) }
      );
      return { reached: hit === true, platformSeconds: platformSecondsSince(input), status: last ?? null };
    },
  };
}
