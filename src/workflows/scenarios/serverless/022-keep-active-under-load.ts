import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable, idleUntilPaused, outlastGrace } from './helpers';

const THRESHOLD_SECONDS = 30;

/** 22 — A GPU under load is never auto-paused, for three times the idle threshold; once the load stops, it is. */
export const keepActiveUnderLoadScenario = defineScenario(22, 'keep-active-under-load', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await outlastGrace(ctx);
  // The load starts before auto-pause is enabled, so no idle moment precedes it, and runs until it is stopped here
  // (a real process: its own clock is real time, so it is stopped explicitly rather than timed).
  const started = await ctx.run(
    inst,
    'nohup gpu-stress 3600 100 > stress.log 2>&1 &\necho $! > stress.pid\necho started'
  );
  must(
    ctx.check(
      'stress-started',
      'a GPU stress process started',
      started.stdout.includes('started'),
      started.stderr.trim()
    ),
    'no stress'
  );
  const util = await ctx.probe(
    inst,
    'nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits | head -n 1'
  );
  ctx.check(
    'gpu-busy',
    'nvidia-smi reports the GPU busy',
    Number(util.stdout.trim()) >= 90,
    `utilization ${util.stdout.trim()}%`
  );
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: THRESHOLD_SECONDS, gpu_threshold: 5 });
  const watchSeconds = 3 * THRESHOLD_SECONDS;
  const during = await ctx.steps.waitForServerlessPaused({
    instanceId: inst.instanceId,
    paused: true,
    ...(await ctx.window(watchSeconds)),
  });
  must(
    ctx.check(
      'not-paused-under-load',
      `not auto-paused while the GPU is busy (watched ${watchSeconds}s, threshold ${THRESHOLD_SECONDS}s)`,
      !during.reached,
      during.reached ? `paused after ${Math.round(during.platformSeconds)}s of load` : 'still running'
    ),
    'paused under load'
  );
  // By its pid, not by name: on the simulator every instance's processes share one host, and a pkill by name would
  // stop other scenarios' stress too (it broke 89's work once).
  const stopped = await ctx.run(inst, 'kill "$(cat stress.pid)" ; echo stopped');
  const after = await idleUntilPaused(ctx, inst, 4 * THRESHOLD_SECONDS);
  // Once the load stops, the platform may pause the instance within the threshold: sooner than the command's output
  // can be collected after a dropped session. Its effect then speaks for it: the platform saw the GPU idle and paused.
  const unseenButIdle = stopped.outcome === 'unknown' && after.seconds !== undefined;
  ctx.check(
    'stress-stopped',
    'the stress process stopped',
    stopped.stdout.includes('stopped') || unseenButIdle,
    unseenButIdle
      ? `output not seen (${stopped.stderr.trim()}); the platform then saw the GPU idle`
      : stopped.stderr.trim()
  );
  ctx.check(
    'paused-after-load',
    'auto-paused once the load stopped',
    after.seconds !== undefined,
    after.seconds ? `after ${Math.round(after.seconds)}s idle` : 'no pause'
  );
  await destroyAndVerify(ctx, inst);
});
