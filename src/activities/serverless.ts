import { serverlessApi, type ServerlessSettings, type ServerlessStatus } from '../platform/dumont/serverless';
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
    /** Wakes a paused instance; the answer as the platform gives it (the workflow measures SSH itself). */
    async wakeServerless(input: { instanceId: number }) {
      return api.wake(input.instanceId);
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
