import { ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import { TASK_QUEUE } from '../workflows/search-attributes';
import type { SuiteInput, Target } from '../workflows/types';

/** A nightly suite (or the reaper) as a Temporal Schedule. */
export interface SuiteScheduleOptions {
  /** @default 'dumont-e2e-nightly' ('dumont-e2e-reaper' with `reaper`) */
  id?: string;
  /** Five-field cron, in `timeZone`. @default '0 2 * * *' (suite), '*\/15 * * * *' (reaper) */
  cron?: string;
  /** IANA time zone. @default 'UTC' */
  timeZone?: string;
  /** Suite input: what to run and where. */
  suite?: SuiteInput;
  /** Schedule the ReaperWorkflow (not dry) instead of the suite. */
  reaper?: { target: Target };
  /** Start paused. @default false */
  paused?: boolean;
  /** @default 'dumont-e2e' */
  taskQueue?: string;
}

const CRON = /^\S+ \S+ \S+ \S+ \S+$/;

/** Throws a TypeError naming the value unless `cron` has the five fields of a cron expression. */
export function validateCron(cron: string): string {
  if (!CRON.test(cron.trim()))
    throw new TypeError(`cron ${JSON.stringify(cron)}: expected five fields, e.g. '0 2 * * *'`);
  return cron.trim();
}

/**
 * Creates the schedule. Overlap SKIP (a night still running keeps the next one from starting; never
 * TERMINATE_OTHER, which would skip cleanup), a 2 h catch-up window (the server default is a year), and no
 * workflow timeouts in the action (they would kill a run before its compensations).
 */
export async function createSuiteSchedule(client: Client, opts: SuiteScheduleOptions): Promise<string> {
  const reaper = opts.reaper !== undefined;
  const id = opts.id ?? (reaper ? 'dumont-e2e-reaper' : 'dumont-e2e-nightly');
  const cron = opts.cron ?? (reaper ? '*/15 * * * *' : '0 2 * * *');
  if (!CRON.test(cron.trim()))
    throw new TypeError(`cron ${JSON.stringify(cron)}: expected five fields, e.g. '0 2 * * *'`);
  await client.schedule.create({
    scheduleId: id,
    spec: { cronExpressions: [cron.trim()], timezone: opts.timeZone ?? 'UTC' },
    action: {
      type: 'startWorkflow',
      workflowType: reaper ? 'ReaperWorkflow' : 'SuiteWorkflow',
      taskQueue: opts.taskQueue ?? TASK_QUEUE,
      // The schedule appends the action time, so each night gets its own suite id (and label prefix).
      workflowId: id,
      args: [reaper ? { dryRun: false, target: opts.reaper!.target } : (opts.suite ?? {})],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2h' },
    state: { paused: opts.paused ?? false, note: 'created by dumont-e2e schedule create' },
    // The server stores cron as calendar specs; keep the expression people wrote, for describe.
    memo: { cron: cron.trim() },
  });
  return id;
}

/** Runs the schedule's action now, with its own overlap policy (the TS SDK would default to ALLOW_ALL). */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
}

/** One line per fact people look for in a schedule. */
export function describeSchedule(id: string, d: ScheduleDescription): string {
  const action = d.action.type === 'startWorkflow' ? d.action : undefined;
  const next = d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString());
  const recent = d.info.recentActions
    .slice(-3)
    .map((a) => `${a.takenAt.toISOString()} ${a.action.workflow.workflowId}`);
  return [
    `schedule ${id}${d.state.paused ? ' (paused)' : ''}`,
    `  runs       ${action?.workflowType ?? '?'} ${JSON.stringify(action?.args?.[0] ?? {})} on ${action?.taskQueue ?? '?'}`,
    `  cron       ${String(d.memo?.cron ?? '(calendar spec)')} ${d.spec.timezone ?? 'UTC'}`,
    `  overlap    ${d.policies.overlap}, catch-up ${d.policies.catchupWindow} ms`,
    `  next       ${next.join(', ') || '-'}`,
    `  recent     ${recent.join('; ') || '-'}`,
  ].join('\n');
}
