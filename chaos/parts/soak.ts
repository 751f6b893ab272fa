/**
 * Item 5: the fault soak. The simulator's transient faults (429 in its body shapes, 5xx, dropped connections, SSH
 * resets, late SSH ports, slow boots, failing destroys) at 20% and at 40% over a mixed suite. At 20% nothing may
 * fail; at both nothing may be lost or leaked (at 40% a scenario may run out of its deadline: listed, not fatal).
 */
import type { Client } from '@temporalio/client';
import { inPlaceRetriesIn, retriedAttemptsIn } from '../../src/client/history-retries';
import { createPrng } from '../../src/sim/core/prng';
import type { ChaosStack } from '../stack';
import { assess, awaitSuite, mixedSelection, startSuite } from '../suites';
import { outcomeOf, type ChaosOptions, type ChaosRow } from '../types';
import { TRIAL_DEADLINE_MS, TRIAL_PARALLEL, trialSeed } from './crash-trial';

/**
 * Retries in the histories of a suite's scenarios, where the faults show in the Web UI: activity attempts retried
 * by Temporal, and platform calls an activity retried in place before it succeeded (its completion records them).
 */
async function retriesInHistories(client: Client, suiteId: string): Promise<{ attempts: number; inPlace: number }> {
  let attempts = 0;
  let inPlace = 0;
  for await (const wf of client.workflow.list({ query: `WorkflowId STARTS_WITH "${suiteId}"` })) {
    const history = await client.workflow.getHandle(wf.workflowId).fetchHistory();
    attempts += retriedAttemptsIn(history);
    for (const r of inPlaceRetriesIn(history)) inPlace += r.count;
  }
  return { attempts, inPlace };
}

function sumCounts(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function soakAt(stack: ChaosStack, rate: number, seed: number, perCategory: number): Promise<ChaosRow> {
  const t0 = Date.now();
  const ids = mixedSelection(createPrng(seed), perCategory);
  const suiteId = `chaos-soak-${Math.round(rate * 100)}-${seed}`;
  const before = (await stack.simState()).faults.injected;
  await stack.setFaults(rate, seed);
  try {
    await startSuite(stack, suiteId, ids, TRIAL_PARALLEL);
    const end = await awaitSuite(stack.client, suiteId, TRIAL_DEADLINE_MS * 2);
    const after = (await stack.simState()).faults.injected;
    const injected: Record<string, number> = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)])
    );
    await stack.setFaults(0, seed);
    const counts = await assess(stack, suiteId, ids, end);
    const retries = await retriesInHistories(stack.client, suiteId);
    const strict = rate <= 0.2;
    const outcome = outcomeOf({
      lost: counts.lost,
      leaked: counts.leaked.length,
      falseFailures: strict ? counts.falseFailures : [],
    });
    return {
      part: `soak-${Math.round(rate * 100)}`,
      trial: '1',
      seed,
      outcome,
      lost: counts.lost,
      leaked: counts.leaked.length,
      falseFailures: counts.falseFailures,
      detail:
        `${ids.length} scenarios at ${rate * 100}% faults; suite ${end.status}; injected ${sumCounts(injected)} ` +
        `(${Object.entries(injected)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}); ${retries.attempts} retried activity attempts and ${retries.inPlace} platform calls ` +
        `retried in place in the histories` +
        (strict ? '' : '; false failures at this rate are listed, not fatal') +
        (counts.slowPlatform.length
          ? `; time limits missed on hosts booted slow on purpose (true findings): ${counts.slowPlatform
              .map((f) => `${f.scenario} ${f.why}`)
              .join('; ')}`
          : '') +
        (counts.leaked.length ? `; left: ${counts.leaked.join(', ')}` : ''),
      seconds: Math.round((Date.now() - t0) / 1000),
    };
  } finally {
    await stack.setFaults(0, seed);
  }
}

/** The soak at 20% and 40%: three scenarios per category (one with `--short`). */
export async function runSoak(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const perCategory = opts.short ? 1 : 3;
  const rows: ChaosRow[] = [];
  for (const [i, rate] of [0.2, 0.4].entries()) {
    const row = await soakAt(stack, rate, trialSeed(opts.seed, 5, i + 1), perCategory);
    opts.log(`${row.part}: ${row.outcome} (${row.seconds} s) ${row.detail}`);
    rows.push(row);
  }
  return rows;
}
