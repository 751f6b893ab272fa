/**
 * GENERATED from the catalog and the defect registry: every declared defect of an implemented scenario makes that
 * scenario FAIL on the check the defect declares (by stable id), while its cleanup still succeeds and nothing it
 * rented survives. Label-scoped defects run side by side against one simulator (each scoped to its own scenario's
 * labels); global ones (they act on unlabelled things such as the offer search) get a simulator each.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVastClient } from '../../src/platform/vast/client';
import { runKeyLabel } from '../../src/labels';
import { SIM_API_KEY, startSimWorker, type SimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';
import { caseSuiteId, DEFECT_CASES, liveUnder, scenarioPrefix } from './scenario-cases';

let env: TestWorkflowEnvironment;
let shared: SimWorker;
beforeAll(async () => {
  env = await createTestEnv();
  shared = await startSimWorker(env);
}, 120_000);
afterAll(async () => {
  await shared?.stop();
  await env?.teardown();
});

type Case = (typeof DEFECT_CASES)[number];

async function failsOnItsCheck(h: SimWorker, { defect, spec }: Case, scoped: boolean): Promise<void> {
  const suiteId = caseSuiteId('dfx', defect.name);
  const prefix = scenarioPrefix(suiteId, spec.id);
  const activation = scoped ? { name: defect.name, labelPrefix: prefix } : defect.name;
  h.sim.addDefects([activation]);
  try {
    const outcome = await h.execute(
      spec.workflowType!,
      [{ suiteId, target: 'sim', timeScale: h.timeScale }],
      `${h.taskQueue}-${suiteId}`
    );
    expect(outcome.ok, `#${spec.id} must fail under '${defect.name}'`).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failureType).toBe('ScenarioFailed');
    const checks = outcome.result!.checks;
    const failed = checks.filter((c) => !c.ok);
    expect(
      failed.map((c) => c.id),
      `'${defect.name}' must break check '${defect.check}'; failed: ${failed.map((c) => `[${c.id}] ${c.name}: ${c.detail}`).join(' | ')}`
    ).toContain(defect.check);
    const cleanup = checks.find((c) => c.id === 'cleanup');
    expect(cleanup?.ok, `cleanup must still succeed: ${cleanup?.detail}`).toBe(true);
    expect(liveUnder(h.sim, prefix)).toEqual([]);
    const keys = await createVastClient({ baseUrl: h.sim.vastUrl, apiKey: SIM_API_KEY }).listSshKeys();
    expect(keys.filter((k) => k.publicKey.endsWith(runKeyLabel(suiteId)))).toEqual([]);
  } finally {
    h.sim.removeDefects([activation]);
  }
}

describe.concurrent(
  'each scenario fails on its check under its label-scoped defect, side by side on one simulator',
  () => {
    for (const c of DEFECT_CASES.filter((x) => x.defect.scope === 'label')) {
      it(
        `#${c.spec.id} ${c.spec.slug} fails on [${c.defect.check}] under '${c.defect.name}'`,
        { timeout: 240_000 },
        () => failsOnItsCheck(shared, c, true)
      );
    }
  }
);

describe.concurrent('each scenario fails on its check under its global defect, on a simulator of its own', () => {
  for (const c of DEFECT_CASES.filter((x) => x.defect.scope === 'global')) {
    it(
      `#${c.spec.id} ${c.spec.slug} fails on [${c.defect.check}] under '${c.defect.name}'`,
      { timeout: 240_000 },
      async () => {
        const own = await startSimWorker(env);
        try {
          await failsOnItsCheck(own, c, false);
        } finally {
          await own.stop();
        }
      }
    );
  }
});
