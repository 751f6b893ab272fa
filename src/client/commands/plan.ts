import { loadConfig } from '../../config';
import { DEFAULT_SIM_TIME_SCALE } from '../../workflows/validate';
import { EXIT } from '../exit-codes';
import { formatPlan } from '../plan/format-plan';
import { planRunsNothing } from '../plan/plan';
import { planFor } from '../plan/plan-for';
import { defaultMaxParallel } from '../scheduling/parallelism';
import { intFlag, numberFlag, parseFlags, targetFlag } from './usage';

const HELP = () => `Usage: dumont-e2e plan [options]      (same as 'dumont-e2e run --dry-run')

Lists the scenarios a run would execute, with estimated GPU-minutes, cost and wall time, and the run's totals,
before anything is started or rented: like a plan before apply. Estimates are the catalogue's (the seed's cost
table spread over its scenarios), refined by the local history of earlier runs on the same target where there is
one (the source column says which). Wall time is per scenario at the time scale, and for the run with
--max-parallel scenarios at once.

With --budget-usd it says whether the plan fits: a run whose plan exceeds the budget is refused before anything
is rented, unless --run-what-fits.

Exit code: 0 when the run would execute scenarios; 5 when it would execute none (nothing selected is
implemented, or the budget refuses the plan); 2 for bad input.

Options:
  --select EXPR            numbers/ranges (1-15,53), categories, markers, and/or/not, parentheses (default all)
  --target sim|dumont      whose history refines the estimates (default sim)
  --max-parallel N         scenarios at once, for the run's wall time (default as 'run': on sim 8 per CPU core
                           within 4..48, i.e. ${defaultMaxParallel('sim')} on this machine; on dumont ${defaultMaxParallel('dumont')})
  --time-scale X           platform-time multiplier (default 0.02 on sim, 1 on dumont)
  --budget-usd X           check the plan against this budget
  --run-what-fits          with --budget-usd: a plan over the budget would run what fits instead of being refused
  --json                   print the plan as JSON
`;

/** `dumont-e2e plan`. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    select: { type: 'string' },
    target: { type: 'string' },
    'max-parallel': { type: 'string' },
    'time-scale': { type: 'string' },
    'budget-usd': { type: 'string' },
    'run-what-fits': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP());
    return 0;
  }
  const target = targetFlag(values.target);
  const timeScale =
    numberFlag('time-scale', values['time-scale'], 0, 10, true) ?? (target === 'sim' ? DEFAULT_SIM_TIME_SCALE : 1);
  const config = loadConfig(process.env, { DUMONT_E2E_TARGET: target });
  const plan = await planFor({
    select: values.select ?? 'all',
    target,
    maxParallel: intFlag('max-parallel', values['max-parallel'], 1, 100) ?? defaultMaxParallel(target),
    timeScale,
    ...(values['budget-usd'] !== undefined
      ? { budgetUsd: numberFlag('budget-usd', values['budget-usd'], 0, 1e6)! }
      : {}),
    runWhatFits: values['run-what-fits'] ?? false,
    dataDir: config.dataDir,
  });
  process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n`);
  return planRunsNothing(plan) ? EXIT.nothingRan : EXIT.ok;
}
