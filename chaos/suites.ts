/**
 * Suites as the trials run them: a seeded mixed selection (scenarios from every category), a start, a wait that
 * survives a Temporal server going away, and the count of what was lost, leaked and failed.
 */
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { SCENARIOS, scenarioKey, type ScenarioSpec } from '../src/catalog';
import { cancelledSuiteResult } from '../src/client/cancelled-suite';
import { suitePrefix } from '../src/labels';
import type { Prng } from '../src/sim/core/prng';
import type { ReaperResult } from '../src/workflows/reaper';
import { TASK_QUEUE } from '../src/workflows/search-attributes';
import type { SuiteResult } from '../src/workflows/types';
import type { ChaosStack } from './stack';
import { slowPlatformOnly } from './slow-platform';
import type { FalseFailure } from './types';

/**
 * `perCategory` implemented scenarios from each category of the catalogue, drawn with `prng`; scenarios marked slow
 * are drawn only where a category has too few others. Returns the ids, ascending.
 */
export function mixedSelection(
  prng: Prng,
  perCategory: number,
  catalog: readonly ScenarioSpec[] = SCENARIOS
): number[] {
  const byCategory = new Map<string, ScenarioSpec[]>();
  for (const spec of catalog) {
    if (!spec.workflowType) continue;
    byCategory.set(spec.category, [...(byCategory.get(spec.category) ?? []), spec]);
  }
  const ids: number[] = [];
  for (const specs of byCategory.values()) {
    const quick = prng.shuffle(specs.filter((s) => !s.markers.includes('slow')));
    const slow = prng.shuffle(specs.filter((s) => s.markers.includes('slow')));
    ids.push(...[...quick, ...slow].slice(0, perCategory).map((s) => s.id));
  }
  return ids.sort((a, b) => a - b);
}

/** Starts a SuiteWorkflow on the stack's task queue, as `dumont-e2e run` does. */
export async function startSuite(
  stack: ChaosStack,
  suiteId: string,
  ids: readonly number[],
  maxParallel: number
): Promise<void> {
  await stack.client.workflow.start('SuiteWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: suiteId,
    args: [{ select: ids.join(','), target: 'sim', maxParallel, timeScale: stack.timeScale }],
  });
}

/** How a suite ended, as the trials see it. */
export interface SuiteEnd {
  /** The Temporal status (`COMPLETED`, `TERMINATED`, …), or `RUNNING` when it outlived the deadline. */
  status: string;
  result?: SuiteResult;
  error?: string;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the suite closes or `timeoutMs` passes. Calls that fail because the server is down (a server-crash
 * trial) are retried every second: the wait itself must never be what loses a suite.
 */
export async function awaitSuite(client: Client, suiteId: string, timeoutMs: number): Promise<SuiteEnd> {
  const handle = client.workflow.getHandle(suiteId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const status = (await handle.describe()).status.name;
      if (status !== 'RUNNING') {
        try {
          return { status, result: (await handle.result()) as SuiteResult };
        } catch (err) {
          if (!(err instanceof WorkflowFailedError)) throw err;
          if (status === 'CANCELLED') {
            const result = await cancelledSuiteResult(handle, { select: '', target: 'sim', timeScale: 1 }, undefined);
            return { status, result };
          }
          return { status, error: err.cause?.message ?? err.message };
        }
      }
    } catch (err) {
      if (Date.now() > deadline) return { status: 'UNREACHABLE', error: (err as Error).message };
    }
    if (Date.now() > deadline) return { status: 'RUNNING' };
    await delay(1_000);
  }
}

/** What the scenarios of a suite were doing right now: `s006-pause-resume: createInstance, waitRunning`. */
export async function inFlight(client: Client, suiteId: string): Promise<string> {
  try {
    const running = (await client.workflow.getHandle(suiteId).query<{ running: string[] }>('progress')).running;
    const lines = await Promise.all(
      running.map(async (id) => {
        const d = await client.workflow.getHandle(id).describe();
        const acts = (d.raw.pendingActivities ?? []).map((a) => a.activityType?.name ?? '?');
        return `${id.split('/').pop()}: ${acts.join('+') || 'timer/child'}`;
      })
    );
    return lines.join('; ') || 'final sweep';
  } catch (err) {
    return `unknown (${(err as Error).message.split('\n')[0]})`;
  }
}

/**
 * Resources labelled with the suite's prefix that are still alive, of every registered kind: a dry run of the
 * reaper (which lists them as the harness does) plus the simulator's own instances and volumes.
 */
export async function leftovers(stack: ChaosStack, suiteId: string): Promise<string[]> {
  const prefix = suitePrefix(suiteId);
  const reaper = (await stack.client.workflow.execute('ReaperWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `chaos-leakcheck-${suiteId}-${Date.now()}`,
    args: [{ dryRun: true, ttlHours: 24 * 365, target: 'sim' }],
  })) as ReaperResult;
  const found = new Set(reaper.doomed.filter((d) => d.label.startsWith(prefix)).map((d) => `${d.kind} ${d.label}`));
  const state = await stack.simState();
  for (const i of state.instances) if (i.label?.startsWith(prefix)) found.add(`instance ${i.label}`);
  for (const v of state.volumes) if (v.label?.startsWith(prefix)) found.add(`volume ${v.label}`);
  return [...found];
}

/**
 * Lost, leaked and false failures of a suite that was hurt (a scenario may be excused: the one a trial terminated).
 * Time limits missed on a host slowed on purpose are true findings about the platform (`slowPlatform`), not false
 * failures (`slow-platform.ts`).
 */
export async function assess(
  stack: ChaosStack,
  suiteId: string,
  ids: readonly number[],
  end: SuiteEnd,
  excuse: readonly string[] = []
): Promise<{ lost: number; leaked: string[]; falseFailures: FalseFailure[]; slowPlatform: FalseFailure[] }> {
  const keys = ids.map((id) => scenarioKey(SCENARIOS.find((s) => s.id === id)!));
  let lost = 0;
  for (const key of keys) {
    try {
      const status = (await stack.client.workflow.getHandle(`${suiteId}/${key}`).describe()).status.name;
      if (status === 'RUNNING') lost++;
    } catch {
      // never started (the suite was terminated before it): nothing of it can be running
    }
  }
  if (end.status === 'RUNNING' || end.status === 'UNREACHABLE') lost = Math.max(lost, 1);
  const slowBooted = (await stack.simState()).faults.hitOn?.['slow-boot'] ?? [];
  const slowPlatform: FalseFailure[] = [];
  const falseFailures: FalseFailure[] = (end.result?.scenarios ?? [])
    .filter((s) => s.status !== 'passed' && !excuse.includes(`${suiteId}/${scenarioKey(s)}`))
    .filter((s) => {
      if (!slowPlatformOnly(s, suiteId, slowBooted)) return true;
      const why = s.checks.filter((c) => !c.ok).map((c) => `[${c.id}] ${c.detail}`);
      slowPlatform.push({ scenario: scenarioKey(s), why: `${why.join('; ')} (a host booted slow on purpose)` });
      return false;
    })
    .map((s) => ({
      scenario: scenarioKey(s),
      why:
        s.error ??
        (s.checks
          .filter((c) => !c.ok)
          .map((c) => `[${c.id}] ${c.detail}`)
          .join('; ') ||
          s.status),
    }));
  if (end.result === undefined && end.status === 'COMPLETED') {
    falseFailures.push({ scenario: suiteId, why: end.error ?? 'no result' });
  }
  return { lost, leaked: await leftovers(stack, suiteId), falseFailures, slowPlatform };
}
