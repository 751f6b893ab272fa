import { ANY_GPU, boot, defineScenario, destroyAndVerify, must, pauseAndVerify } from '../../kit';

/** 12 — Destroy an instance while it is paused. */
export const destroyPausedScenario = defineScenario(12, 'destroy-paused', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  must(await pauseAndVerify(ctx, inst), 'pause failed');
  await destroyAndVerify(ctx, inst, { what: 'paused instance' });
});
