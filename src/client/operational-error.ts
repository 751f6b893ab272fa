/**
 * Expected operational errors: the environment, not the harness, is in the way (a port in use, no Python for the
 * CLI install, a stack command already running, a simulator holding live suites). The CLI prints the message as
 * ONE line that says the fix and exits {@link OPERATIONAL_EXIT_CODE}, never with a stack trace: a trace is kept
 * for the unexpected.
 */
import { ConfigError } from '../config';

/** Exit code of bad input and of an unusable environment (the same as usage errors). */
export const OPERATIONAL_EXIT_CODE = 2;

/** An expected problem of the environment; the message names it and says how to fix it, in one line. */
export class OperationalError extends Error {
  override name = 'OperationalError';
}

/**
 * Whether `err` is one the CLI answers in one line with exit 2: an {@link OperationalError}, a configuration or a
 * usage error. By name too, so a copy of these classes loaded twice (the tsx hook, vitest) still counts.
 */
export function isExpectedError(err: unknown): err is Error {
  if (err instanceof OperationalError || err instanceof ConfigError) return true;
  const name = err instanceof Error ? err.name : undefined;
  return name === 'OperationalError' || name === 'ConfigError' || name === 'UsageError';
}

/** The one line printed for an expected error: the first line of its message (any detail stays in the logs). */
export function oneLine(err: Error): string {
  return err.message.split('\n')[0]!.trim();
}
