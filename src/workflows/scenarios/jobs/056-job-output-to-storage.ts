import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, logsOf, recordJobMetrics, submitJob } from './helpers';

/** Files the job writes under its output path (random contents), path → bytes. */
const OUTPUTS: Record<string, number> = {
  'model/weights.bin': 300_000,
  'model/config.json': 2_000,
  'metrics/eval.csv': 10_000,
};

/** 56 — The files a job writes under its output path reach the user's bucket intact (MD5s read back with S3). */
export const jobOutputToStorageScenario = defineScenario(56, 'job-output-to-storage', async (ctx) => {
  const writes = Object.entries(OUTPUTS)
    .map(([p, n]) => `mkdir -p "$(dirname output/${p})" && head -c ${n} /dev/urandom > output/${p}`)
    .join(' && ');
  const command = `${writes} && cd output && find . -type f | LC_ALL=C sort | xargs md5sum | sed 's/^/md5 /'`;
  const submitted = await submitJob(ctx, 'job', { command, output_paths: ['/workspace/output'] });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  // What the job itself computed on the instance: path → MD5.
  const written = new Map<string, string>();
  for (const line of (await logsOf(ctx, job)).split('\n')) {
    const m = /^md5 ([0-9a-f]{32})\s+\.\/(.+)$/.exec(line.trim());
    if (m) written.set(m[2], m[1]);
  }
  const stored = await ctx.steps.bucketDigests({ prefix: `${job.name}/` });
  const problems = Object.keys(OUTPUTS).flatMap((p) => {
    const obj = stored.find((o) => o.key.endsWith(`/output/${p}`));
    if (!written.has(p)) return [`${p}: not reported by the job`];
    if (!obj) return [`${p}: not in the bucket`];
    return obj.md5 === written.get(p) ? [] : [`${p}: MD5 ${obj.md5} in the bucket, ${written.get(p)} on the instance`];
  });
  ctx.check(
    'outputs-in-bucket',
    "every output file is in the bucket under the job's name with the MD5 the job computed",
    problems.length === 0,
    stored.length === 0
      ? `platform lacks job outputs to storage: nothing in the bucket under ${job.name}/`
      : problems.length
        ? problems.join('; ')
        : `${Object.keys(OUTPUTS).length} file(s), ${stored.reduce((n, o) => n + o.size, 0)} B`
  );
  recordJobMetrics(ctx, job);
});
