/**
 * Bad workflow input fails the run at once with a ValidationError naming the field (a plain Error would only
 * fail the workflow task, which Temporal retries forever: a hung run); the budget stops new scenarios.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteResult } from '../../src/workflows/types';
import { liveResources, startSimWorker, type SimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
let h: SimWorker;
beforeAll(async () => {
  env = await createTestEnv();
  h = await startSimWorker(env);
});
afterAll(async () => {
  await h?.stop();
  await env?.teardown();
});

let n = 0;
async function failureOf(type: string, input: unknown): Promise<{ type?: string; message?: string }> {
  const err = await env.client.workflow
    .execute(type, { taskQueue: h.taskQueue, workflowId: `input-${++n}`, args: [input] })
    .then(
      () => undefined,
      (e: unknown) => e
    );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause as { type?: string; message?: string };
  return { type: cause?.type, message: cause?.message };
}

describe('workflow input validation', () => {
  it.each([
    ['SuiteWorkflow', { select: 'lifecyle' }, /lifecyle/],
    ['SuiteWorkflow', { maxParallel: 0 }, /maxParallel = 0/],
    ['SuiteWorkflow', { target: 'aws' }, /target = "aws"/],
    ['SuiteWorkflow', 'not an object', /input = "not an object"/],
    ['createRtx4090Scenario', { timeScale: -1 }, /timeScale = -1/],
    ['ReaperWorkflow', { dryRun: 'yes' }, /dryRun = "yes"/],
  ])('%s %j fails fast with a ValidationError', { timeout: 30_000 }, async (type, input, message) => {
    const cause = await failureOf(type, input);
    expect(cause.type).toBe('ValidationError');
    expect(cause.message).toMatch(message);
  });

  it('a spent budget skips scenarios instead of renting', { timeout: 60_000 }, async () => {
    const result = (await env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `budget-${++n}`,
      args: [{ select: '1-3,16', budgetUsd: 0, timeScale: h.config.timeScale }],
    })) as SuiteResult;
    expect(result.scenarios.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'not-implemented']);
    expect(result.scenarios[0].error).toMatch(/budget of \$0 spent/);
    expect(liveResources(h.sim)).toEqual({ instances: 0, volumes: 0 });
  });
});
