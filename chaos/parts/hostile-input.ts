/**
 * Chaos part `hostile-input` (docs/hostile.md): the hostile command-line table, one row per command line (each row
 * counts its cases), plus whether anything was executed or started. Workflow inputs are covered by
 * tests/workflows/suite-input.test.ts, which needs a Temporal server of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChaosOptions, ChaosRow } from '../types';
import { cliRun, hostileCases, invocations, refusalProblem } from './hostile-input-cases';

/** Runs the table with the CLI's environment pointed at a data dir under `workDir` and an unreachable Temporal. */
export async function run(opts: ChaosOptions): Promise<ChaosRow[]> {
  const saved = { ...process.env };
  const dataDir = path.join(opts.workDir, 'hostile-input');
  fs.mkdirSync(dataDir, { recursive: true });
  const marker = path.join(dataDir, 'pwned');
  for (const k of Object.keys(process.env)) if (/^(DUMONT_|VAST_|TEMPORAL_|SIM_)/.test(k)) delete process.env[k];
  process.env.DUMONT_E2E_DATA_DIR = path.join(dataDir, 'data');
  process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
  process.env.SIM_API_KEY = 'hostile-input-chaos-key';
  const rows: ChaosRow[] = [];
  // Each row is handed to the runner as soon as it exists (it saves the results file at once).
  const push = (row: ChaosRow): void => {
    rows.push(row);
    opts.onRow?.(row);
  };
  try {
    const all = await invocations();
    const cases = hostileCases(all, marker);
    for (const { prefix } of all) {
      const started = Date.now();
      const mine = cases.filter(
        (c) => c.args.slice(0, prefix.length).join(' ') === prefix.join(' ') && c.args.length === prefix.length + 1
      );
      const problems: string[] = [];
      for (const c of mine) {
        const problem = refusalProblem(await cliRun(c.args), c);
        if (problem) problems.push(`${c.args.slice(prefix.length).join(' ').slice(0, 40)} (${c.what}): ${problem}`);
      }
      push({
        part: 'hostile-input',
        trial: prefix.join(' '),
        seed: opts.seed,
        outcome: problems.length ? 'error' : 'ok',
        lost: 0,
        leaked: 0,
        falseFailures: [],
        detail: problems.length
          ? problems.slice(0, 3).join(' | ')
          : `${mine.length} hostile values refused with exit 2, naming them`,
        seconds: (Date.now() - started) / 1000,
      });
    }
    const executed = fs.existsSync(marker);
    const started = fs.existsSync(path.join(dataDir, 'data', 'stack.json'));
    push({
      part: 'hostile-input',
      trial: 'nothing executed or started',
      seed: opts.seed,
      outcome: executed || started ? 'error' : 'ok',
      lost: 0,
      leaked: 0,
      falseFailures: [],
      detail: `${cases.length} cases; shell marker ${executed ? 'CREATED' : 'absent'}; stack file ${started ? 'WRITTEN' : 'absent'}`,
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return rows;
}
