/**
 * Whether a measurement spanned a worker restart, from what its activities reported: time no worker watched
 * (`blindMs`, src/activities/polling.ts) or a worker process younger than the scenario (a restarted worker replays
 * every open workflow and retries every activity in flight while it measures). Such a measurement says nothing about
 * the platform; a scenario may take it again (docs/writing-scenarios.md § Measure again only after a restart).
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ScenarioContext } from './context';

/** What waits and observations report about the worker that ran them. */
export interface WatchedBy {
  blindMs?: number;
  workerStartedAtMs?: number;
}

/** The restart `observations` spanned (their blind time summed), or undefined when none did. */
export function spannedRestart(...observations: WatchedBy[]): { blindMs: number } | undefined {
  const blindMs = observations.reduce((sum, o) => sum + (o.blindMs ?? 0), 0);
  const started = workflowInfo().startTime.getTime();
  const youngWorker = observations.some((o) => (o.workerStartedAtMs ?? 0) > started);
  return blindMs > 0 || youngWorker ? { blindMs } : undefined;
}

/** `no worker watched for N platform s`: the blind time in the scenario's platform seconds. */
export function unwatched(ctx: ScenarioContext, blindMs: number): string {
  return `no worker watched for ${Math.round(blindMs / 1000 / ctx.timeScale)} platform s`;
}
