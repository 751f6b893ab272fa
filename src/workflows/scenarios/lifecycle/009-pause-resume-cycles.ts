import { ANY_GPU, boot, defineScenario, destroyAndVerify, must, pauseAndVerify, resumeAndVerify } from '../../kit';

/** 9 — Three pause/resume cycles: each one stops, comes back, keeps data and GPU. */
export const pauseResumeCyclesScenario = defineScenario(9, 'pause-resume-cycles', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const marker = await ctx.run(inst, 'echo stable > marker.txt');
  must(ctx.check('marker-written', 'wrote a marker file', marker.code === 0, marker.stderr.trim()), 'write failed');
  for (let cycle = 1; cycle <= 3; cycle++) {
    must(
      await pauseAndVerify(ctx, inst, `cycle-${cycle}-paused`, `cycle ${cycle}: platform reports stopped`),
      `cycle ${cycle} pause`
    );
    const up = await resumeAndVerify(
      ctx,
      inst,
      `cycle-${cycle}-resumed`,
      `cycle ${cycle}: running and reachable over SSH`
    );
    ctx.metric(`cycle${cycle}ColdStartSeconds`, up.platformSeconds);
    const probe = await ctx.probe(inst, 'cat marker.txt && nvidia-smi -L | wc -l');
    const [text, gpus] = probe.stdout.trim().split('\n');
    ctx.check(
      `cycle-${cycle}-intact`,
      `cycle ${cycle}: data and GPUs intact`,
      text === 'stable' && Number(gpus) === inst.numGpus,
      `marker=${text ?? ''} gpus=${gpus ?? ''}`
    );
  }
  await destroyAndVerify(ctx, inst);
});
