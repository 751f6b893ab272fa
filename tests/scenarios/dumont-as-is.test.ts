/**
 * GENERATED from the catalog: every implemented category against the simulator's `dumont-as-is` profile (the real
 * server's wire and quirks: ISO start dates, one blocking create at a time that stalls reads, a 503 list, 500 for a
 * taken offer). The run ends, leaks nothing, and every scenario passes or fails on a platform behaviour: never on a
 * schema or protocol error of the harness.
 */
import { describe, expect, it } from 'vitest';
import { suitePrefix } from '../../src/labels';
import { TARGET_DEFAULTS } from '../../src/config';
import type { SuiteResult } from '../../src/workflows/types';
import { liveSshKeys, useSimWorker } from '../helpers/harness';
import { IMPLEMENTED_CATEGORIES, liveUnder } from './scenario-cases';

// As a worker for the real Dumont would run: one create at a time.
const ctx = useSimWorker({
  profile: 'dumont-as-is',
  timeScale: 0.01,
  limits: { ...TARGET_DEFAULTS.sim, maxConcurrentCreates: 1 },
});

describe('every implemented category against the dumont-as-is profile', () => {
  for (const { category, scenarios } of IMPLEMENTED_CATEGORIES) {
    it(`${category}: ends with 0 leaked, failures name platform behaviour`, { timeout: 600_000 }, async () => {
      const workflowId = `${ctx.h.taskQueue}-as-is-${category}`;
      const result = (await ctx.env.client.workflow.execute('SuiteWorkflow', {
        taskQueue: ctx.h.taskQueue,
        workflowId,
        args: [{ select: category, target: 'sim', timeScale: ctx.h.timeScale, maxParallel: 4 }],
      })) as SuiteResult;
      expect(result.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
      expect(result.leaked).toEqual([]);
      expect(liveUnder(ctx.h.sim, suitePrefix(workflowId))).toEqual([]);
      expect(await liveSshKeys(ctx.h.sim)).toEqual([]);
      for (const s of result.scenarios) {
        const said = [s.error ?? '', ...s.checks.filter((c) => !c.ok).map((c) => c.detail), ...(s.cleanupErrors ?? [])];
        expect(said.join('\n'), `#${s.id}`).not.toMatch(/ProtocolError|failed validation|expected (number|string)/);
      }
      // What the profile costs the lifecycle today, for the record (the report shows each failure's reason).
      const failed = result.scenarios.filter((s) => s.status !== 'passed');
      console.log(
        `${category} on dumont-as-is: ${result.scenarios.length - failed.length} passed; ` +
          failed.map((s) => `#${s.id} ${s.error ?? s.checks.find((c) => !c.ok)?.detail}`).join(' | ')
      );
    });
  }
});
