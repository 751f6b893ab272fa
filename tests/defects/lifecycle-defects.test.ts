/**
 * Every lifecycle scenario (1–15) must FAIL when the simulator carries that scenario's defect — on the check
 * that exists to catch it — and still clean up everything. (That each passes without its defect is shown by
 * tests/e2e/suite.test.ts, which runs all 15 against a healthy simulator.)
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioById } from '../../src/catalog';
import { liveResources, startSimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

/** Scenario id → the check (by name) its defect must break. */
const EXPECTED_FAILURE: Record<number, RegExp> = {
  1: /nvidia-smi over SSH shows 1x RTX 4090/,
  2: /first offer is the cheapest/,
  3: /VAST records the requested image|torch inside the image/,
  4: /nvidia-smi over SSH shows 2x RTX 3090|counts 2 GPUs/,
  5: /every offer returned for region=EU is in Europe/,
  6: /pause: platform reports stopped/,
  7: /same md5/,
  8: /cold start within 300s/,
  9: /cycle 3: running and reachable/,
  10: /did not survive the pause/,
  11: /gone from the Dumont and VAST lists/,
  12: /paused instance .* gone from the Dumont and VAST lists/,
  13: /no volume left behind|no residual storage cost/,
  14: /back on the market after destroy/,
  15: /gone after the parallel destroy/,
};

/** Second defects for checks the scenario's own defect does not reach: [scenario, defect, the check it breaks]. */
const EXTRA: [number, string, RegExp][] = [
  [2, 'price-differs-from-offer', /instance is billed at the offer price/],
  [6, 'gpu-billed-while-paused', /no GPU billing while paused/],
  [11, 'charges-after-destroy', /no charges accrue after destroy/],
];

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const CASES: [number, string, RegExp][] = [
  ...Object.entries(EXPECTED_FAILURE).map(([id, re]): [number, string, RegExp] => [
    Number(id),
    scenarioById(Number(id))!.defect.name,
    re,
  ]),
  ...EXTRA,
];

describe('lifecycle scenarios fail under their defect', () => {
  for (const [id, defect, expected] of CASES) {
    const spec = scenarioById(id)!;
    it(`#${id} ${spec.slug} fails under '${defect}' and leaves nothing behind`, async () => {
      const h = await startSimWorker(env, { defects: [defect] });
      try {
        const outcome = await h.execute(spec.workflowType!, [{ target: 'sim', timeScale: h.timeScale }]);
        expect(outcome.ok, 'scenario must fail under its defect').toBe(false);
        if (outcome.ok) return;
        expect(outcome.failureType).toBe('ScenarioFailed');
        const failed = outcome.result!.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
        expect(failed.join('\n')).toMatch(expected);
        const cleanup = outcome.result!.checks.find((c) => c.name.startsWith('cleanup:'));
        expect(cleanup?.ok, `cleanup must still succeed: ${cleanup?.detail}`).toBe(true);
        expect(liveResources(h.sim)).toEqual({ instances: 0, volumes: 0 });
      } finally {
        await h.stop();
      }
    });
  }
});
