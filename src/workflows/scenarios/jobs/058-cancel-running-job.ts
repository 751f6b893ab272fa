import { defineScenario } from '../../kit';
import { awaitJob, checkInstanceGone, logsOf, recordJobMetrics, sleepArg, submitJob } from './helpers';

/** Platform seconds the job runs before the cancel (the seed: 30 s), and how long the scenario then watches. */
const RUN_BEFORE_CANCEL = 30;
const WATCH_SECONDS = 30;

const ticks = (logs: string): number => logs.split('\n').filter((l) => l.startsWith('tick ')).length;

/** 58 — A long job cancelled after 30 s is cancelled: its processes stop, its bill stops and its instance is gone. */
export const cancelRunningJobScenario = defineScenario(58, 'cancel-running-job', async (ctx) => {
  const command = `for i in $(seq 1 10000); do echo "tick $i"; sleep ${sleepArg(ctx, 5)}; done`;
  const submitted = await submitJob(ctx, 'job', { command });
  await awaitJob(ctx, submitted, 'started', 900);
  await ctx.sleep(RUN_BEFORE_CANCEL);
  const cancelled = await ctx.steps.cancelJob({ id: submitted.id });
  ctx.check(
    'job-cancelled',
    'the platform marked the job cancelled',
    cancelled.status === 'cancelled',
    cancelled.status
  );
  const gone = await checkInstanceGone(ctx, cancelled, 'instance-gone', "the cancelled job's instance was destroyed");
  const logsAtCancel = await logsOf(ctx, cancelled);
  await ctx.sleep(WATCH_SECONDS);
  const later = await ctx.steps.getJob({ id: submitted.id });
  const logsLater = await logsOf(ctx, later);
  ctx.check(
    'processes-stopped',
    "the job's command printed nothing after the cancel",
    ticks(logsAtCancel) > 0 && ticks(logsLater) === ticks(logsAtCancel),
    ticks(logsAtCancel) === 0
      ? 'no output at the cancel: platform lacks live logs, so the processes cannot be watched'
      : `${ticks(logsAtCancel)} tick(s) at the cancel, ${ticks(logsLater)} ${WATCH_SECONDS} s later`
  );
  ctx.check(
    'billing-stopped',
    "the job's cost did not grow after the cancel",
    gone && later.totalCost === cancelled.totalCost,
    `$${cancelled.totalCost} at the cancel, $${later.totalCost} ${WATCH_SECONDS} s later${gone ? '' : '; the instance still bills'}`
  );
  recordJobMetrics(ctx, later);
});
