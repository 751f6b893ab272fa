import { selectScenarios } from '../../catalog/selection';
import { scenarioKey } from '../../catalog/types';
import { parseFlags, UsageError } from './usage';

const HELP = `Usage: dumont-e2e list [--select EXPR] [--json]

Lists the scenarios of the catalog (all 100 by default) with category, markers, estimate and whether a
workflow implements them. EXPR: numbers and ranges (1-15,53), categories, markers, and/or/not, parentheses.
`;

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
    throw new UsageError(`--select: ${(err as Error).message}`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(specs, null, 2)}\n`);
    return 0;
  }
  for (const s of specs) {
    const state = s.workflowType ? 'implemented    ' : 'not-implemented';
    process.stdout.write(
      `${scenarioKey(s).padEnd(40)} ${s.category.padEnd(10)} ${state} ${s.estimate.gpuMinutes} GPU-min $${s.estimate.costUsd.toFixed(2)}  ${s.markers.join(',')}\n`
    );
  }
  const implemented = specs.filter((s) => s.workflowType).length;
  process.stdout.write(`${specs.length} scenarios, ${implemented} implemented\n`);
  return 0;
}
