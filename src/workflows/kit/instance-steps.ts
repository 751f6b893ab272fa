/**
 * The steps most scenarios share: boot an instance, check its GPUs over SSH, pause, resume, destroy and verify it
 * is gone, and read what it was billed. Each records its check under a stable id the caller may override.
 */
import { isCancellation, patched } from '@temporalio/workflow';
import type { CreateInstanceInput, InstanceRef, WaitRunningResult } from '../../activities/instances';
import type { WaitWindow } from '../../activities/polling';
import type { DumontOfferQuery } from '../../platform/types';
import type { ScenarioContext } from './context';
import { isGpuModel } from './gpu-names';
import { messageOf } from './saga';

/** The workhorse instance for scenarios that need "a GPU", not a particular one. */
export const ANY_GPU: DumontOfferQuery = { gpu_name: 'RTX 3090', num_gpus: 1 };

/** Platform seconds allowed for a destroyed instance to leave every list. */
export const DESTROY_BUDGET_SECONDS = 120;

/** Platform seconds a fresh instance may take to answer SSH (image pull included) before the scenario gives up. */
export const BOOT_BUDGET_SECONDS = 900;

/** Rents an instance for `step` and waits until it answers SSH; check `<step>-running`, metric `<step>BootSeconds`. */
export async function boot(
  ctx: ScenarioContext,
  step: string,
  opts: Omit<CreateInstanceInput, 'suiteId' | 'label'>
): Promise<InstanceRef> {
  // The window opens once the platform accepted the create (a real Dumont answers only after minutes of its own
  // setup, one create at a time): boot time counts from there, and retries of the wait cannot extend it. Runs
  // recorded before this change opened it before the create (docs/versioning.md).
  let window: WaitWindow | undefined;
  if (!patched('kit-boot-window-after-create')) window = await ctx.window(BOOT_BUDGET_SECONDS);
  const inst = await ctx.rent(step, opts);
  window ??= await ctx.window(BOOT_BUDGET_SECONDS);
  const name = `${step}: instance running and reachable over SSH`;
  const up = await ctx.waitRunning(inst, { check: `${step}-running`, name, window });
  ctx.check(`${step}-running`, name, true, `after ${Math.round(up.platformSeconds)}s`);
  ctx.metric(`${step}BootSeconds`, up.platformSeconds);
  return inst;
}

/** Destroys through Dumont as a user would, then checks both lists no longer show the instance (check `check`). */
export async function destroyAndVerify(
  ctx: ScenarioContext,
  inst: InstanceRef,
  opts: { check?: string; what?: string } = {}
): Promise<boolean> {
  const what = opts.what ?? 'instance';
  const check = opts.check ?? 'destroyed';
  const name = `destroyed ${what} is gone from the Dumont and VAST lists within ${DESTROY_BUDGET_SECONDS}s`;
  try {
    await ctx.steps.destroyInstance(inst.instanceId);
  } catch (err) {
    if (isCancellation(err)) throw err;
    return ctx.check(check, name, false, `Dumont's destroy of ${inst.instanceId} failed: ${messageOf(err)}`);
  }
  const gone = await ctx.steps.waitUntilGone({
    instanceId: inst.instanceId,
    ...(await ctx.window(DESTROY_BUDGET_SECONDS)),
  });
  return ctx.check(
    check,
    name,
    gone.gone,
    gone.gone
      ? `${inst.instanceId} gone after ${Math.round(gone.platformSeconds)}s`
      : `${inst.instanceId} still listed at ${gone.seenAt.join(' and ')}`
  );
}

/** Runs `nvidia-smi -L` and returns the GPU model lines. */
export async function listGpus(ctx: ScenarioContext, inst: InstanceRef): Promise<string[]> {
  const res = await ctx.probe(inst, 'nvidia-smi -L');
  return res.code === 0 ? res.stdout.split('\n').filter((l) => /^GPU \d+:/.test(l)) : [];
}

/** Checks the GPUs visible inside the instance match what was rented, model and count (check `gpus-visible`). */
export async function checkGpus(
  ctx: ScenarioContext,
  inst: InstanceRef,
  model: string,
  count: number,
  check = 'gpus-visible'
): Promise<boolean> {
  const gpus = await listGpus(ctx, inst);
  return ctx.check(
    check,
    `nvidia-smi over SSH shows ${count}x ${model}`,
    gpus.length === count && gpus.every((g) => isGpuModel(model, g)),
    gpus.join(' | ') || 'no GPU listed'
  );
}

/** Pauses, then waits for the platform to report it stopped (check `check`, default `paused`). */
export async function pauseAndVerify(
  ctx: ScenarioContext,
  inst: InstanceRef,
  check = 'paused',
  name = 'pause: platform reports stopped'
): Promise<boolean> {
  await ctx.steps.pauseInstance(inst.instanceId);
  return ctx.waitStopped(inst, check, name);
}

/**
 * Resumes and waits for running + SSH, measuring from the resume call (the window is fixed before it, so retries
 * do not restart the clock). Records check `check` as passed with the time; a failure ends the body.
 */
export async function resumeAndVerify(
  ctx: ScenarioContext,
  inst: InstanceRef,
  check: string,
  name: string,
  budgetSeconds = 300
): Promise<WaitRunningResult> {
  const window = await ctx.window(budgetSeconds);
  await ctx.steps.resumeInstance(inst.instanceId);
  const up = await ctx.waitRunning(inst, { check, name, window });
  ctx.check(check, name, true, `SSH after ${Math.round(up.platformSeconds)}s`);
  return up;
}

/**
 * What VAST billed the instance during `platformSeconds` of waiting (a durable timer between two readings); `why`
 * names the wait in the Web UI (`paused 60 platform s`). @default `instance <id> billed over`
 */
export async function chargedDuring(
  ctx: ScenarioContext,
  inst: InstanceRef,
  platformSeconds: number,
  why = `instance ${inst.instanceId} billed over`
) {
  const before = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  await ctx.sleep(platformSeconds, why);
  const after = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  return {
    gpuSeconds: after.gpuSeconds - before.gpuSeconds,
    costUsd: after.costUsd - before.costUsd,
    storageGbSeconds: after.storageGbSeconds - before.storageGbSeconds,
    gpuSecondsReported: after.gpuSecondsReported,
  };
}

/**
 * Measures how long `inst` takes to answer SSH within `window` (fixed before the action being timed), without
 * failing: a limit check then compares the value with the seed's limit, and says why when nothing was measured.
 */
export async function timeToRunning(
  ctx: ScenarioContext,
  inst: InstanceRef,
  window: WaitWindow
): Promise<{ seconds?: number; note?: string; blindMs?: number; workerStartedAtMs?: number }> {
  try {
    const up = await ctx.steps.waitForRunning({ instanceId: inst.instanceId, suiteId: ctx.suiteId, ...window });
    return {
      seconds: up.platformSeconds,
      ...(up.blindMs ? { blindMs: up.blindMs } : {}),
      ...(up.workerStartedAtMs ? { workerStartedAtMs: up.workerStartedAtMs } : {}),
    };
  } catch (err) {
    if (isCancellation(err)) throw err;
    return { note: messageOf(err) };
  }
}
