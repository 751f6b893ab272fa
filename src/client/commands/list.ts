import { selectScenarios } from '../../catalog/selection';
import { scenarioKey, type ScenarioSpec } from '../../catalog/types';
import { DEFECTS } from '../../sim/defect-registry';
import { parseFlags, shown, UsageError } from './usage';

const HELP = `Usage: dumont-e2e list [--select EXPR] [--json]

Lists the scenarios of the catalog (all 100 by default) with category, markers, estimate and whether a
workflow implements them; for an implemented one, the simulator defects it must catch and the check id each
breaks (defect [check-id]). EXPR: numbers and ranges (1-15,53), categories, markers, and/or/not, parentheses.
`;

/**
 * `gpu-model-mismatch [gpus-visible]`: the catalog's defect of an implemented scenario first, then any other the
 * simulator declares for it, each with the check id it breaks; empty for a scenario not implemented yet.
 */
export function defectColumn(spec: ScenarioSpec): string {
  if (!spec.workflowType) return '';
  const others = Object.values(DEFECTS).filter((d) => d.scenario === spec.id && d.name !== spec.defect.name);
  return [{ name: spec.defect.name, check: spec.defect.check ?? '?' }, ...others]
    .map((d) => `${d.name} [${d.check}]`)
    .join(', ');
}

export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    select: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let specs;
  try {
    specs = selectScenarios(values.select);
  } catch (err) {
    throw new UsageError(`--select ${shown('select', values.select ?? '')}: ${(err as Error).message}`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(specs, null, 2)}\n`);
    return 0;
  }
  for (const s of specs) {
    const state = s.workflowType ? 'implemented    ' : 'not-implemented';
    const defects = defectColumn(s);
    process.stdout.write(
      `${scenarioKey(s).padEnd(40)} ${s.category.padEnd(10)} ${state} ${s.estimate.gpuMinutes} GPU-min $${s.estimate.costUsd.toFixed(2)}  ${s.markers.join(',')}${defects ? `  defects: ${defects}` : ''}\n`
    );
  }
  const implemented = specs.filter((s) => s.workflowType).length;
  process.stdout.write(`${specs.length} scenarios, ${implemented} implemented\n`);
  return 0;
}
