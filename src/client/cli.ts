/**
 * `dumont-e2e <command>`: the one entry point (bin/dumont-e2e.cjs). Each command lives in `commands/` and
 * returns its exit code: 0 success, 1 a run that failed or leaked, 2 bad input or an unusable environment, 5 a run
 * that executed no scenario (`exit-codes.ts`).
 */
import { isExpectedError, OPERATIONAL_EXIT_CODE, oneLine } from './operational-error';

const HELP = `dumont-e2e — durable end-to-end tests for a GPU cloud, on Temporal

Usage: dumont-e2e <command> [options]

Commands:
  run       run scenarios (starts the embedded stack when the target is the simulator)
  plan      what a run would execute, cost and take, before anything starts (= run --dry-run)
  list      list the 100 scenarios (or a selection) and which are implemented
  stack     up | down | status [--json]: Temporal dev server, simulator and worker
  worker    run a worker: for the platform in the environment, or else for the running local stack
  sim       run the GPU cloud simulator in the foreground; 'sim state --json' prints its state
  sweep     destroy labelled resources no running workflow owns (--dry-run to only list them)
  schedule  create | list | describe | trigger | pause | unpause | delete: nightly runs as Temporal Schedules
  report    rebuild a suite's reports (JSON, JUnit, HTML, markdown) from Temporal: report --suite ID
  contract  probe every route the scenarios need, without renting anything: which the platform has, which scenarios can run

Run 'dumont-e2e <command> --help' for the options of a command.

Exit codes: 0 success; 1 a run with a failed or skipped scenario, or a leak; 2 bad input or an unusable
environment (nothing started); 5 a run (or plan) that executed no scenario (nothing selected is implemented,
every one was skipped, or the budget refused the plan); 130/143 a run stopped by SIGINT/SIGTERM.
`;

type Command = (argv: string[]) => Promise<number>;

// Loaded on demand (`require`, which the tsx hook covers) so `sim` does not pay for the Temporal SDK and vice versa.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => Command> = {
  run: () => require('./commands/run').runCommand,
  plan: () => require('./commands/plan').planCommand,
  list: () => require('./commands/list').listCommand,
  stack: () => require('./commands/stack').stackCommand,
  worker: () => require('./commands/worker').workerCommand,
  sim: () => require('./commands/sim').simCommand,
  sweep: () => require('./commands/sweep').sweepCommand,
  schedule: () => require('./commands/schedule').scheduleCommand,
  report: () => require('./commands/report').reportCommand,
  contract: () => require('./commands/contract').contractCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The commands, as `dumont-e2e --help` lists them (the hostile-input tests walk them all). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`dumont-e2e: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await load()(rest);
  } catch (err) {
    // Bad input and an unusable environment: one line with the fix, exit 2, no stack trace.
    if (isExpectedError(err)) {
      process.stderr.write(`dumont-e2e ${name}: ${oneLine(err)}\n`);
      return OPERATIONAL_EXIT_CODE;
    }
    throw err;
  }
}

/** Runs the CLI as a process: exit code from the command, stack trace for the unexpected. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`dumont-e2e: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  );
}
