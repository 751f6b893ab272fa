/**
 * A destroy that fails forever (simulator fault `destroy-fails`: every DELETE of an instance or volume answers 500
 * on both faces) ends the scenario within the bound with "could not destroy …", the suite still completes, and
 * the result and reports show the leak and the final sweep. Nothing hangs.
 */
import { describe, expect, it } from 'vitest';
import { suitePrefix } from '../../src/labels';
import { formatSummary } from '../../src/client/reporters/console';
import { summarize, toJsonReport } from '../../src/client/reporters/summary';
import type { SuiteResult } from '../../src/workflows/types';
import { useSimWorker } from '../helpers/harness';
import { liveUnder } from '../scenarios/scenario-cases';

const ctx = useSimWorker();

describe('bounded cleanup', () => {
  it(
    'an undeletable instance fails its scenario loudly within the bound; the suite completes and reports it',
    { timeout: 180_000 },
    async () => {
      const { env, h } = ctx;
      const workflowId = `${h.taskQueue}-undeletable`;
      h.sim.setFaults({ rate: 1, kinds: ['destroy-fails'] });
      let result: SuiteResult;
      const started = Date.now();
      try {
        result = (await env.client.workflow.execute('SuiteWorkflow', {
          taskQueue: h.taskQueue,
          workflowId,
          args: [{ select: '1', target: 'sim', timeScale: h.timeScale }],
        })) as SuiteResult;
      } finally {
        h.sim.setFaults({ rate: 0 });
      }
      const wallSeconds = (Date.now() - started) / 1000;
      const [s1] = result.scenarios;
      expect(s1.status).toBe('failed');
      expect(s1.checks.find((c) => c.id === 'destroyed')?.ok).toBe(false);
      expect(s1.cleanupErrors?.join('\n')).toMatch(
        /could not destroy instance dumont-e2e\/\S+\/s001\/main after \d+ tries: .*500/
      );
      expect(s1.leaked?.join('\n')).toMatch(/^instance \d+ dumont-e2e\/\S+\/s001\/main \(at dumont, vast\)$/m);
      expect(s1.checks.find((c) => c.id === 'cleanup')?.ok).toBe(false);
      // The final sweep tried again, gave up within its own bound, and still released what it could (the SSH key).
      expect(result.finalSweep.error).toMatch(/could not destroy instance/);
      expect(result.finalSweep.destroyed.some((l) => l.startsWith('ssh-key '))).toBe(true);
      expect(result.leaked).toHaveLength(1);
      expect(result.leaked[0]).toMatch(/^instance \d+ dumont-e2e\/\S+\/s001\/main/);
      // Two bounded destroys (scenario, final sweep) of 600 platform s = 6 real s each at this time scale, plus the
      // scenario itself: well under a minute, where an unbounded destroy would never have returned.
      expect(wallSeconds).toBeLessThan(90);

      const json = toJsonReport(result);
      expect(json.summary.leaked).toBeGreaterThan(0);
      expect(JSON.stringify(json)).toContain('could not destroy instance');
      const text = formatSummary(summarize(result), result.scenarios, result.leaked);
      expect(text).toMatch(/Leaked resources: 1/);

      // The simulator answers again: the leftover is still there to be swept (by the reaper, or here).
      expect(liveUnder(h.sim, suitePrefix(workflowId))).toHaveLength(1);
      const sweep = await env.client.workflow.execute('ReaperWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: `${workflowId}-reaper`,
        args: [{ dryRun: false, target: 'sim' }],
      });
      expect(sweep).toMatchObject({ errors: [] });
      expect(liveUnder(h.sim, suitePrefix(workflowId))).toEqual([]);
    }
  );
});
