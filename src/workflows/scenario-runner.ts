import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CreateInstanceInput, InstanceRef, WaitRunningResult } from '../activities/instances';
import { scenarioById } from '../catalog';
import type { ScenarioSpec } from '../catalog/types';
import { scenarioPrefix, stepLabel } from '../labels';
import type { ExecResult } from '../platform/types';
import { createSaga, failureTypeOf, messageOf, type Saga } from './saga';
import { E2E_CATEGORY, E2E_OUTCOME, E2E_SCENARIO, E2E_SUITE_ID, E2E_TARGET } from './search-attributes';
import { stepsFor, type Steps } from './steps';
import type { CheckOutcome, ScenarioInput, ScenarioResult, Target } from './types';
import { asObject, optString, optTarget, optTimeScale } from './validate';

/** What a scenario body gets: its steps, its saga, and a place to record checks. */
export interface ScenarioContext {
  readonly spec: ScenarioSpec;
  readonly suiteId: string;
  readonly target: Target;
  readonly timeScale: number;
  readonly steps: Steps;
  readonly saga: Saga;
  label(step: string): string;
  /** Records a check; returns `ok` so the body can stop early when later steps make no sense. */
  check(name: string, ok: boolean, detail?: string): boolean;
  metric(name: string, value: number): void;
  /** Registers destroy-by-label for `step` FIRST, then rents the instance. */
  rent(step: string, opts: Omit<CreateInstanceInput, 'suiteId' | 'label'>): Promise<InstanceRef>;
  /** Waits for `running` plus an SSH login; a failure is recorded as the failed check `name`. */
  waitRunning(inst: InstanceRef, name: string, timeoutSeconds?: number): Promise<WaitRunningResult | undefined>;
  /** Waits for `stopped`; a failure is recorded as the failed check `name`. */
  waitStopped(inst: InstanceRef, name: string, timeoutSeconds?: number): Promise<boolean>;
  ssh(inst: InstanceRef, command: string, timeoutSeconds?: number): Promise<ExecResult>;
  /** Sleeps for platform seconds (scaled by timeScale): a durable timer, visible in the Web UI. */
  sleep(platformSeconds: number): Promise<void>;
}

/** A failed check ends the scenario body; the checks already recorded say why. */
class CheckFailed extends Error {}

/** Stops the body when a check that later steps depend on failed. */
export function must(ok: boolean, what: string): void {
  if (!ok) throw new CheckFailed(what);
}

/** Real milliseconds added to every scenario deadline: network and Temporal latency do not scale. */
const DEADLINE_SLACK_MS = 60_000;

/**
 * Runs one scenario the seed's way: create → act → verify → destroy everything → verify cleanup (at the
 * platform AND at VAST). The body runs under the scenario's deadline (a cancellation scope, never a workflow
 * timeout, so cleanup always runs); compensations run in a non-cancellable scope even when the run is
 * cancelled. A failed scenario fails its workflow (red in the Web UI) with the result as failure details.
 */
