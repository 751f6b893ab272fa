/**
 * Workflows of the bench, bundled together with the harness's own (`export *`), so they run in the same bundle
 * and on the same kind of worker as the scenarios.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import { stepsFor } from '../../src/workflows/kit/steps';
import type * as benchActivities from '../activities';

export * from '../../src/workflows';

/** The SDK's bare minimum: `n` empty activities one after another, default options, on `bareQueue`. */
export async function benchBareSteps(n: number, bareQueue: string): Promise<void> {
  const { emptyActivity } = proxyActivities<typeof benchActivities>({
    startToCloseTimeout: '1m',
    taskQueue: bareQueue,
  });
  for (let i = 0; i < n; i++) await emptyActivity();
}

/** `n` harness steps: the kit's `read` proxy (its options: heartbeat, retries, its activity queue) calling `now`. */
export async function benchHarnessSteps(n: number, timeScale: number): Promise<void> {
  const steps = stepsFor('sim', timeScale);
  for (let i = 0; i < n; i++) await steps.now();
}

export const wakeSignal = defineSignal('wake');

/**
 * A scenario-like workflow parked on a platform wait: a step, then a wait that only a signal (or an hour) ends,
 * then one more step. Holds its state in the worker's sticky cache while parked, as a scenario waiting for a boot does.
 */
export async function benchParked(bareQueue: string): Promise<number> {
  const { emptyActivity } = proxyActivities<typeof benchActivities>({
    startToCloseTimeout: '1m',
    taskQueue: bareQueue,
  });
  let woken = false;
  setHandler(wakeSignal, () => void (woken = true));
  const seen: number[] = [];
  seen.push(await emptyActivity());
  await condition(() => woken, '1h');
  seen.push(await emptyActivity());
  return seen.length;
}
