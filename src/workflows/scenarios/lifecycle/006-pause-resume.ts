import {
  ANY_GPU,
  boot,
  chargedDuring,
  checkGpus,
  defineScenario,
  destroyAndVerify,
  pauseAndVerify,
  resumeAndVerify,
} from '../../kit';

/** 6 — Pause and resume: stopped while paused (and GPU billing stops), running again after resume. */
export const pauseResumeScenario = defineScenario(6, 'pause-resume', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  if (await pauseAndVerify(ctx, inst)) {
    // Storage keeps billing while paused; the GPU must not. Where the platform does not report GPU-seconds,
    // the cost must stay far below what 60 s of the GPU's hourly price would have cost.
    const paused = await chargedDuring(ctx, inst, 60, 'paused');
    const gpuCost = (inst.dphTotal * 60) / 3600;
    ctx.check(
      'no-gpu-billing-while-paused',
      'no GPU billing while paused',
      paused.gpuSecondsReported ? paused.gpuSeconds < 1 : paused.costUsd < 0.1 * gpuCost,
      paused.gpuSecondsReported
        ? `${Math.round(paused.gpuSeconds)} GPU-seconds billed during 60s paused`
        : `$${paused.costUsd.toFixed(6)} billed during 60s paused (GPU would cost $${gpuCost.toFixed(6)})`
    );
  }
  await resumeAndVerify(ctx, inst, 'resumed', 'resume: running and reachable over SSH');
  await checkGpus(ctx, inst, inst.gpuName, inst.numGpus);
  await destroyAndVerify(ctx, inst);
});
