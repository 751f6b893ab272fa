import type { SuiteResult } from '../../workflows/types';
import type { ScenarioHistory } from '../history/marks';
import type { ScenarioTimeline } from '../timeline';

/** What a suite's reports show beside its {@link SuiteResult}; every part is optional. */
export interface ReportContext {
  /** `running`, or how the suite's workflow closed (a report rebuilt from Temporal says it). */
  state?: string;
  /** The Temporal Web UI, for a link per scenario: `http://localhost:8233` and the namespace. */
  webUi?: { baseUrl: string; namespace: string };
  /** Per scenario id: its recent outcomes and mark (flaky, new failure, fixed, stable), from the run history. */
  history?: Record<number, ScenarioHistory>;
  /** Each scenario's phases (create, act, verify, destroy, cleanup audit) read from its workflow history. */
  timeline?: ScenarioTimeline[];
  /** The run's `--budget-usd`, when it had one. */
  budgetUsd?: number;
  /** When the report was made (ISO 8601). */
  generatedAt?: string;
}

/** A suite's result and what its reports show beside it. */
export interface ReportInput {
  result: SuiteResult;
  context?: ReportContext;
}

/** `http://localhost:8233/namespaces/default/workflows/<id>`: a workflow's page in the Web UI. */
export function webUiLink(context: ReportContext | undefined, workflowId: string): string | undefined {
  if (!context?.webUi) return undefined;
  const base = context.webUi.baseUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(context.webUi.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/**
 * The Web UI address for a Temporal frontend: `DUMONT_E2E_WEB_UI_URL` when set, else, for a frontend on this
 * machine, its port + 1000 (as `temporal server start-dev` and the local stack place it); `undefined` otherwise.
 */
export function webUiBaseFor(temporalAddress: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.DUMONT_E2E_WEB_UI_URL?.trim();
  if (configured) return configured;
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(temporalAddress);
  return m ? `http://${m[1]}:${Number(m[2]) + 1000}` : undefined;
}
