import { DEFECTS, type DefectName } from '../sim/defect-registry';
import { apportion, CATEGORY_TOTALS, COST_HIGH_USD } from './estimates';
import { MARKERS, type Category, type Marker, type ScenarioSpec } from './types';

/**
 * A scenario as the category files write it: the seed's words plus our own. The markers and the estimate
 * are derived by {@link defineCategory}, so they cannot drift from the seed's rules.
 */
export interface ScenarioRow {
  id: number;
  slug: string;
  titlePt: string;
  descriptionPt: string;
  title: string;
  /** The seed's "GPU Real" column says "Não*": the scenario rents no GPU (no `real_gpu` marker). */
  noGpu?: true;
  /** Clearly over two minutes of platform time: an explicit wait, a second provisioning, training or a big download. */
  slow?: true;
  /** Relative share of the category's GPU-minutes and cost; 0 for a scenario that rents no GPU. */
  weight: number;
  deadlineMinutes: number;
  verifies: string;
  /**
   * The defect it must catch: a typed reference to a declared simulator defect once the scenario is implemented,
   * or the planned defect's name and description until then.
   */
  defect: DefectName | { name: string; description: string };
  workflowType?: string;
}

/**
 * Turns a category's rows into specs: spreads the seed's category totals over the rows by weight (exact to
 * 0.1 GPU-minute and to the cent) and derives the markers (`real_gpu` unless `noGpu`, `slow`, `cost_high` above
 * $0.10, `failover` and `model` by category). Throws if the row count disagrees with the seed's table.
 */
export function defineCategory(category: Category, rows: readonly ScenarioRow[]): ScenarioSpec[] {
  const totals = CATEGORY_TOTALS[category];
  if (rows.length !== totals.scenarios) {
    throw new Error(`category ${category} has ${rows.length} scenarios, the seed says ${totals.scenarios}`);
  }
  const weights = rows.map((row) => row.weight);
  const minutes = apportion(totals.gpuMinutes, weights, 1);
  const costs = apportion(totals.costUsd, weights, 2);
  return rows.map((row, i) => toSpec(category, row, { gpuMinutes: minutes[i], costUsd: costs[i] }));
}

function toSpec(category: Category, row: ScenarioRow, estimate: ScenarioSpec['estimate']): ScenarioSpec {
  const markers = new Set<Marker>();
  if (!row.noGpu) markers.add('real_gpu');
  if (row.slow) markers.add('slow');
  if (estimate.costUsd > COST_HIGH_USD) markers.add('cost_high');
  if (category === 'failover') markers.add('failover');
  if (category === 'models') markers.add('model');
  const spec: ScenarioSpec = {
    id: row.id,
    slug: row.slug,
    titlePt: row.titlePt,
    title: row.title,
    descriptionPt: row.descriptionPt,
    category,
    markers: MARKERS.filter((m) => markers.has(m)),
    estimate,
    deadlineMinutes: row.deadlineMinutes,
    verifies: row.verifies,
    defect:
      typeof row.defect === 'string'
        ? { name: row.defect, description: DEFECTS[row.defect].description, check: DEFECTS[row.defect].check }
        : { ...row.defect },
  };
  // Only implemented scenarios carry the key, so `'workflowType' in spec` and JSON agree.
  if (row.workflowType !== undefined) spec.workflowType = row.workflowType;
  return spec;
}
