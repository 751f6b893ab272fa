import { Client, Connection } from '@temporalio/client';
import { createSuiteSchedule } from '../schedules';

/** The id of the reaper schedule `stack up` creates (the same id `schedule create --reaper` uses). */
export const REAPER_SCHEDULE_ID = 'dumont-e2e-reaper';

/** How often the stack's reaper runs: a leak (a resource whose suite closed) lives at most this long. */
export const REAPER_CRON = '*/15 * * * *';

/**
 * Makes sure the stack's Temporal server has the reaper schedule: `ReaperWorkflow` (not dry) on the simulator every
 * 15 minutes, so a stack left running never keeps a leak longer than one interval, even when nobody runs `sweep`.
 * A schedule already there (created by an earlier `stack up`, or by hand with other settings, or paused on purpose)
 * is left as it is.
 *
 * @returns whether it was created now.
 */
export async function ensureReaperSchedule(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' });
  try {
    const client = new Client({ connection });
    try {
      await createSuiteSchedule(client, { id: REAPER_SCHEDULE_ID, cron: REAPER_CRON, reaper: { target: 'sim' } });
      return true;
    } catch (err) {
      if ((err as Error).name === 'ScheduleAlreadyRunning') return false;
      throw err;
    }
  } finally {
    await connection.close();
  }
}
