/**
 * Workflow interceptors, bundled with the workflows (`WORKFLOW_INTERCEPTOR_MODULES` in src/workflow-bundle.ts).
 *
 * Activities that succeeded after retrying platform errors in place return their value wrapped with those retries
 * (`retry-envelope.ts`), so the retries are in the history's ActivityTaskCompleted event. This interceptor unwraps
 * the result before any workflow code sees it, and tallies the retries for the scenario's result. Unwrapping is
 * pure: it emits no command, and a history recorded before envelopes existed replays unchanged (tests/replay).
 */
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { retriesOf, unwrapRetried } from './retry-envelope';
import { noteRetriesSeen } from './retries-seen';

function unwrapFor(activityType: string): (result: unknown) => unknown {
  return (result) => {
    const retries = retriesOf(result);
    if (!retries) return result;
    noteRetriesSeen(activityType, retries);
    return unwrapRetried(result);
  };
}

const outbound: WorkflowOutboundCallsInterceptor = {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return next(input).then(unwrapFor(input.activityType));
  },
  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>
  ) {
    return next(input).then(unwrapFor(input.activityType));
  },
};

/** The factory the SDK calls once per workflow. */
export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [outbound] });
