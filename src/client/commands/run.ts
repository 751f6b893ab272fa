import {
  CancelledFailure,
  Client,
  WorkflowFailedError,
  type Connection,
  type WorkflowHandle,
} from '@temporalio/client';
import path from 'node:path';
import { selectScenarios } from '../../catalog/selection';
import { loadConfig, REPO_ROOT, requireCredentials } from '../../config';
import { createWorkers, type WorkerHandle } from '../../worker';
import { progressQuery } from '../../workflows/suite';
import { TASK_QUEUE } from '../../workflows/search-attributes';
import type { ScenarioResult, SuiteInput, SuiteProgress, SuiteResult } from '../../workflows/types';
import { DEFAULT_SIM_TIME_SCALE } from '../../workflows/validate';
import { formatHistoryMarks, formatProgressLine, formatSuiteSummary } from '../reporters/console';
import { webUiBaseFor } from '../reporters/context';
import { toMarkdownSummary } from '../reporters/markdown';
import { writeTextFile } from '../reporters/write-file';
import { buildReportInput } from '../report-builder';
import { writeHtmlReport } from '../reporters/html';
import { writeJsonReport } from '../reporters/json';
import { writeJunitReport } from '../reporters/junit';
import { summarize } from '../reporters/summary';
import { cancelledSuiteResult } from '../cancelled-suite';
import { createCleanupPrinter, handleRunSignals, SIGNAL_EXIT_CODE, sweepCommand } from '../run-interrupt';
import { installRuntimeWithoutSignalHandlers } from '../runtime';
import { DEFAULT_SIM_PROFILE, isSimProfile, SIM_PROFILES } from '../../sim/profiles';
import { ensureStackForRun } from '../stack/run-stack';
import { EXIT, runExitCode } from '../exit-codes';
import { formatPlan } from '../plan/format-plan';
import { planRunsNothing, refinedEstimates } from '../plan/plan';
import { planFor } from '../plan/plan-for';
import { createLiveProgress } from '../reporters/progress';
import { suiteDetails } from '../../workflows/suite-details';
import { pathToFileURL } from 'node:url';
import { connectTemporalChecked } from '../temporal-connection';
import { intFlag, numberFlag, parseFlags, shown, targetFlag, UsageError } from './usage';
import { earlierDurations } from '../scheduling/durations';
import { defaultMaxParallel } from '../scheduling/parallelism';

const HELP = `Usage: dumont-e2e run [options]

Runs the selected scenarios as one SuiteWorkflow and writes reports. On the simulator target the embedded
stack (Temporal dev server, simulator, worker) is started when none runs, and stopped afterwards unless
--keep-stack. On a terminal a status line shows done/total, the scenarios running, cost and leaks so far; when
stdout is not a terminal (CI logs, pipes) it prints one line per event instead.

Exit codes: 0 every selected implemented scenario passed and nothing leaked; 1 a scenario failed or was skipped,
or something leaked; 2 bad input or a Temporal server that lacks what the harness needs (nothing is started);
5 no scenario was executed (nothing selected is implemented, every one was skipped, or --budget-usd refused the
plan: nothing is rented then); 130 or 143 after SIGINT or SIGTERM.

Before starting anything it checks that the Temporal namespace (TEMPORAL_NAMESPACE, default 'default') exists and
has the harness's search attributes; missing ones are registered where the server permits it, otherwise it stops
with the 'temporal operator search-attribute create' command to run.

Signals: the first Ctrl-C (SIGINT) or SIGTERM cancels the suite; every scenario destroys what it rented (the
worker of --target dumont, which runs in this process, stays up for that), the scenarios still cleaning up are
shown, then the reports are written. A second one leaves at once, printing the suite id, its label prefix and
the 'npx dumont-e2e sweep --target ...' command that destroys what is left.

Options:
  --target sim|dumont      where to run (default sim); dumont needs DUMONT_API_URL, DUMONT_EMAIL and
                           DUMONT_PASSWORD (or DUMONT_TOKEN), VAST_API_KEY and DUMONT_E2E_KEY_SECRET
                           (≥32 characters, the secret suite SSH keys are derived from) in the environment
  --select EXPR            numbers/ranges (1-15,53), categories, markers, and/or/not, parentheses (default all)
  --max-parallel N         scenarios at once (default on sim: 8 per CPU core, within 4..48, i.e. ${defaultMaxParallel('sim')}
                           on this machine; on dumont 4). Scenarios start longest first: by their durations in
                           earlier runs (the run history under the data dir, run-history.jsonl), else the catalogue's
                           estimates
  --budget-usd X           a cap (default none): a plan whose estimate exceeds X is refused before anything is
                           rented (exit 5), and a scenario starts only if the spend so far, plus what running
                           scenarios commit (the larger of their estimate and their bill now), plus its own
                           estimate fits in X
  --run-what-fits          with --budget-usd: run the scenarios that fit instead of refusing a plan over budget
  --dry-run                print the plan (as 'dumont-e2e plan') and start nothing
  --quiet                  no progress output: only the summary and the report paths
  --time-scale X           simulator clock (default 0.02: one platform minute lasts 1.2 s)
  --profile NAME           target sim only: the simulator's profile, one of ${SIM_PROFILES.join(', ')} (default ${DEFAULT_SIM_PROFILE}
                           when this run starts the simulator; a running stack's simulator is kept with its
                           profile unless --profile names another one, which restarts it and its worker, as
                           'stack up --profile' does; not with TEMPORAL_ADDRESS, whose simulator is your own)
  --json FILE              JSON report (default reports/report.json)
  --junit FILE             JUnit XML report (default reports/junit.xml)
  --html FILE              HTML report (default reports/report.html)
  --markdown FILE          markdown summary for CI job summaries (default reports/summary.md)
  --keep-stack             leave a stack this command started running (to browse the Web UI)
`;

