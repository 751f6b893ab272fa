/** Scenario categories, in the seed's order (the seed's list of 100). */
export const CATEGORIES = [
  'lifecycle',
  'serverless',
  'failover',
  'snapshots',
  'jobs',
  'models',
  'finetune',
  'market',
  'migration',
  'edge',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The seed's pytest markers. */
export const MARKERS = ['real_gpu', 'slow', 'cost_high', 'failover', 'model'] as const;
export type Marker = (typeof MARKERS)[number];

/** One of the 100 scenarios, as data. Plain JSON: it crosses into workflow code. */
export interface ScenarioSpec {
  /** 1..100, the seed's number. */
  id: number;
  /** kebab-case, unique, e.g. `create-rtx-4090`. */
  slug: string;
  /** The seed's title (Portuguese). */
  titlePt: string;
  title: string;
  /** The seed's description (Portuguese). */
  descriptionPt: string;
  category: Category;
  markers: Marker[];
  /** Estimated GPU-minutes and cost (the seed's per-category table, spread over its scenarios). */
  estimate: { gpuMinutes: number; costUsd: number };
  /** Scenario deadline in platform minutes (scaled by timeScale on the simulator). */
  deadlineMinutes: number;
  /** What the scenario verifies, in a sentence a user reads in a report. */
  verifies: string;
  /**
   * The simulator defect this scenario must catch. For an implemented scenario it is declared in the simulator
   * module that implements it (a `defects.ts` beside the code, aggregated in `src/sim/defect-registry.ts`) and `check` is the
   * stable id of the check it breaks; for a planned one it is the defect the scenario will have to catch.
   */
  defect: { name: string; description: string; check?: string };
  /** Exported workflow type name, e.g. `createRtx4090Scenario`; present once implemented. */
  workflowType?: string;
}

/** `s001-create-rtx-4090`: the child workflow id suffix and the report key. */
export function scenarioKey(spec: Pick<ScenarioSpec, 'id' | 'slug'>): string {
  return `s${String(spec.id).padStart(3, '0')}-${spec.slug}`;
}
