import { Client, ScheduleNotFoundError } from '@temporalio/client';
import { selectScenarios } from '../../catalog/selection';
import { loadConfig } from '../../config';
import { createSuiteSchedule, describeSchedule, triggerSchedule, validateCron } from '../schedules';
import { stackStatus } from '../stack/stack';
import { connectTemporalChecked } from '../temporal-connection';
import { intFlag, numberFlag, parseFlags, shown, targetFlag, UsageError } from './usage';
import { safeReportUrl } from '../../workflows/suite-details';

const HELP = `Usage: dumont-e2e schedule <verb> [options]

Nightly runs as Temporal Schedules (visible in the Web UI under Schedules):
  create [--id ID] [--cron '0 2 * * *'] [--time-zone UTC] [--select EXPR] [--target sim|dumont]
         [--max-parallel N] [--budget-usd X [--run-what-fits]] [--report-url URL] [--paused]
                      a schedule starting SuiteWorkflow (default id dumont-e2e-nightly, 02:00 UTC daily); with
                      --budget-usd a night whose plan exceeds X is refused before renting (all scenarios
                      skipped) unless --run-what-fits, and each scenario starts only if it fits (see run --help);
                      --report-url: where each night's HTML report is served, '{suite}' standing for the
                      suite's reports directory (e.g. https://ci.example/e2e/{suite}/report.html): the Web UI's
                      scenario details link to it
  create --reaper [--id ID] [--cron '*/15 * * * *'] [--target sim|dumont]
                      a schedule running the ReaperWorkflow for real (not dry; default id dumont-e2e-reaper)
  list                the schedules on the server
  describe ID         what it runs, when next, what it ran last
  trigger ID          run it now (its overlap policy applies: a run still going is not doubled)
  pause ID | unpause ID | delete ID
Overlap is SKIP and the catch-up window 2 h; no workflow timeout is ever set (it would skip cleanup). The
worker of the target must be running (for dumont: a worker with the real credentials, e.g. docker compose).
Temporal: the local stack's when it runs, else TEMPORAL_ADDRESS (default 127.0.0.1:7233), namespace
TEMPORAL_NAMESPACE (default 'default'), which must exist and have the harness's search attributes (missing
ones are registered where permitted; otherwise exit 2 with the command that creates them).
`;

/** Schedule ids: what Temporal shows in its UI and CLI, kept to characters no shell or URL needs to quote. */
const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      id: { type: 'string' },
      cron: { type: 'string' },
      'time-zone': { type: 'string' },
      select: { type: 'string' },
      target: { type: 'string' },
      'max-parallel': { type: 'string' },
      'budget-usd': { type: 'string' },
      'run-what-fits': { type: 'boolean' },
      'report-url': { type: 'string' },
      paused: { type: 'boolean' },
      reaper: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true
  );
  const [verb, name] = positionals;
  if (values.help || !verb) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const verbs = ['create', 'list', 'describe', 'trigger', 'pause', 'unpause', 'delete'];
  if (!verbs.includes(verb)) throw new UsageError(`unknown verb '${verb}' (${verbs.join(', ')})`);
  if (!['create', 'list'].includes(verb) && !name) throw new UsageError(`schedule ${verb} needs a schedule id`);
  for (const [flag, id] of [
    ['--id', values.id],
    ['schedule id', name],
  ] as const) {
    if (id !== undefined && !SCHEDULE_ID.test(id)) {
      throw new UsageError(
        `${flag} ${JSON.stringify(id.slice(0, 60))}: expected 1..200 characters of A-Z a-z 0-9 . _ -`
      );
    }
  }
  if (values['time-zone'] !== undefined && !isTimeZone(values['time-zone'])) {
    throw new UsageError(
      `--time-zone ${JSON.stringify(values['time-zone'].slice(0, 60))}: not an IANA time zone (e.g. UTC, Europe/Paris)`
    );
  }
  const target = targetFlag(values.target);
  const suite =
    verb === 'create' && !values.reaper
      ? {
          select: values.select ?? 'all',
          target,
          maxParallel: intFlag('max-parallel', values['max-parallel'], 1, 100) ?? 4,
          ...(values['budget-usd'] ? { budgetUsd: numberFlag('budget-usd', values['budget-usd'], 0, 1e6) } : {}),
          ...(values['run-what-fits'] ? { runWhatFits: true } : {}),
          ...(values['report-url'] ? { reportUrl: reportUrlFlag(values['report-url']) } : {}),
        }
      : undefined;
  if (suite) {
    try {
      selectScenarios(suite.select);
    } catch (err) {
      throw new UsageError(`--select ${shown('select', suite.select)}: ${(err as Error).message}`);
    }
  }

  if (values.cron !== undefined) {
    try {
      validateCron(values.cron);
    } catch (err) {
      throw new UsageError(`--${(err as Error).message}`);
    }
  }

  const config = loadConfig(process.env);
  let address = config.temporalAddress;
  if (!process.env.TEMPORAL_ADDRESS) {
    const status = await stackStatus();
    if (status.temporal.running) address = status.temporal.address;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const connection = await connectTemporalChecked(address, config.namespace, out);
  const client = new Client({ connection, namespace: config.namespace });
  try {
    switch (verb) {
      case 'create': {
        let id: string;
        try {
          id = await createSuiteSchedule(client, {
            id: values.id,
            cron: values.cron,
            timeZone: values['time-zone'],
            suite,
            ...(values.reaper ? { reaper: { target } } : {}),
            paused: values.paused,
          });
        } catch (err) {
          if ((err as Error).name === 'ScheduleAlreadyRunning')
            throw new UsageError(`schedule ${values.id ?? ''} already exists (delete it first)`);
          throw err;
        }
        out(describeSchedule(id, await client.schedule.getHandle(id).describe()));
        return 0;
      }
      case 'list':
        for await (const s of client.schedule.list()) out(`${s.scheduleId}${s.state.paused ? ' (paused)' : ''}`);
        return 0;
      case 'describe':
        out(describeSchedule(name, await client.schedule.getHandle(name).describe()));
        return 0;
      case 'trigger':
        await triggerSchedule(client, name);
        out(`triggered ${name}`);
        return 0;
      case 'pause':
      case 'unpause':
        await client.schedule.getHandle(name)[verb](`dumont-e2e schedule ${verb}`);
        out(`${verb}d ${name}`);
        return 0;
      default:
        await client.schedule.getHandle(name).delete();
        out(`deleted ${name} (runs it started are left to finish)`);
        return 0;
    }
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new UsageError(`no schedule '${name}' on ${address}`);
    throw err;
  } finally {
    await connection.close();
  }
}

/** `--report-url`: http(s) or file, without credentials or a query string (they would show in the Web UI). */
function reportUrlFlag(value: string): string {
  if (!safeReportUrl(value.replace(/\{suite\}/g, 'x'))) {
    // Echo it without what may be a credential: the user info and the query string.
    const shown = value.replace(/\/\/[^/@]*@/, '//***@').replace(/\?.*$/, '?***');
    throw new UsageError(
      `--report-url ${JSON.stringify(shown)}: expected an http(s):// or file:// URL without user info or query string`
    );
  }
  return value;
}
