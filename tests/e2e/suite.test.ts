/**
 * The whole lifecycle category through SuiteWorkflow, against a real Temporal server and the real simulator:
 * every scenario passes on a healthy platform, and still passes with 20% transient faults (429s, 5xx, dropped
 * connections, SSH resets, late SSH ports, slow boots), leaving nothing rented.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteResult } from '../../src/workflows/types';
import { liveResources, startSimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function runLifecycle(
  faultRate: number
): Promise<{ result: SuiteResult; live: ReturnType<typeof liveResources> }> {
  const h = await startSimWorker(env, { faultRate, seed: 7 });
  try {
    const result = (await env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `suite-${h.taskQueue}`,
      args: [{ select: 'lifecycle', target: 'sim', maxParallel: 5, timeScale: h.timeScale }],
    })) as SuiteResult;
    return { result, live: liveResources(h.sim) };
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
          .map((c) => `${c.name} (${c.detail})`)
          .join('; ')}`
    )
    .join('\n');
}

describe('lifecycle suite on the simulator', () => {
  it('passes all 15 scenarios on a healthy platform and leaks nothing', { timeout: 300_000 }, async () => {
    const { result, live } = await runLifecycle(0);
    expect(result.scenarios).toHaveLength(15);
    expect(describeFailures(result)).toBe('');
    expect(result.leaked).toEqual([]);
    expect(live).toEqual({ instances: 0, volumes: 0 });
    for (const s of result.scenarios) {
      expect(s.checks.length, `${s.slug} must check something`).toBeGreaterThan(1);
      expect(s.gpuSeconds, `${s.slug} rented a GPU`).toBeGreaterThan(0);
      expect(s.costUsd).toBeGreaterThan(0);
    }
    expect(result.scenarios.find((s) => s.id === 8)?.metrics?.coldStartSeconds).toBeGreaterThan(0);
  });

  it('passes all 15 with 20% transient faults and leaks nothing', { timeout: 400_000 }, async () => {
    const { result, live } = await runLifecycle(0.2);
    expect(describeFailures(result)).toBe('');
    expect(result.leaked).toEqual([]);
    expect(live).toEqual({ instances: 0, volumes: 0 });
  });
});
