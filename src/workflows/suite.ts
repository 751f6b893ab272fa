import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ChildWorkflowCancellationType,
  condition,
  defineQuery,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { selectScenarios, SelectionError } from '../catalog/selection';
import { scenarioKey, type ScenarioSpec } from '../catalog/types';
import { suitePrefix } from '../labels';
import { boundedDestroy } from './kit/cleanup';
import type { DestroyReport } from '../activities/cleanup';
import { failureDetailsOf, failureTypeOf, messageOf } from './kit/saga';
import {
  activityTaskQueue,
  E2E_CATEGORY,
  E2E_OUTCOME,
  E2E_SCENARIO,
  E2E_SUITE_ID,
  E2E_TARGET,
} from './search-attributes';
import { stepsFor } from './kit/steps';
import { longestFirst, optDurationHints } from './suite-order';
import type { FinalSweep, ScenarioResult, SuiteInput, SuiteProgress, SuiteResult } from './types';
import {
  asObject,
  invalid,
  optBoolean,
  knownKeysOnly,
  optNumber,
  optString,
  optTarget,
  optTimeScale,
  optUsdByScenario,
  SUITE_INPUT_KEYS,
} from './validate';
import { budgetGate } from './suite-admission';
import { reportUrlFor, scenarioDetails } from './suite-details';

export const progressQuery = defineQuery<SuiteProgress>('progress');

function placeholder(
  spec: ScenarioSpec,
  status: ScenarioResult['status'],
  workflowId: string,
  error?: string
): ScenarioResult {
  return {
    id: spec.id,
    slug: spec.slug,
    title: spec.title,
    category: spec.category,
    status,
    durationMs: 0,
    gpuSeconds: 0,
    costUsd: 0,
    checks: [],
    workflowId,
    ...(error ? { error } : {}),
  };
}

/** A child's outcome: its result, or the result carried in its ScenarioFailed failure, or a synthesized one. */
function outcomeOf(spec: ScenarioSpec, workflowId: string, err: unknown): ScenarioResult {
  let e = err as { type?: string; details?: unknown[]; cause?: unknown } | undefined;
  while (e) {
    if (e.type === 'ScenarioFailed' && Array.isArray(e.details) && e.details[0]) return e.details[0] as ScenarioResult;
    e = e.cause as typeof e;
  }
  const type = failureTypeOf(err);
  return placeholder(
    spec,
    'failed',
    workflowId,
    isCancellation(err) ? 'cancelled' : `${type ? `${type}: ` : ''}${messageOf(err)}`
  );
}

/**
 * Runs the selected scenarios as child workflows `<suiteId>/s<NNN>-<slug>`, at most `maxParallel` at once,
 * then audits the platform for anything still carrying the suite's label prefix. Scenarios not implemented yet
 * are reported as `not-implemented`, never as passed. Cancelling the suite cancels the children, whose
 * compensations run before they close (REQUEST_CANCEL parent-close policy; children are awaited).
 */