/** Prints the live progress of a suite: a line per scenario started, a line per result, counted up to N/N. */
export interface ProgressPrinter {
  /** Lines for what a progress query shows that was not printed yet. */
  update(progress: Pick<SuiteProgress, 'total' | 'running' | 'results'>): void;
  /** Lines for the results the polls missed (those finished after the last query), ending at `[N/N]`. */
  finish(result: Pick<SuiteResult, 'scenarios'>): void;
}

/**
 * The progress lines of `dumont-e2e run`. The counter is the number of results known, so each line's counter is one
 * more than the previous one's (the workflow's own `done` would repeat when a poll brings several results).
 * Scenarios not implemented yet are counted but not listed one by one: a batch of them is one `TODO` line, printed
 * before that batch's results, so the last line of every batch carries the batch's final count.
 */
export function createProgressPrinter(log: (line: string) => void): ProgressPrinter {
  const seen = new Set<number>();
  const started = new Set<string>();
  const report = (results: readonly ScenarioResult[], total: number): void => {
    const fresh = results.filter((r) => !seen.has(r.id));
    for (const r of fresh) seen.add(r.id);
    let done = seen.size - fresh.length;
    const todo = fresh.filter((r) => r.status === 'not-implemented');
    if (todo.length === 1) log(formatProgressLine(todo[0]!, ++done, total));
    else if (todo.length > 1) {
      done += todo.length;
      log(
        `[${String(done).padStart(String(total).length)}/${total}] TODO ${todo.length} scenarios not implemented yet`
      );
    }
    for (const r of fresh) if (r.status !== 'not-implemented') log(formatProgressLine(r, ++done, total));
  };
  return {
    update(p) {
      for (const r of p.running) {
        if (started.has(r)) continue;
        started.add(r);
        log(`  … ${r.split('/').pop()} started`);
      }
      report(p.results, p.total);
    },
    finish(result) {
      report(result.scenarios, result.scenarios.length);
    },
  };
}

function suiteId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `e2e-${t}-${Math.random().toString(36).slice(2, 6)}`;
}

