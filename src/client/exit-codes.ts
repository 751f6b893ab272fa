/**
 * The exit codes of `dumont-e2e`, in one place (docs/running.md § Exit codes). Like pytest's 5 ("no tests
 * collected"), a run that executed no scenario is not a success: a nightly job on a selection with nothing
 * implemented, or refused by its budget, must not stay green.
 */
export const EXIT = {
  /** Every selected implemented scenario ran and passed, nothing leaked. */
  ok: 0,
  /** A scenario failed or was skipped (budget, cancel), or something leaked. */
  failed: 1,
  /** Bad input or an unusable environment: nothing was started. */
  usage: 2,
  /** No scenario was executed: every selected one is not implemented or was skipped, or the plan was refused. */
  nothingRan: 5,
} as const;

/** Counts of a finished run, as the report's summary has them. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  leaked: number;
}

/**
 * The exit code of a finished run: 1 when something failed or leaked (even if nothing else ran), else 5 when no
 * scenario was executed (passed or failed), else 1 when some were skipped, else 0.
 */
export function runExitCode(c: RunCounts): number {
  if (c.failed > 0 || c.leaked > 0) return EXIT.failed;
  if (c.passed === 0) return EXIT.nothingRan;
  return c.skipped > 0 ? EXIT.failed : EXIT.ok;
}
