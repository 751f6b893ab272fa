/**
 * Item 4: terminations, which run no workflow code at all. A terminated suite: its scenarios are cancelled (parent
 * close policy REQUEST_CANCEL) and compensate, but the suite's final sweep never runs, so its SSH key stays until the
 * reaper `stack up` schedules takes it. A terminated scenario: the suite goes on and its final sweep destroys what the
 * scenario rented.
 */
import type { Client } from '@temporalio/client';
import { waitUntil } from '../../src/client/stack/processes';
import { runReaperScheduleNow } from '../../src/client/stack/reaper-schedule';
import { scenarioPrefix } from '../../src/labels';
import { createPrng } from '../../src/sim/core/prng';
import type { ChaosStack } from '../stack';
import { assess, awaitSuite, leftovers, mixedSelection, startSuite } from '../suites';
import { outcomeOf, type ChaosOptions, type ChaosRow } from '../types';
import { TRIAL_DEADLINE_MS, TRIAL_PARALLEL, trialSeed } from './crash-trial';

/** Until every scenario workflow of the suite is closed (they compensate after the suite's termination). */
async function childrenClosed(client: Client, suiteId: string): Promise<boolean> {
  return waitUntil(async () => {
    for await (const wf of client.workflow.list({ query: `WorkflowId STARTS_WITH "${suiteId}/"` })) {
      if (wf.status.name === 'RUNNING') return false;
    }
    return true;
  }, TRIAL_DEADLINE_MS);
}

async function terminatedSuite(stack: ChaosStack, seed: number): Promise<ChaosRow> {
  const t0 = Date.now();
  const prng = createPrng(seed);
  const ids = mixedSelection(prng, 1);
  const suiteId = `chaos-terminate-suite-${seed}`;
  await startSuite(stack, suiteId, ids, TRIAL_PARALLEL);
  await waitUntil(async () => (await stack.simState()).instances.length > 0, 60_000);
  const at = prng.float(1, 15);
  await new Promise((resolve) => setTimeout(resolve, at * 1000));
  await stack.client.workflow.getHandle(suiteId).terminate('chaos: terminated suite');
  const closed = await childrenClosed(stack.client, suiteId);
  const before = await leftovers(stack, suiteId);
  const reaper = await runReaperScheduleNow(stack.client);
  const end = await awaitSuite(stack.client, suiteId, 10_000);
  const counts = await assess(stack, suiteId, ids, end);
  const lost = closed ? counts.lost : Math.max(1, counts.lost);
  return {
    part: 'termination',
    trial: 'suite',
    seed,
    outcome: outcomeOf({ lost, leaked: counts.leaked.length, falseFailures: [] }),
    lost,
    leaked: counts.leaked.length,
    falseFailures: [],
    detail:
      `terminated ${suiteId} at ${at.toFixed(1)} s after its first instance; scenarios compensated, ` +
      `left for the reaper: ${before.join(', ') || 'nothing'}; scheduled reaper destroyed ${reaper.doomed.length}` +
      (reaper.errors.length ? ` (errors: ${reaper.errors.join('; ')})` : '') +
      (counts.leaked.length ? `; still left: ${counts.leaked.join(', ')}` : ''),
    seconds: Math.round((Date.now() - t0) / 1000),
  };
}

async function terminatedScenario(stack: ChaosStack, seed: number): Promise<ChaosRow> {
  const t0 = Date.now();
  const prng = createPrng(seed);
  const ids = mixedSelection(prng, 1);
  const suiteId = `chaos-terminate-scenario-${seed}`;
  await startSuite(stack, suiteId, ids, TRIAL_PARALLEL);
  const handle = stack.client.workflow.getHandle(suiteId);
  let running: string[] = [];
  // A scenario holding an instance: terminating it leaves the instance to the suite's final sweep.
  await waitUntil(async () => {
    const labels = (await stack.simState()).instances.map((i) => i.label);
    running = (await handle.query<{ running: string[] }>('progress')).running.filter((child) => {
      const id = Number(/\/s(\d{3})-/.exec(child)?.[1]);
      return labels.some((l) => l.startsWith(scenarioPrefix(suiteId, id)));
    });
    return running.length > 0;
  }, 60_000);
  const victim = running.length ? prng.pick(running) : undefined;
  if (victim) await stack.client.workflow.getHandle(victim).terminate('chaos: terminated scenario');
  const end = await awaitSuite(stack.client, suiteId, TRIAL_DEADLINE_MS);
  const counts = await assess(stack, suiteId, ids, end, victim ? [victim] : []);
  const row = {
    part: 'termination',
    trial: 'scenario',
    seed,
    lost: counts.lost,
    leaked: counts.leaked.length,
    falseFailures: counts.falseFailures,
  };
  const destroyed = end.result?.finalSweep.destroyed ?? [];
  return {
    ...row,
    outcome: victim ? outcomeOf(row) : 'error',
    detail:
      `${victim ? `terminated ${victim} while it held an instance` : 'no scenario held an instance to terminate'}; ` +
      `suite ${end.status}, its final sweep destroyed: ${destroyed.join(', ') || 'nothing'}` +
      (counts.leaked.length ? `; still left: ${counts.leaked.join(', ')}` : ''),
    seconds: Math.round((Date.now() - t0) / 1000),
  };
}

/** One terminated suite and one terminated scenario (both in `--short` too: they are quick). */
export async function runTerminations(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const rows = [
    await terminatedSuite(stack, trialSeed(opts.seed, 4, 1)),
    await terminatedScenario(stack, trialSeed(opts.seed, 4, 2)),
  ];
  for (const r of rows) opts.log(`termination ${r.trial}: ${r.outcome} (${r.seconds} s) ${r.detail}`);
  return rows;
}
