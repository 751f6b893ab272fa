/**
 * The whole lifecycle category through SuiteWorkflow, against a real Temporal server and the real simulator:
 * every implemented scenario passes on a healthy platform, and still passes with 20% transient faults (429s, 5xx,
 * dropped connections, SSH resets, late SSH ports, slow boots), leaving nothing rented: no instance, no volume,
 * and no SSH key (the suite's final sweep releases it).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import type { SuiteResult } from '../../src/workflows/types';
import { liveEverything, startSimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

const LIFECYCLE = SCENARIOS.filter((s) => s.category === 'lifecycle' && s.workflowType);
const NOTHING_LEFT = { instances: 0, volumes: 0, sshKeys: 0 };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function runLifecycle(
  faultRate: number
): Promise<{ result: SuiteResult; live: Awaited<ReturnType<typeof liveEverything>> }> {
  const h = await startSimWorker(env, { faultRate, seed: 7 });
  try {
    const result = (await env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `suite-${h.taskQueue}`,
      args: [{ select: 'lifecycle', target: 'sim', maxParallel: 5, timeScale: h.timeScale }],
    })) as SuiteResult;
    return { result, live: await liveEverything(h.sim) };
  } finally {
    await h.stop();
  }
}

function describeFailures(result: SuiteResult): string {
  return result.scenarios
    .filter((s) => s.status !== 'passed')
    .map(
      (s) =>
        `${s.slug}: ${s.error ?? ''} ${s.checks
          .filter((c) => !c.ok)
          .map((c) => `[${c.id}] ${c.name} (${c.detail})`)
          .join('; ')}`
    )
    .join('\n');
}

/** The suite's final sweep released its SSH key (and found nothing else), and gave up on nothing. */
function expectCleanFinalSweep(result: SuiteResult): void {
  expect(result.finalSweep.error).toBeUndefined();
  expect(result.finalSweep.destroyed).toEqual([expect.stringMatching(/^ssh-key \d+ dumont-e2e\/\S+\/s000\/ssh-key /)]);
}

describe('lifecycle suite on the simulator', () => {
  // The healthy run of every implemented category is tests/scenarios/healthy.test.ts (generated).
  it(`passes all ${LIFECYCLE.length} with 20% transient faults and leaks nothing`, { timeout: 400_000 }, async () => {
    const { result, live } = await runLifecycle(0.2);
    expect(describeFailures(result)).toBe('');
    expect(result.leaked).toEqual([]);
    expectCleanFinalSweep(result);
    expect(live).toEqual(NOTHING_LEFT);
  });
});
