import { Client, Connection } from '@temporalio/client';
import type { ReaperResult } from '../../workflows/reaper';
import { TASK_QUEUE } from '../../workflows/search-attributes';
import { createSuiteSchedule } from '../schedules';
import { waitUntil } from './processes';

/** The id of the reaper schedule `stack up` creates (the same id `schedule create --reaper` uses). */
export const REAPER_SCHEDULE_ID = 'dumont-e2e-reaper';

/** How often the stack's reaper runs: a leak (a resource whose suite closed) lives at most this long. */
export const REAPER_CRON = '*/15 * * * *';

/**
 * Makes sure the Temporal server at `address` has the reaper schedule: `ReaperWorkflow` (not dry) on the simulator
 * every 15 minutes, so a stack left running never keeps a leak longer than one interval, even when nobody runs
 * `sweep`. A schedule already there (created by an earlier `stack up`, or by hand with other settings, or paused on
 * purpose) is left as it is.
 *
 * @param opts.taskQueue the workers' task queue. @default 'dumont-e2e'
 * @returns whether it was created now.
 */
export async function ensureReaperSchedule(address: string, opts: { taskQueue?: string } = {}): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' });
  try {
    const client = new Client({ connection });
    try {
      await createSuiteSchedule(client, {
        id: REAPER_SCHEDULE_ID,
        cron: REAPER_CRON,
        reaper: { target: 'sim' },
        taskQueue: opts.taskQueue ?? TASK_QUEUE,
      });
      return true;
    } catch (err) {
      if ((err as Error).name === 'ScheduleAlreadyRunning') return false;
      throw err;
    }
  } finally {
    await connection.close();
  }
}

/**
 * Runs the reaper schedule's action once now (what the next interval would do) and resolves to that run's result.
 *
 * @throws Error when the schedule starts no run within 60 s (no such schedule, or a server that does not answer).
 */
export async function runReaperScheduleNow(client: Client, id = REAPER_SCHEDULE_ID): Promise<ReaperResult> {
  const handle = client.schedule.getHandle(id);
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  let runId: string | undefined;
  const started = await waitUntil(async () => {
    const recent = (await handle.describe()).info.recentActions;
    runId = recent.length > before ? recent[recent.length - 1]!.action.workflow.workflowId : undefined;
    return runId !== undefined;
  }, 60_000);
  if (!started || !runId) throw new Error(`schedule ${id} started no reaper within 60 s`);
  return (await client.workflow.getHandle(runId).result()) as ReaperResult;
}