export async function SuiteWorkflow(rawInput?: SuiteInput): Promise<SuiteResult> {
  const input = asObject(rawInput, 'input');
  knownKeysOnly(input, SUITE_INPUT_KEYS);
  const target = optTarget(input);
  const timeScale = optTimeScale(input, target);
  const select = optString(input, 'select', 2000) ?? 'all';
  const maxParallel = optNumber(input, 'maxParallel', 1, 100) ?? 4;
  if (!Number.isInteger(maxParallel)) throw invalid('maxParallel', maxParallel, 'an integer in [1, 100]');
  const budgetUsd = optNumber(input, 'budgetUsd', 0, 1e6);
  const runWhatFits = optBoolean(input, 'runWhatFits') ?? false;
  const estimatesUsd = optUsdByScenario(input, 'estimatesUsd');
  const reportUrl = optString(input, 'reportUrl', 2000);
  const durationHints = optDurationHints(input);
  let selected: ScenarioSpec[];
  try {
    selected = selectScenarios(select);
  } catch (err) {
    if (err instanceof SelectionError) {
      const shown = JSON.stringify(select.length > 60 ? `${select.slice(0, 60)}…` : select);
      throw ApplicationFailure.nonRetryable(`invalid input: select = ${shown}: ${err.message}`, 'ValidationError');
    }
    throw err;
  }

  const suiteId = workflowInfo().workflowId;
  const steps = stepsFor(target, timeScale);
  const results = new Map<number, ScenarioResult>();
  const running = new Set<string>();
  setHandler(progressQuery, () => ({
    suiteId,
    total: selected.length,
    done: results.size,
    running: [...running],
    results: selected.flatMap((s) => (results.has(s.id) ? [results.get(s.id)!] : [])),
  }));
  upsertSearchAttributes([
    { key: E2E_SUITE_ID, value: suiteId },
    { key: E2E_TARGET, value: target },
  ]);

  const startedAt = await steps.now();
  let spent = 0;
  const gate =
    budgetUsd === undefined
      ? undefined
      : budgetGate({
          suiteId,
          budgetUsd,
          runWhatFits,
          estimatesUsd,
          selected,
          steps,
          running: () => running,
          spent: () => spent,
        });
  let cancelled: unknown;
  const inFlight: Promise<void>[] = [];
  // Longest first, so the short ones fill the slots beside the long ones (see suite-order.ts); it reorders the children.
  const order = patched('suite-longest-first') ? longestFirst(selected, durationHints) : selected;
  try {
    for (const spec of order) {
      const childId = `${suiteId}/${scenarioKey(spec)}`;
      if (!spec.workflowType) {
        results.set(spec.id, placeholder(spec, 'not-implemented', childId, 'scenario not implemented yet'));
        continue;
      }
      await condition(() => running.size < maxParallel);
      const overBudget = await gate?.admit(spec);
      if (overBudget) {
        results.set(spec.id, placeholder(spec, 'skipped', childId, overBudget));
        continue;
      }
      running.add(childId);
      const child = await startChild(spec.workflowType, {
        workflowId: childId,
        args: [{ suiteId, target, timeScale }],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
        staticSummary: `#${spec.id} ${spec.title}`,
        staticDetails: scenarioDetails(spec, reportUrlFor(reportUrl, suiteId)),
        typedSearchAttributes: [
          { key: E2E_SUITE_ID, value: suiteId },
          { key: E2E_SCENARIO, value: spec.slug },
          { key: E2E_CATEGORY, value: spec.category },
          { key: E2E_TARGET, value: target },
        ],
      });
      inFlight.push(
        child
          .result()
          .then(
            (r) => void results.set(spec.id, r),
            (err) => void results.set(spec.id, outcomeOf(spec, childId, err))
          )
          .finally(() => {
            running.delete(childId);
            spent += results.get(spec.id)?.costUsd ?? 0;
          })
      );
    }
    await Promise.all(inFlight);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancelled = err;
  }
  // Children swallow the cancel into their results, so the loop can end normally although we were cancelled.
  if (!cancelled && CancellationScope.current().consideredCancelled)
    cancelled = new CancelledFailure('suite cancelled');

  return CancellationScope.nonCancellable(async () => {
    // Children got the cancel request with ours; wait until each finished its cleanup.
    await Promise.allSettled(inFlight);
    for (const spec of selected) {
      if (!results.has(spec.id))
        results.set(spec.id, placeholder(spec, 'skipped', `${suiteId}/${scenarioKey(spec)}`, 'suite cancelled'));
    }
    // One more sweep of everything the suite's label prefix covers: leftovers of scenarios whose own cleanup gave
    // up, and the suite's SSH key. Bounded like every destroy; what survives it is reported as leaked.
    const finalSweep: FinalSweep = { destroyed: [], warnings: [] };
    try {
      const swept = await boundedDestroy(steps, { labelPrefix: suitePrefix(suiteId), timeScale });
      finalSweep.destroyed = swept.destroyed;
      finalSweep.warnings = swept.warnings;
    } catch (err) {
      finalSweep.error = messageOf(err);
      const partial = failureDetailsOf<DestroyReport>(err, 'CleanupIncomplete');
      finalSweep.destroyed = partial?.destroyed ?? [];
      finalSweep.warnings = partial?.warnings ?? [];
    }
    const left = await steps.listByLabel({ labelPrefix: suitePrefix(suiteId) });
    for (const w of left.warnings) if (!finalSweep.warnings.includes(w)) finalSweep.warnings.push(w);
    const endedAt = await steps.now();
    const result: SuiteResult = {
      suiteId,
      target,
      select,
      timeScale,
      scenarios: selected.map((s) => results.get(s.id)!),
      leaked: left.lines,
      finalSweep,
      wallMs: endedAt - startedAt,
      ...(gate?.outcome() ? { budget: gate.outcome() } : {}),
    };
    const failed = result.scenarios.some((s) => s.status === 'failed') || result.leaked.length > 0;
    upsertSearchAttributes([{ key: E2E_OUTCOME, value: cancelled ? 'cancelled' : failed ? 'failed' : 'passed' }]);
    // The suite writes its own reports (and tells the webhook about a failing scheduled run), so a run with no CLI
    // attached has them too. One activity more at the end: patched for histories recorded before it.
    if (patched('suite-writes-reports')) await writeReports(result, !!cancelled, budgetUsd);
    if (cancelled) throw cancelled;
    return result;
  });
}

/**
 * The suite's report step: best effort (a full disk or an unreachable bucket must not turn a passed suite red), a
 * few attempts, no heartbeat (rendering is quick; reading the scenarios' histories takes seconds).
 */
async function writeReports(result: SuiteResult, cancelled: boolean, budgetUsd: number | undefined): Promise<void> {
  const { writeSuiteReports } = proxyActivities<Activities>({
    taskQueue: activityTaskQueue(result.target, workflowInfo().taskQueue),
    startToCloseTimeout: '5m',
    retry: { initialInterval: '1s', maximumAttempts: 3 },
  });
  const scheduled = !!workflowInfo().searchAttributes?.TemporalScheduledById;
  try {
    await writeSuiteReports({
      result,
      state: cancelled ? 'cancelled' : 'completed',
      scheduled,
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    });
  } catch {
    // the reports can be rebuilt at any time with `dumont-e2e report --suite <id>`
  }
}
