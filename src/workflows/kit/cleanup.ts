import type { DestroyReport } from '../../activities/cleanup';
import type { Steps } from './steps';

/**
 * Platform seconds a destroy keeps trying before it fails loudly ("could not destroy …") and the resource counts as
 * leaked: ten minutes, twice what a slow real Dumont takes to destroy an instance, short enough that one undeletable
 * resource cannot hang a nightly run. The suite's final sweep and the reaper keep trying after it.
 */
export const DESTROY_BOUND_SECONDS = 600;

/** Real milliseconds every destroy gets at least, whatever the time scale (HTTP round trips do not scale). */
const DESTROY_FLOOR_MS = 5_000;

/** Destroys everything labelled `labelPrefix` (of `kinds`, default all) within the bound, fixed before the first try. */
export async function boundedDestroy(
  steps: Steps,
  opts: { labelPrefix: string; kinds?: string[]; timeScale: number; boundSeconds?: number }
): Promise<DestroyReport> {
  const now = await steps.now();
  const boundMs = Math.max((opts.boundSeconds ?? DESTROY_BOUND_SECONDS) * 1000 * opts.timeScale, DESTROY_FLOOR_MS);
  return steps.destroyByLabel({
    labelPrefix: opts.labelPrefix,
    ...(opts.kinds ? { kinds: opts.kinds } : {}),
    deadlineMs: now + boundMs,
    timeScale: opts.timeScale,
  });
}