/** `--profile`: a simulator profile, for the local stack's simulator only. */
function profileFlag(value: string | undefined, target: 'sim' | 'dumont'): string | undefined {
  const fromEnv = process.env.DUMONT_E2E_SIM_PROFILE;
  if (value === undefined) {
    // The stack's simulator would take it (as `stack up` does): a bad one is bad input, before anything starts.
    if (target === 'sim' && fromEnv && !isSimProfile(fromEnv))
      throw new UsageError(
        `DUMONT_E2E_SIM_PROFILE=${JSON.stringify(fromEnv)}: expected one of ${SIM_PROFILES.join(', ')}`
      );
    return undefined;
  }
  if (target !== 'sim') {
    throw new UsageError(
      `--profile ${JSON.stringify(value)}: profiles are the simulator's; --target dumont runs against the real platform`
    );
  }
  if (process.env.TEMPORAL_ADDRESS) {
    throw new UsageError(
      `--profile ${JSON.stringify(value)}: with TEMPORAL_ADDRESS set, run uses your own Temporal server and worker, ` +
        "not the local stack's simulator; start your simulator with 'dumont-e2e sim --profile NAME' instead"
    );
  }
  if (!isSimProfile(value))
    throw new UsageError(`--profile ${JSON.stringify(value)}: expected one of ${SIM_PROFILES.join(', ')}`);
  return value;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    target: { type: 'string' },
    select: { type: 'string' },
    'max-parallel': { type: 'string' },
    'budget-usd': { type: 'string' },
    'time-scale': { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    html: { type: 'string' },
    markdown: { type: 'string' },
    'keep-stack': { type: 'boolean' },
    'run-what-fits': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Validate everything before starting anything.
  const target = targetFlag(values.target);
  const select = values.select ?? 'all';
  let selectedCount: number;
  try {
    selectedCount = selectScenarios(select).length;
  } catch (err) {
    throw new UsageError(`--select ${shown('select', select)}: ${(err as Error).message}`);
  }
  const maxParallel = intFlag('max-parallel', values['max-parallel'], 1, 100) ?? defaultMaxParallel(target);
  const budgetUsd = numberFlag('budget-usd', values['budget-usd'], 0, 1e6);
  const requestedScale = numberFlag('time-scale', values['time-scale'], 0, 10, true);
  const profile = profileFlag(values.profile, target);
  const reports = {
    json: path.resolve(values.json ?? path.join(REPO_ROOT, 'reports', 'report.json')),
    junit: path.resolve(values.junit ?? path.join(REPO_ROOT, 'reports', 'junit.xml')),
    html: path.resolve(values.html ?? path.join(REPO_ROOT, 'reports', 'report.html')),
    markdown: path.resolve(values.markdown ?? path.join(REPO_ROOT, 'reports', 'summary.md')),
  };
  const config = loadConfig(process.env, { DUMONT_E2E_TARGET: target });
  const runWhatFits = values['run-what-fits'] ?? false;
  const plan = await planFor({
    select,
    target,
    maxParallel,
    timeScale: requestedScale ?? (target === 'sim' ? DEFAULT_SIM_TIME_SCALE : 1),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    runWhatFits,
    dataDir: config.dataDir,
  });
  if (values['dry-run'] || (plan.budget && !plan.budget.fits && !runWhatFits)) {
    // A dry run, or a plan the budget refuses: nothing is started, let alone rented.
    process.stdout.write(`${formatPlan(plan)}\n`);
    return planRunsNothing(plan) ? EXIT.nothingRan : EXIT.ok;
  }
  if (target === 'dumont') requireCredentials(config);

  // Signals are ours: the SDK must not stop the in-process worker on the first Ctrl-C (its compensations need it).
  installRuntimeWithoutSignalHandlers();
  const live = createLiveProgress(process.stdout, { quiet: values.quiet });
  const log = (line: string) => live.line(line);
  let address = config.temporalAddress;
  let timeScale = target === 'sim' ? (requestedScale ?? DEFAULT_SIM_TIME_SCALE) : (requestedScale ?? 1);
  let stopStack: (() => Promise<void>) | undefined;
  let worker: WorkerHandle | undefined;
  let workerDone: Promise<void> | undefined;
  let connection: Connection | undefined;
  let handle: WorkflowHandle | undefined;
  let running: readonly string[] = [];
  let closed = false;
  let stackStartedHere = false;
  const cleanup = createCleanupPrinter(log);
  let cancelSent: Promise<unknown> | undefined;
  const cancel = (): void => {
    const suite = handle;
    if (!suite) return;
    const sent = suite.cancel();
    cancelSent = sent;
    sent
      .then(
        // Say at once which scenarios are cleaning up (the progress loop goes on saying it every half second).
        () => suite.query(progressQuery).then((p) => !closed && cleanup(p)),
        (err: unknown) => log(`could not cancel the suite: ${(err as Error).message}`)
      )
      .catch(() => undefined);
  };
  const signals = handleRunSignals({
    log,
    onFirst: () => {
      if (!closed) cancel();
    },
    state: () => ({ target, suiteId: handle?.workflowId, closed, running, stackStartedHere }),
    pending: () => cancelSent,
  });
  const interrupted = (): number | undefined => signals.received && SIGNAL_EXIT_CODE[signals.received];
  try {
    let simProfile: string | undefined;
    if (target === 'sim' && !process.env.TEMPORAL_ADDRESS) {
      const stack = await ensureStackForRun({ timeScale: requestedScale, profile, log });
      address = stack.temporalAddress;
      timeScale = stack.timeScale;
      simProfile = stack.profile;
      stackStartedHere = stack.startedByUs;
      if (stack.startedByUs && !values['keep-stack']) stopStack = stack.stop;
    }
    if (interrupted()) return interrupted()!;
    connection = await connectTemporalChecked(address, config.namespace, log);
    const client = new Client({ connection, namespace: config.namespace });
    if (target === 'dumont') {
      // A worker in this process holds the real credentials for the length of the run, cleanup included.
      worker = await createWorkers({ ...config, temporalAddress: address });
      workerDone = worker.run();
    }
    if (interrupted()) return interrupted()!;
    const id = suiteId();
    const input: SuiteInput = {
      select,
      target,
      maxParallel,
      timeScale,
      durationHints: await earlierDurations(config.dataDir, target, timeScale),
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
      ...(runWhatFits ? { runWhatFits } : {}),
      ...(Object.keys(refinedEstimates(plan)).length ? { estimatesUsd: refinedEstimates(plan) } : {}),
      reportUrl: pathToFileURL(reports.html).href,
    };
    handle = await client.workflow.start('SuiteWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: id,
      args: [input],
      staticSummary: `dumont-e2e ${select} on ${target}`.slice(0, 200),
      staticDetails: suiteDetails({ ...input, select, target, scenarios: selectedCount }),
    });
    // A signal while the start was in flight found no suite to cancel.
    if (signals.received) cancel();
    const ui =
      address.startsWith('127.0.0.1:7233') || address.startsWith('localhost:7233')
        ? 'http://localhost:8233'
        : undefined;
    const profileNote = simProfile ? `profile ${simProfile}, ` : '';
    log(
      `suite ${id}: ${selectedCount} scenarios on ${target} (${profileNote}max ${maxParallel} at once, timeScale ${timeScale})`
    );
    if (ui) log(`  Web UI: ${ui}/namespaces/${config.namespace}/workflows/${encodeURIComponent(id)}`);

    const progress = createProgressPrinter(values.quiet ? () => undefined : log);
    let last: SuiteProgress | undefined;
    let finished = false;
    const suite = handle;
    const poll = (async () => {
      while (!finished) {
        try {
          last = await suite.query(progressQuery);
          running = last.running;
          progress.update(last);
          live.status(last);
          if (signals.received && !finished) cleanup(last);
        } catch {
          // the query fails while no workflow task can run (e.g. worker restarting): try again
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();

    let result: SuiteResult;
    let cancelled = false;
    try {
      result = await suite.result();
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      if (!(err.cause instanceof CancelledFailure)) {
        log(`suite ${id} did not complete: ${err.cause?.message ?? err.message}`);
        return interrupted() ?? 1;
      }
      // Cancelled (by our signal, or by someone else): every compensation and the final sweep ran before it closed.
      cancelled = true;
      result = await cancelledSuiteResult(suite, { select, target, timeScale }, last);
    } finally {
      finished = true;
      closed = true;
      await poll;
    }
    // The last scenarios usually finish between two polls (the suite then completes before the next query): their
    // lines come from the result, so the counter ends at N/N.
    progress.finish(result);
    live.done();
    // History marks, timeline and Web UI links, as in the reports the suite wrote itself.
    const webUiBase = config.webUiUrl ?? webUiBaseFor(address);
    const { context } = await buildReportInput(result, {
      client,
      dataDir: config.dataDir,
      state: cancelled ? 'cancelled' : 'completed',
      finishedAt: new Date(),
      ...(webUiBase ? { webUi: { baseUrl: webUiBase, namespace: config.namespace } } : {}),
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    });
    await Promise.all([
      writeJsonReport(result, reports.json, context),
      writeJunitReport(result, reports.junit, context),
      writeHtmlReport(result, reports.html, context),
      writeTextFile(reports.markdown, toMarkdownSummary({ result, context })),
    ]);
    const summary = summarize(result);
    log(formatSuiteSummary(result, { color: process.stdout.isTTY }));
    for (const line of formatHistoryMarks(result.scenarios, context?.history)) log(line);
    log(
      `reports: ${[reports.json, reports.junit, reports.html, reports.markdown].map((f) => path.relative(process.cwd(), f)).join(', ')}`
    );
    if (cancelled) {
      log(
        `suite ${id} cancelled${signals.received ? ` on ${signals.received}` : ''}: its scenarios' ` +
          `cleanup and the final sweep ran; ${result.leaked.length} resource(s) left` +
          (result.leaked.length ? ` (destroy them with: ${sweepCommand(target)})` : '')
      );
    }
    return interrupted() ?? runExitCode(summary);
  } finally {
    worker?.shutdown();
    await workerDone?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    if (stopStack) {
      log('stopping the stack this run started (pass --keep-stack to keep it)');
      await stopStack();
    }
    signals.dispose();
  }
}
