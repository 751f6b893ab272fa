import type { InstanceRef } from '../../activities/instances';
import type { DumontOfferQuery } from '../../platform/types';
import type { ScenarioContext } from '../scenario-runner';

/** The workhorse instance for scenarios that need "a GPU", not a particular one. */
export const ANY_GPU: DumontOfferQuery = { gpu_name: 'RTX 3090', num_gpus: 1 };

/** Platform seconds allowed for a destroyed instance to leave every list. */
export const DESTROY_BUDGET_SECONDS = 120;

/** Destroys through Dumont as a user would, then checks both lists no longer show the instance. */
export async function destroyAndVerify(ctx: ScenarioContext, inst: InstanceRef, what = 'instance'): Promise<boolean> {
  await ctx.steps.destroyInstance(inst.instanceId);
  const gone = await ctx.steps.waitUntilGone({
    instanceId: inst.instanceId,
    timeoutSeconds: DESTROY_BUDGET_SECONDS,
    timeScale: ctx.timeScale,
  });
  return ctx.check(
    `destroyed ${what} ${inst.instanceId} is gone from the Dumont and VAST lists within ${DESTROY_BUDGET_SECONDS}s`,
    gone.gone,
    gone.gone ? `gone after ${Math.round(gone.platformSeconds)}s` : `still listed at ${gone.seenAt.join(' and ')}`
  );
}

/** Runs `nvidia-smi -L` and returns the GPU model lines. */
export async function listGpus(ctx: ScenarioContext, inst: InstanceRef): Promise<string[]> {
  const res = await ctx.ssh(inst, 'nvidia-smi -L');
  return res.code === 0 ? res.stdout.split('\n').filter((l) => /^GPU \d+:/.test(l)) : [];
}

/** Checks the GPUs visible inside the instance match what was rented (model and count). */
export async function checkGpus(
  ctx: ScenarioContext,
  inst: InstanceRef,
  model: string,
  count: number
): Promise<boolean> {
  const gpus = await listGpus(ctx, inst);
  return ctx.check(
    `nvidia-smi over SSH shows ${count}x ${model}`,
    gpus.length === count && gpus.every((g) => g.includes(model)),
    gpus.join(' | ') || 'no GPU listed'
  );
}

/** Pauses, then waits for the platform to report it stopped; records the check. */
export async function pauseAndVerify(
  ctx: ScenarioContext,
  inst: InstanceRef,
  name = 'pause: platform reports stopped'
): Promise<boolean> {
  await ctx.steps.pauseInstance(inst.instanceId);
  return ctx.waitStopped(inst, name);
}

/** Resumes and waits for running + SSH; records the measured cold start. */
export async function resumeAndVerify(ctx: ScenarioContext, inst: InstanceRef, name: string, timeoutSeconds = 300) {
  await ctx.steps.resumeInstance(inst.instanceId);
  const up = await ctx.waitRunning(inst, name, timeoutSeconds);
  ctx.check(name, true, `SSH after ${Math.round(up!.platformSeconds)}s`);
  return up!;
}

/** What VAST billed the instance during `platformSeconds` of waiting (a durable timer between two readings). */
export async function chargedDuring(ctx: ScenarioContext, inst: InstanceRef, platformSeconds: number) {
  const before = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  await ctx.sleep(platformSeconds);
  const after = await ctx.steps.chargesForInstance({ instanceId: inst.instanceId });
  return {
    gpuSeconds: after.gpuSeconds - before.gpuSeconds,
    costUsd: after.costUsd - before.costUsd,
    storageGbSeconds: after.storageGbSeconds - before.storageGbSeconds,
    gpuSecondsReported: after.gpuSecondsReported,
  };
}

/** Two-letter tokens of a free-text geolocation ("Frankfurt, DE" → ["DE"]). */
export function countryCodes(geolocation: string): string[] {
  return geolocation
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter((t) => /^[A-Z]{2}$/.test(t));
}

export const EU_COUNTRIES = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'NO',
  'CH',
  'GB',
  'IS',
]);

export function inEurope(geolocation: string): boolean {
  return countryCodes(geolocation).some((c) => EU_COUNTRIES.has(c));
}
