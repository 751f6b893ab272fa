/**
 * GENERATED from the catalog: each category with implemented scenarios passes as a suite against a healthy
 * simulator — every scenario passed, nothing leaked, and the final sweep released the suite's SSH key.
 */
import { describe, expect, it } from 'vitest';
import type { SuiteResult } from '../../src/workflows/types';
import { suitePrefix } from '../../src/labels';
import { useSimWorker } from '../helpers/harness';
import { IMPLEMENTED_CATEGORIES, liveUnder } from './scenario-cases';

const ctx = useSimWorker();

describe('every implemented category passes on a healthy simulator', () => {
  for (const { category, scenarios } of IMPLEMENTED_CATEGORIES) {
    it(`${category}: ${scenarios.length} of ${scenarios.length} pass, 0 leaked`, { timeout: 600_000 }, async () => {
      const workflowId = `${ctx.h.taskQueue}-healthy-${category}`;
      const result = (await ctx.env.client.workflow.execute('SuiteWorkflow', {
        taskQueue: ctx.h.taskQueue,
        workflowId,
        args: [{ select: category, target: 'sim', timeScale: ctx.h.timeScale, maxParallel: 8 }],
      })) as SuiteResult;
      const failed = result.scenarios.filter((s) => s.status !== 'passed');
      expect(
        failed.map(
          (s) =>
            `#${s.id} ${s.status}: ${
              s.error ??
              s.checks
                .filter((c) => !c.ok)
                .map((c) => `[${c.id}] ${c.detail}`)
                .join('; ')
            }`
        )
      ).toEqual([]);
      expect(result.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
      expect(result.leaked).toEqual([]);
      expect(result.finalSweep.error).toBeUndefined();
      expect(result.finalSweep.destroyed.filter((l) => l.startsWith('ssh-key '))).toHaveLength(1);
      expect(liveUnder(ctx.h.sim, suitePrefix(workflowId))).toEqual([]);
      // Every scenario checked something, every check has a stable id, a scenario that rents a GPU was billed for
      // it, and every limit check carries its measured value beside the limit.
      for (const s of result.scenarios) {
        const spec = scenarios.find((x) => x.id === s.id)!;
        expect(s.checks.length, `#${s.id} checks`).toBeGreaterThan(1);
        for (const c of s.checks) expect(c.id, `#${s.id} ${c.name}`).toMatch(/^[a-z0-9-]+$/);
        if (spec.markers.includes('real_gpu')) {
          expect(s.gpuSeconds, `#${s.id} rented a GPU`).toBeGreaterThan(0);
          expect(s.costUsd, `#${s.id} was billed`).toBeGreaterThan(0);
        }
        for (const c of s.checks.filter((x) => /[≤≥]/.test(x.name))) {
          expect(c.measured, `#${s.id} [${c.id}] measured`).toMatchObject({ value: expect.any(Number) });
        }
      }
    });
  }
});
