import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { scenarioById } from '../../catalog';
import { runKeyLabel, scenarioPrefix } from '../../labels';
import { retriesSeen } from '../retries-seen';
import { E2E_CATEGORY, E2E_OUTCOME, E2E_SCENARIO, E2E_SUITE_ID, E2E_TARGET } from '../search-attributes';
import type { CheckOutcome, ScenarioResult } from '../types';
import {
  asObject,
  invalid,
  knownKeysOnly,
  optString,
  optTarget,
  optTimeScale,
  SCENARIO_INPUT_KEYS,
  STRICT_INPUT_PATCH,
  SUITE_ID_PATTERN,
} from '../validate';
import { CheckFailed } from './checks';
import { boundedDestroy } from './cleanup';
import { createContext, type ScenarioContext } from './context';
import { createSaga, failureTypeOf, messageOf } from './saga';
import { stepsFor } from './steps';
import { withDeadline } from './summaries';

export type ScenarioBody = (ctx: ScenarioContext) => Promise<void>;

/** Real milliseconds added to every scenario deadline: network and Temporal latency do not scale. */
const DEADLINE_SLACK_MS = 60_000;

/**
 * Runs one scenario the seed's way: create → act → verify → destroy everything → verify cleanup (every resource
 * kind, at the platform AND at VAST). The body runs under the scenario's deadline (a cancellation scope, never a
 * workflow timeout, so cleanup always runs); compensations run in a non-cancellable scope even when the run is
 * cancelled. A failed scenario fails its workflow (red in the Web UI) with the result as failure details.
 */
export async function runScenario(
  id: number,
  slug: string,
  rawInput: unknown,
  body: ScenarioBody
): Promise<ScenarioResult> {
  const spec = scenarioById(id);
  if (!spec || spec.slug !== slug) {
    throw ApplicationFailure.nonRetryable(
      `scenario file says #${id} '${slug}' but the catalog has ${spec ? `'${spec.slug}' as #${id}` : `no #${id}`}`,
      'ValidationError'
    );
  }
  const input = asObject(rawInput, 'input');
  knownKeysOnly(input, SCENARIO_INPUT_KEYS);
  const target = optTarget(input);
  const timeScale = optTimeScale(input, target);
  const info = workflowInfo();
  const suiteId = optString(input, 'suiteId') ?? info.workflowId;
  if (!SUITE_ID_PATTERN.test(suiteId) && patched(STRICT_INPUT_PATCH)) {
    throw invalid('suiteId', suiteId, 'a letter or digit, then up to 199 of A-Z a-z 0-9 . _ : -');
  }
  // A scenario started alone owns its suite's SSH key: nobody else will release it.
  const ownsSuite = !info.parent;
  const steps = stepsFor(target, timeScale);
  const saga = createSaga();
  const checks: CheckOutcome[] = [];
  const metrics: Record<string, number> = {};
  const warnings: string[] = [];
  const prefix = scenarioPrefix(suiteId, id);

  if (ownsSuite) {
    upsertSearchAttributes([
      { key: E2E_SUITE_ID, value: suiteId },
      { key: E2E_SCENARIO, value: spec.slug },
      { key: E2E_CATEGORY, value: spec.category },
      { key: E2E_TARGET, value: target },
    ]);
    // Registered first, so it runs last: after every instance the key reaches is gone.
    saga.add(`release ssh-key ${runKeyLabel(suiteId)}`, () =>
      boundedDestroy(steps, { labelPrefix: runKeyLabel(suiteId), kinds: ['ssh-key'], timeScale })
    );
  }
  const ctx = createContext({ spec, suiteId, target, timeScale, steps, saga, checks, metrics, warnings });

  const startedAt = await steps.now();
  let error: string | undefined;
  let cancelled: unknown;
  try {
    // withTimeout's commands, with a summary on the deadline's timer.
    await withDeadline(
      spec.deadlineMinutes * 60_000 * timeScale + DEADLINE_SLACK_MS,
      `deadline ${spec.deadlineMinutes} platform min`,
      () => body(ctx)
    );
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
    const keyLeft = ownsSuite
      ? await steps.listByLabel({ labelPrefix: runKeyLabel(suiteId), kinds: ['ssh-key'] })
      : { lines: [], warnings: [] };
    for (const w of [...left.warnings, ...keyLeft.warnings]) ctx.warn(w);
    const billing = await steps.chargesForLabel({ labelPrefix: prefix });
    return { cleanupErrors, leaked: [...left.lines, ...keyLeft.lines], billing, endedAt: await steps.now() };
  });
  checks.push({
    id: 'cleanup',
    name: 'cleanup: nothing labelled for this scenario remains, of any kind, at Dumont or VAST',
    ok: leaked.length === 0 && cleanupErrors.length === 0,
    detail: [...leaked.map((l) => `leaked: ${l}`), ...cleanupErrors, ...warnings.map((w) => `warning: ${w}`)].join(
      '; '
    ),
  });

  const passed = !error && checks.every((c) => c.ok);
  const retried = retriesSeen();
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
    ...(warnings.length ? { warnings } : {}),
    ...(retried.total ? { retriedInPlace: retried } : {}),
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
