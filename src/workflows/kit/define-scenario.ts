import type { ScenarioResult } from '../types';
import { runScenario, type ScenarioBody } from './run-scenario';

/** A scenario's workflow function, carrying the catalog number and slug it was defined with. */
export interface ScenarioWorkflow {
  (input?: unknown): Promise<ScenarioResult>;
  readonly scenario: { readonly id: number; readonly slug: string };
}

/**
 * Defines scenario `id` (`slug`) as a workflow. The number and slug bind it to its catalog entry: its labels,
 * child workflow id and report key all derive from them, the runner refuses to start when the slug disagrees with
 * the catalog, and the registry test (tests/catalog/registry.test.ts) fails when the export name, the file name
 * (`NNN-slug.ts`) or the catalog's `workflowType` disagree with them, or when two files claim one number.
 *
 * ```ts
 * export const createRtx4090Scenario = defineScenario(1, 'create-rtx-4090', async (ctx) => { … });
 * ```
 */
export function defineScenario(id: number, slug: string, body: ScenarioBody): ScenarioWorkflow {
  const workflow = (input?: unknown): Promise<ScenarioResult> => runScenario(id, slug, input, body);
  return Object.assign(workflow, { scenario: { id, slug } as const });
}
