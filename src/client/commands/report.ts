import { Client, WorkflowNotFoundError } from '@temporalio/client';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../../config';
import { buildReportInput } from '../report-builder';
import { suiteDirName, writeReportDir } from '../reporters/bundle';
import { webUiBaseFor } from '../reporters/context';
import { formatSuiteSummary } from '../reporters/console';
import { stackStatus } from '../stack/stack-status';
import { suiteFromTemporal } from '../suite-from-temporal';
import { connectTemporal } from '../temporal-connection';
import { parseFlags, shown, UsageError } from './usage';

const HELP = `Usage: dumont-e2e report --suite ID [--out DIR]

Rebuilds the reports of a suite from Temporal: report.json, junit.xml, report.html and summary.md, the same
files the suite writes at its end. Works for any suite whose history the server still keeps: finished,
cancelled, failed, or still running (then the scenarios not finished yet read 'skipped: not finished yet').
No worker is needed. A closed suite missing from the local run history (<data dir>/run-history.jsonl) is
added to it, and the report marks each scenario flaky, new failure, fixed, failing or stable from that history.

Temporal: the local stack's when it runs, else TEMPORAL_ADDRESS (default 127.0.0.1:7233), namespace
TEMPORAL_NAMESPACE. Web UI links: DUMONT_E2E_WEB_UI_URL, else the stack's Web UI, else the frontend's port + 1000
on this machine.

Options:
  --suite ID    the suite's workflow id (e2e-20261201-0102-ab3c, or a scheduled run's id)
  --out DIR     where to write (default reports/<ID>)

Exit code: 0 when the reports were written (whatever the suite's verdict), 2 for bad input or an unknown suite.
`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    suite: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const suiteId = values.suite?.trim();
  if (!suiteId) throw new UsageError("--suite ID is required (the suite's workflow id)");
  // A suite id is a workflow id and a label part: refused before anything connects when it cannot be one.
  if (!/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,399}$/.test(suiteId)) {
    throw new UsageError(`--suite ${shown('suite', suiteId)}: expected a workflow id (letters, digits, . _ : / -)`);
  }
  const out = path.resolve(values.out ?? path.join(REPO_ROOT, 'reports', suiteDirName(suiteId)));
  const config = loadConfig(process.env);
  let address = config.temporalAddress;
  let uiUrl: string | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    const status = await stackStatus();
    if (status.temporal.running) {
      address = status.temporal.address;
      uiUrl = status.temporal.uiUrl ?? undefined;
    }
  }
  const baseUrl = process.env.DUMONT_E2E_WEB_UI_URL?.trim() || uiUrl || webUiBaseFor(address);
  const connection = await connectTemporal(address);
  try {
    const client = new Client({ connection, namespace: config.namespace });
    let suite;
    try {
      suite = await suiteFromTemporal(client, suiteId);
    } catch (err) {
      // fetchHistory answers a missing workflow with gRPC NOT_FOUND (5), not a WorkflowNotFoundError.
      if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5)
        throw new UsageError(`--suite ${JSON.stringify(suiteId)}: no such workflow in namespace ${config.namespace}`);
      throw err;
    }
    const input = await buildReportInput(suite.result, {
      client,
      dataDir: config.dataDir,
      state: suite.state,
      finishedAt: new Date(suite.startedAtMs + suite.result.wallMs),
      ...(baseUrl ? { webUi: { baseUrl, namespace: config.namespace } } : {}),
      ...(suite.input.budgetUsd !== undefined ? { budgetUsd: suite.input.budgetUsd } : {}),
    });
    const files = await writeReportDir(out, input);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(`suite ${suiteId}: ${suite.state}${suite.scheduled ? ' (scheduled run)' : ''}`);
    log(formatSuiteSummary(suite.result, { color: process.stdout.isTTY }));
    log(
      `reports: ${Object.values(files)
        .map((f) => path.relative(process.cwd(), f))
        .join(', ')}`
    );
    return 0;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
