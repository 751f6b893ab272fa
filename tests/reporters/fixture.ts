import type { ScenarioResult, SuiteResult } from '../../src/workflows/types';

/** Text with every character XML and HTML must escape, plus a line break and a control character. */
export const NASTY = `expected <gpu name="RTX 4090"> & got 'RTX 3080'\nsee \u0007log`;

function scenario(
  partial: Partial<ScenarioResult> & Pick<ScenarioResult, 'id' | 'slug' | 'category' | 'status'>
): ScenarioResult {
  return {
    title: `Scenario ${partial.id}`,
    durationMs: 0,
    gpuSeconds: 0,
    costUsd: 0,
    checks: [],
    workflowId: `suite-1/s${String(partial.id).padStart(3, '0')}-${partial.slug}`,
    ...partial,
  };
}

/** The suite's audit after the final sweep: instance 42 (seen by s002 at two witnesses, here at one) and a volume. */
export const SUITE_LEAKED = [
  'instance 42 dumont-e2e/suite-1/s002/create (at vast)',
  'volume 7 dumont-e2e/suite-1/s009/data (at vast)',
];

/** Scenario 6 gave up on instance 43; the final sweep destroyed it afterwards. */
export const S006_LEAKED = 'instance 43 dumont-e2e/suite-1/s006/main (at dumont, vast)';

export const VAST_WARNING =
  'instance 41 dumont-e2e/suite-1/s001/main was destroyed through VAST after 2 Dumont destroys left it alive';

/**
 * A suite with every status, a failing check with nasty text, limit checks (one failed), warnings, cleanup errors,
 * leaks (one seen by a scenario and the suite at different witnesses, one the final sweep caught later) and a final
 * sweep that destroyed two things, warned and gave up on one.
 */
export function fixtureSuite(): SuiteResult {
  return {
    suiteId: 'suite-1',
    target: 'sim',
    select: '1-2,6,16,21',
    timeScale: 0.01,
    wallMs: 95_500,
    leaked: [...SUITE_LEAKED],
    finalSweep: {
      destroyed: [S006_LEAKED, 'ssh-key 5 dumont-e2e/suite-1/s000/ssh-key (at vast)'],
      warnings: ["VAST's instance list was unusable, Dumont's was used: 502 <html>"],
      error: 'could not destroy instance dumont-e2e/suite-1/s002/create after 9 tries: 500 Failed to destroy',
    },
    // Out of id order on purpose: reports sort by id.
    scenarios: [
      scenario({
        id: 6,
        slug: 'pause-resume',
        title: 'Simple pause and resume',
        category: 'lifecycle',
        status: 'failed',
        durationMs: 8100,
        gpuSeconds: 30.1,
        costUsd: 0.1,
        checks: [
          { id: 'paused', name: 'pause: platform reports stopped', ok: true, detail: 'actual_status=stopped' },
          { id: 'billing-stopped', name: 'no GPU billing while paused', ok: false, detail: NASTY },
          {
            id: 'cold-start',
            name: 'cold start ≤ 300 s',
            ok: false,
            detail: 'cold start 412 s > 300 s',
            measured: { value: 412, limit: 300, unit: 's', op: '<=' },
          },
        ],
        error: 'scenario failed: <billing> & "more"',
        cleanupErrors: ['destroy instance dumont-e2e/suite-1/s006/main: could not destroy instance after 4 tries'],
        leaked: [S006_LEAKED],
      }),
      scenario({
        id: 1,
        slug: 'create-rtx-4090',
        title: 'Create an RTX 4090 instance',
        category: 'lifecycle',
        status: 'passed',
        durationMs: 12_345,
        gpuSeconds: 45.2,
        costUsd: 0.2,
        checks: [
          { id: 'gpus-visible', name: 'nvidia-smi over SSH shows 1x RTX 4090', ok: true, detail: 'RTX 4090' },
          {
            id: 'ssh-ready',
            name: 'SSH ready ≤ 300 s',
            ok: true,
            detail: 'SSH ready 31 s ≤ 300 s',
            measured: { value: 31, limit: 300, unit: 's', op: '<=' },
          },
        ],
        metrics: { sshReadySeconds: 31 },
        warnings: [VAST_WARNING],
      }),
      scenario({
        id: 2,
        slug: 'create-cheapest-rtx-3080',
        title: 'Create the cheapest RTX 3080 instance',
        category: 'lifecycle',
        status: 'failed',
        durationMs: 20_000,
        gpuSeconds: 10,
        costUsd: 0.05,
        checks: [{ id: 'first-offer-cheapest', name: 'first offer is the cheapest', ok: true, detail: '$0.21/h' }],
        cleanupErrors: ['destroy instance 42: 500 Failed to destroy'],
        leaked: ['instance 42 dumont-e2e/suite-1/s002/create (at dumont, vast)'],
      }),
      scenario({ id: 16, slug: 'enable-serverless', category: 'serverless', status: 'not-implemented' }),
      scenario({
        id: 21,
        slug: 'auto-pause-after-idle',
        category: 'serverless',
        status: 'skipped',
        error: 'budget spent',
      }),
    ],
  };
}
