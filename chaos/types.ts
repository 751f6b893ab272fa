/**
 * The shapes every part of the chaos campaign (`npm run chaos`) shares: a part runs its trials and returns one
 * {@link ChaosRow} per trial; the runner prints them as one table and writes them to `chaos/results/`.
 */

/** How one trial ended, worst first: anything but `ok` fails the campaign. */
export type ChaosOutcome = 'ok' | 'lost' | 'leaked' | 'false-failure' | 'error';

/** A scenario that failed only because of what the trial did to the stack, and why it failed. */
export interface FalseFailure {
  /** The scenario's slug, e.g. `s006-pause-resume`. */
  scenario: string;
  /** The scenario's error or failed checks, as its result states them. */
  why: string;
}

/** One trial of one part. */
export interface ChaosRow {
  /** The part, e.g. `worker-crash`, `server-crash`, `cli-crash`, `termination`, `soak-20`, `hostile-platform`. */
  part: string;
  /** The trial's name inside the part (a number, or what was done: `malformed-json`). */
  trial: string;
  /** The seed that makes this trial repeatable (`npm run chaos -- --seed <n>` reproduces the campaign). */
  seed: number;
  outcome: ChaosOutcome;
  /** Scenarios (or workflows) that never reached a terminal state. */
  lost: number;
  /** Resources still alive at the simulator (or on the account) once the trial ended. */
  leaked: number;
  falseFailures: FalseFailure[];
  /** One line: what was done and what was seen (the kill moment, the scenarios run, the error). */
  detail: string;
  /** Wall-clock seconds the trial took. */
  seconds?: number;
}

/** What the runner hands every part. */
export interface ChaosOptions {
  /** The campaign's seed; each part derives its trials' seeds from it. */
  seed: number;
  /** A few trials only (what `.ci/run` runs), instead of the full campaign. */
  short: boolean;
  /** A folder the part may write into (logs, data dirs); removed by the runner unless `--keep`. */
  workDir: string;
  /** Progress lines (the runner prints them on stderr). */
  log: (line: string) => void;
  /** Optional: a part may report each row as soon as it has it (the runner then saves the results file at once). */
  onRow?: (row: ChaosRow) => void;
}

/** A part of the campaign: a module under `chaos/parts/` exporting `run`. */
export interface ChaosPart {
  run(opts: ChaosOptions): Promise<ChaosRow[]>;
}

/** The outcome a row gets from its counts: lost beats leaked beats false failures. */
export function outcomeOf(counts: { lost: number; leaked: number; falseFailures: FalseFailure[] }): ChaosOutcome {
  if (counts.lost > 0) return 'lost';
  if (counts.leaked > 0) return 'leaked';
  if (counts.falseFailures.length > 0) return 'false-failure';
  return 'ok';
}
