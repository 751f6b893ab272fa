/**
 * Bad workflow input fails the run at once with a ValidationError naming the field (a plain Error would only
 * fail the workflow task, which Temporal retries forever: a hung run); a budget below the plan rents nothing.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import type { SuiteResult } from '../../src/workflows/types';
import { liveResources, useSimWorker } from '../helpers/harness';

const t = useSimWorker();

let n = 0;
async function failureOf(type: string, input: unknown): Promise<{ type?: string; message?: string }> {
  const err = await t.env.client.workflow
    .execute(type, { taskQueue: t.h.taskQueue, workflowId: `input-${++n}`, args: [input] })
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
    ['SuiteWorkflow', { runWhatFits: 'yes' }, /runWhatFits = "yes"/],
    ['SuiteWorkflow', { estimatesUsd: { '1': -1 } }, /estimatesUsd\.1 = -1/],
    ['SuiteWorkflow', { estimatesUsd: { s001: 0.1 } }, /estimatesUsd\.s001 = 0\.1/],
    ['SuiteWorkflow', { durationHints: { 6: -1 } }, /durationHints = \{"6":-1\}/],
    ['SuiteWorkflow', 'not an object', /input = "not an object"/],
    ['createRtx4090Scenario', { timeScale: -1 }, /timeScale = -1/],
    ['ReaperWorkflow', { dryRun: 'yes' }, /dryRun = "yes"/],
    // Hostile input (docs/hostile.md): typos, huge and negative numbers, wrong types, injection-looking strings.
    ['SuiteWorkflow', { maxParalel: 2 }, /input\.maxParalel = 2 \(expected no such key; known: select, target/],
    ['SuiteWorkflow', { maxParallel: 1e308 }, /maxParallel = 1e\+308/],
    ['SuiteWorkflow', { maxParallel: -3 }, /maxParallel = -3/],
    ['SuiteWorkflow', { budgetUsd: '5' }, /budgetUsd = "5"/],
    ['SuiteWorkflow', { select: '$(rm -rf /)' }, /select = "\$\(rm -rf \/\)": unexpected character '\$'/],
    ['SuiteWorkflow', { select: 'x'.repeat(5000) }, /select = "x{10}/],
    ['createRtx4090Scenario', { suiteId: '../etc; rm -rf /' }, /suiteId = "\.\.\/etc; rm -rf \/"/],
    ['createRtx4090Scenario', { extra: { nested: true } }, /input\.extra = \{"nested":true\}/],
    ['ReaperWorkflow', { dryrun: false }, /input\.dryrun = false/],
    ['ReaperWorkflow', { ttlHours: -1 }, /ttlHours = -1/],
  ])('%s %j fails fast with a ValidationError', { timeout: 30_000 }, async (type, input, message) => {
    const cause = await failureOf(type, input);
    expect(cause.type).toBe('ValidationError');
    expect(cause.message).toMatch(message);
    // Refused before anything was rented.
    expect(liveResources(t.h.sim)).toEqual({ instances: 0, volumes: 0 });
  });

  // The first scenario of the catalog not implemented yet, whichever it is today (none once all 100 are).
  const PLANNED = SCENARIOS.find((s) => !s.workflowType);

  it('a budget below the plan skips scenarios instead of renting', { timeout: 60_000 }, async () => {
    const result = (await t.env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: t.h.taskQueue,
      workflowId: `budget-${++n}`,
      args: [{ select: PLANNED ? `1-3,${PLANNED.id}` : '1-3', budgetUsd: 0, timeScale: t.h.timeScale }],
    })) as SuiteResult;
    expect(result.scenarios.map((s) => s.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
      ...(PLANNED ? ['not-implemented'] : []),
    ]);
    expect(result.scenarios[0].error).toMatch(/plan's estimate of \$[\d.]+ exceeds the budget of \$0\.00/);
    expect(liveResources(t.h.sim)).toEqual({ instances: 0, volumes: 0 });
  });
});
