import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, logsOf, recordJobMetrics, submitJob } from './helpers';

/** The package the job asks for (the simulator's offline index serves it; a real one needs it on PyPI's mirror). */
const PACKAGE = 'dumont-e2e-probe';
const VERSION = '1.4.2';

/** 60 — A job's pip packages are installed before its command runs, and the command imports and uses them. */
export const jobDependenciesScenario = defineScenario(60, 'job-dependencies', async (ctx) => {
  const command = `python -c "import dumont_e2e_probe as p; print('probe', p.__version__, p.fingerprint('dumont-e2e'))"`;
  const submitted = await submitJob(ctx, 'job', { command, pip_packages: [`${PACKAGE}==${VERSION}`] });
  const job = await awaitJob(ctx, submitted, 'finished', 1500);
  checkCompleted(ctx, job);
  const logs = await logsOf(ctx, job);
  const line = logs.split('\n').find((l) => l.startsWith('probe '));
  ctx.check(
    'package-imported',
    `the command imported ${PACKAGE} ${VERSION} and ran its code`,
    line !== undefined && new RegExp(`^probe ${VERSION.replace(/\./g, '\\.')} [0-9a-f]{64}$`).test(line.trim()),
    line ??
      (
        logs
          .split('\n')
          .filter((l) => l.trim())
          .pop() ?? 'no output'
      ).slice(0, 200)
  );
  recordJobMetrics(ctx, job);
});
