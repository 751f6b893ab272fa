/**
 * Benchmark 2: one harness step (the kit's activity proxy calling the harness's cheapest activity, `now`, on the
 * harness's workers) against the SDK's bare minimum (an empty activity with default options in a bare workflow), on
 * one dev server and one workflow worker, interleaved in rounds so both see the same load. Round trips come from
 * the histories (consecutive workflow-task completions).
 */
import { distribution, ratio, type Distribution } from './lib/stats';
import { devServer, harnessOn } from './lib/local-env';
import { eventsOf, stepRoundTrips } from './lib/history';
import type { BenchSizes } from './lib/options';

export interface StepsResult {
  steps: number;
  bareMs: Distribution;
  harnessMs: Distribution;
  /** harness ÷ bare, at p50 and p99. */
  overheadP50: number;
  overheadP99: number;
}

const ROUNDS = 4;

export async function benchSteps(sizes: BenchSizes, log: (line: string) => void): Promise<StepsResult> {
  const env = await devServer();
  const h = await harnessOn(env).catch(async (err: unknown) => {
    await env.teardown();
    throw err;
  });
  try {
    const per = Math.ceil(sizes.steps / ROUNDS);
    const bare: number[] = [];
    const harness: number[] = [];
    let n = 0;
    // A warm-up of each first: the first workflow of a type pays for loading it into the worker's context.
    for (let round = -1; round < ROUNDS; round++) {
      const count = round < 0 ? 5 : per;
      const b = `bench-bare-${++n}`;
      await env.client.workflow.execute('benchBareSteps', {
        taskQueue: h.taskQueue,
        workflowId: b,
        args: [count, h.bareQueue],
      });
      const k = `bench-harness-${++n}`;
      await env.client.workflow.execute('benchHarnessSteps', {
        taskQueue: h.taskQueue,
        workflowId: k,
        args: [count, h.timeScale],
      });
      if (round < 0) continue;
      bare.push(...stepRoundTrips(await eventsOf(env.client, b)));
      harness.push(...stepRoundTrips(await eventsOf(env.client, k)));
    }
    const bareMs = distribution(bare);
    const harnessMs = distribution(harness);
    log(`  bare p50 ${bareMs.p50} ms p99 ${bareMs.p99} ms; harness p50 ${harnessMs.p50} ms p99 ${harnessMs.p99} ms`);
    return {
      steps: bare.length,
      bareMs,
      harnessMs,
      overheadP50: ratio(harnessMs.p50, bareMs.p50),
      overheadP99: ratio(harnessMs.p99, bareMs.p99),
    };
  } finally {
    await h.stop();
    await env.teardown();
  }
}