export async function runScenario(
  id: number,
  rawInput: unknown,
  body: (ctx: ScenarioContext) => Promise<void>
): Promise<ScenarioResult> {
  const spec = scenarioById(id);
  if (!spec) throw ApplicationFailure.nonRetryable(`scenario ${id} is not in the catalog`, 'ValidationError');
  const input = asObject(rawInput, 'input') as ScenarioInput & Record<string, unknown>;
  const target = optTarget(input);
  const timeScale = optTimeScale(input, target);
  const info = workflowInfo();
  const suiteId = optString(input, 'suiteId') ?? info.workflowId;
  const steps = stepsFor(target);
  const saga = createSaga();
  const checks: CheckOutcome[] = [];
  const metrics: Record<string, number> = {};
  const prefix = scenarioPrefix(suiteId, id);

  if (!info.parent) {
    upsertSearchAttributes([
      { key: E2E_SUITE_ID, value: suiteId },
      { key: E2E_SCENARIO, value: spec.slug },
      { key: E2E_CATEGORY, value: spec.category },
      { key: E2E_TARGET, value: target },
    ]);
  }

  const ctx: ScenarioContext = {
    spec,
    suiteId,
    target,
    timeScale,
    steps,
    saga,
    label: (step) => stepLabel(suiteId, id, step),
    check(name, ok, detail = '') {
      checks.push({ name, ok, detail });
      return ok;
    },
    metric(name, value) {
      metrics[name] = Math.round(value * 100) / 100;
    },
    async rent(step, opts) {
      const label = stepLabel(suiteId, id, step);
      saga.add(`destroy ${label}`, () => steps.destroyByLabel({ labelPrefix: label, timeScale }));
      return steps.createInstance({ ...opts, suiteId, label });
    },
    async waitRunning(inst, name, timeoutSeconds = 900) {
      try {
        return await steps.waitForRunning({ instanceId: inst.instanceId, suiteId, timeoutSeconds, timeScale });
      } catch (err) {
        if (isCancellation(err)) throw err;
        ctx.check(name, false, messageOf(err));
        throw new CheckFailed(name);
      }
    },
    async waitStopped(inst, name, timeoutSeconds = 120) {
      try {
        await steps.waitForStopped({ instanceId: inst.instanceId, suiteId, timeoutSeconds, timeScale });
        return true;
      } catch (err) {
        if (isCancellation(err)) throw err;
        ctx.check(name, false, messageOf(err));
        return false;
      }
    },
    ssh: (inst, command, timeoutSeconds) =>
      steps.sshRun({ suiteId, instanceId: inst.instanceId, command, timeoutSeconds }),
    sleep: (platformSeconds) => sleep(Math.max(1, Math.round(platformSeconds * 1000 * timeScale))),
  };

  const startedAt = await steps.now();
  let error: string | undefined;
  let cancelled: unknown;
  try {
    await CancellationScope.withTimeout(spec.deadlineMinutes * 60_000 * timeScale + DEADLINE_SLACK_MS, () => body(ctx));
  } catch (err) {
    if (err instanceof CheckFailed) {
      // the failed check is already recorded
    } else if (isCancellation(err) && CancellationScope.current().consideredCancelled) {
      cancelled = err;
      error = 'cancelled';
    } else if (isCancellation(err)) {
      error = `deadline of ${spec.deadlineMinutes} platform minutes exceeded`;
    } else {
      const type = failureTypeOf(err);
      error = type ? `${type}: ${messageOf(err)}` : messageOf(err);
    }
  }

  const { cleanupErrors, leaked, billing, endedAt } = await CancellationScope.nonCancellable(async () => {
    const cleanupErrors = await saga.compensate();
    const left = await steps.listByLabel({ labelPrefix: prefix });
    const billing = await steps.chargesForLabel({ labelPrefix: prefix });
    return {
      cleanupErrors,
      leaked: [...left.dumont.map((l) => `dumont ${l}`), ...left.vast.map((l) => `vast ${l}`), ...left.volumes],
      billing,
      endedAt: await steps.now(),
    };
  });
  checks.push({
    name: 'cleanup: nothing labelled for this scenario remains at Dumont or VAST',
    ok: leaked.length === 0 && cleanupErrors.length === 0,
    detail: [...leaked, ...cleanupErrors].join('; '),
  });

  const passed = !error && checks.every((c) => c.ok);
  const result: ScenarioResult = {
    id: spec.id,
    slug: spec.slug,
    title: spec.title,
    category: spec.category,
    status: passed ? 'passed' : 'failed',
    durationMs: endedAt - startedAt,
    gpuSeconds: Math.round(billing.gpuSeconds * 10) / 10,
    costUsd: Math.round(billing.costUsd * 1e6) / 1e6,
    checks,
    metrics,
    ...(error ? { error } : {}),
    ...(cleanupErrors.length ? { cleanupErrors } : {}),
    ...(leaked.length ? { leaked } : {}),
    workflowId: info.workflowId,
  };
  upsertSearchAttributes([{ key: E2E_OUTCOME, value: cancelled ? 'cancelled' : result.status }]);
  if (cancelled) throw cancelled;
  if (!passed) {
    const failed = checks.find((c) => !c.ok);
    throw ApplicationFailure.nonRetryable(
      `${spec.slug} failed: ${error ?? `${failed?.name}${failed?.detail ? ` (${failed.detail})` : ''}`}`,
      'ScenarioFailed',
      result
    );
  }
  return result;
}
