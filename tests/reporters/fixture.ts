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

/** A suite with every status, a failing check with nasty text, cleanup errors and leaks (one duplicated). */
export function fixtureSuite(): SuiteResult {
  return {
    suiteId: 'suite-1',
    target: 'sim',
    select: '1-2,6,16,21',
    timeScale: 0.01,
    wallMs: 95_500,
    leaked: ['dumont-e2e/suite-1/s002/create (instance 42)', 'dumont-e2e/suite-1/orphan (volume 7)'],
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
          { name: 'paused', ok: true, detail: 'actual_status=stopped' },
          { name: 'billing-stopped', ok: false, detail: NASTY },
        ],
        error: 'scenario failed: <billing> & "more"',
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
        checks: [{ name: 'gpu-model', ok: true, detail: 'RTX 4090' }],
        metrics: { sshReadySeconds: 31 },
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
        checks: [{ name: 'cheapest', ok: true, detail: 'first offer is cheapest' }],
        cleanupErrors: ['destroy instance 42: 500 Failed to destroy'],
        leaked: ['dumont-e2e/suite-1/s002/create (instance 42)'],
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
