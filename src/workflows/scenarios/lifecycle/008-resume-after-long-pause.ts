import {
  ANY_GPU,
  boot,
  checkGpus,
  defineScenario,
  destroyAndVerify,
  must,
  pauseAndVerify,
  spannedRestart,
  timeToRunning,
  unwatched,
  type ScenarioContext,
} from '../../kit';
import { patched } from '@temporalio/workflow';
import type { InstanceRef } from '../../../activities/instances';

/** The seed's limit: a resumed instance answers SSH within 300 platform seconds (Dumont budgets 5 minutes). */
const COLD_START_LIMIT_SECONDS = 300;
/** How long to keep waiting past the limit, so a slow cold start is measured rather than only called late. */
const COLD_START_WAIT_SECONDS = 2 * COLD_START_LIMIT_SECONDS;

/** 8 — Resume after 5 minutes paused; measure the cold start and compare it with the limit. */
export const resumeAfterLongPauseScenario = defineScenario(8, 'resume-after-long-pause', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  must(await pauseAndVerify(ctx, inst), 'pause failed');
  let cold = await coldStart(ctx, inst);
  // A cold start over the limit timed across a worker restart (no worker watched part of it), or by a worker that
  // started after this scenario did (a restart: it was replaying every open workflow and retrying every activity in
  // flight while it measured), says nothing about the platform. Pause and measure once more, watched throughout
  // (tests/stack/worker-resume.test.ts saw 1194 s and 1144 s). A worker older than the scenario never measures twice.
  const restarted = spannedRestart(cold) !== undefined;
  if (
    cold.seconds !== undefined &&
    cold.seconds > COLD_START_LIMIT_SECONDS &&
    restarted &&
    patched('s008-measure-again-after-outage')
  ) {
    ctx.warn(
      `the cold start was timed across a worker restart (${Math.round(cold.seconds)} s` +
        (cold.blindMs ? `, ${unwatched(ctx, cold.blindMs)}` : '') +
        `): paused and measured again`
    );
    must(await pauseAndVerify(ctx, inst, 'paused-again'), 'pause failed');
    cold = await coldStart(ctx, inst);
  }
  const { seconds, note } = cold;
  if (seconds !== undefined) ctx.metric('coldStartSeconds', seconds);
  const ok = ctx.limit({
    id: 'cold-start',
    what: 'cold start',
    measured: seconds,
    op: '<=',
    limit: COLD_START_LIMIT_SECONDS,
    unit: 's',
    ...(note ? { note: `not reachable within ${COLD_START_WAIT_SECONDS}s: ${note}` } : {}),
  });
  // A slow start still ends in a usable instance worth checking; one that never came up does not.
  must(ok || seconds !== undefined, 'cold start');
  await checkGpus(ctx, inst, inst.gpuName, inst.numGpus);
  await destroyAndVerify(ctx, inst);
});

/** Five minutes paused, then resumed: the platform seconds until SSH answers (window fixed before the resume). */
async function coldStart(ctx: ScenarioContext, inst: InstanceRef) {
  await ctx.sleep(5 * 60);
  const window = await ctx.window(COLD_START_WAIT_SECONDS);
  await ctx.steps.resumeInstance(inst.instanceId);
  return timeToRunning(ctx, inst, window);
}
