import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, logsOf, recordJobMetrics, submitJob } from './helpers';

/** Lines the job prints. */
const LINES = 200;

/** 59 — The logs of a job that prints numbered lines hold every line, in order. */
export const jobLogsScenario = defineScenario(59, 'job-logs', async (ctx) => {
  const command = `for i in $(seq 1 ${LINES}); do printf 'line %04d of ${LINES}\\n' "$i"; done`;
  const submitted = await submitJob(ctx, 'job', { command });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  const seen = (await logsOf(ctx, job))
    .split('\n')
    .flatMap((l) => ((m) => (m ? [Number(m[1])] : []))(/^line (\d+) of /.exec(l.trim())));
  const firstWrong = Array.from({ length: LINES }, (_, i) => i + 1).findIndex((n, i) => seen[i] !== n);
  ctx.check(
    'logs-complete',
    `the logs hold all ${LINES} printed lines, in order`,
    seen.length === LINES && firstWrong === -1,
    `${seen.length} line(s) in the logs${firstWrong >= 0 ? `; line ${firstWrong + 1} is ${seen[firstWrong] ?? 'missing'}` : ''}`
  );
  recordJobMetrics(ctx, job);
});
