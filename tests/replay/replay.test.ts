/**
 * Workflow code must replay its recorded histories exactly: a non-deterministic change would break every in-flight
 * run (a nightly suite, a scenario started by hand) when the new worker picks it up. The policy is in
 * docs/versioning.md; in short:
 *
 * - `histories/<category>/<workflowType>/<YYYY-MM-DD>-<description>.json` (the suite under `suite/SuiteWorkflow/`)
 *   are real runs against the simulator, and every one of them must replay against the current code;
 * - histories are ADDED, never re-recorded in place: `RECORD_HISTORIES=1 npx vitest run tests/replay` records a suite
 *   run (scenarios 1 and 6 by default, `RECORD_SELECT=<expr>` for another selection) into new dated files, the suite
 *   and each child, and refuses to overwrite one;
 * - `histories/retired/<why>/` keeps histories of code that was changed incompatibly on purpose (a new worker build,
 *   see the folder's README): they must still parse, and are never replayed.
 *
 * Histories are stored as base64 protobuf: the SDK's JSON reader trips over a duplicated protobufjs copy.
 */
const { History } = temporal.api.history.v1;
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioByWorkflowType } from '../../src/catalog';
import { CATEGORIES } from '../../src/catalog/types';
import type { SuiteResult } from '../../src/workflows/types';
import { startSimWorker } from '../helpers/harness';
import { bundleWorkflowsOnce, createTestEnv } from '../helpers/temporal-env';

const ROOT = path.join(__dirname, 'histories');
const RETIRED = 'retired';
/** Groups that are not scenario categories: the suite and the reaper. */
const OWN_GROUPS: Record<string, string> = { SuiteWorkflow: 'suite', ReaperWorkflow: 'reaper' };
const FILE_NAME = /^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.json$/;

/** One stored history. */
interface HistoryFile {
  workflowId: string;
  /** Absent in the retired pre-kit-v2 files. */
  workflowType?: string;
  recordedAt?: string;
  note?: string;
  historyBase64: string;
}

/** Every `.json` file under `dir`, as paths relative to `ROOT`. */
function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return jsonFiles(full);
    return e.name.endsWith('.json') ? [path.relative(ROOT, full)] : [];
  });
}

function load(file: string) {
  const stored = JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as HistoryFile;
  const history = History.decode(Buffer.from(stored.historyBase64, 'base64'));
  const workflowType = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
  return { stored, history, workflowType };
}

/** The first folder of a history: the scenario's category, or `suite` / `reaper`. */
function groupOf(workflowType: string): string | undefined {
  return OWN_GROUPS[workflowType] ?? scenarioByWorkflowType(workflowType)?.category;
}

/**
 * Where a new history of `workflowType` goes: `<root>/<group>/<workflowType>/<date>-<description>.json`, or, when
 * that file exists already (a second recording the same day), the same name with `-2`, `-3`… — never an existing file.
 */
function newHistoryPath(root: string, workflowType: string, date: string, description: string): string {
  const group = groupOf(workflowType);
  if (!group) throw new Error(`no history group for workflow type ${workflowType}`);
  const dir = path.join(root, group, workflowType);
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${date}-${description}${n === 1 ? '' : `-${n}`}.json`);
    if (!existsSync(file)) return file;
  }
}

/** `1,6` → `1-and-6`, `lifecycle and not slow` → `lifecycle-and-not-slow`: a selection as a file name part. */
function slugOf(select: string): string {
  return select
    .toLowerCase()
    .replace(/,/g, '-and-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Writes a history; refuses (EEXIST) to overwrite one, whatever raced it. */
function writeHistory(file: string, stored: HistoryFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(stored, null, 1)}\n`, { flag: 'wx' });
}

const active = () => jsonFiles(ROOT).filter((f) => f.split(path.sep)[0] !== RETIRED);
const retired = () => jsonFiles(path.join(ROOT, RETIRED));

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('replay', () => {
  it(
    'a freshly recorded suite history (suite + children) replays without non-determinism',
    { timeout: 300_000 },
    async () => {
      const select = process.env.RECORD_SELECT ?? '1,6';
      // RECORD_BUDGET_USD=<usd>: a run under the budget cap (runWhatFits), for the `suite-budget-admission` branch.
      const budgetInput = process.env.RECORD_BUDGET_USD
        ? { budgetUsd: Number(process.env.RECORD_BUDGET_USD), runWhatFits: true }
        : {};
      const h = await startSimWorker(env);
      try {
        const workflowId = `replay-${h.taskQueue}`;
        const result = (await env.client.workflow.execute('SuiteWorkflow', {
          taskQueue: h.taskQueue,
          workflowId,
          args: [{ select, target: 'sim', timeScale: h.timeScale, ...budgetInput }],
        })) as SuiteResult;
        const children = result.scenarios.filter((s) => s.status === 'passed' || s.status === 'failed');
        expect(children.length, 'the selection must run at least one scenario').toBeGreaterThan(0);
        const ids = [workflowId, ...children.map((s) => s.workflowId)];
        const recordedAt = new Date().toISOString();
        const description = process.env.RECORD_DESCRIPTION ?? `suite-of-${slugOf(select)}`;
        for (const id of ids) {
          const history = await env.client.workflow.getHandle(id).fetchHistory();
          await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, id);
          if (process.env.RECORD_HISTORIES === '1') {
            const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
            if (!workflowType) throw new Error(`history of ${id} has no start event`);
            const file = newHistoryPath(ROOT, workflowType, recordedAt.slice(0, 10), description);
            writeHistory(file, {
              workflowId: id,
              workflowType,
              recordedAt,
              note: `SuiteWorkflow { select: '${select}', target: 'sim'${budgetInput.budgetUsd !== undefined ? `, budgetUsd: ${budgetInput.budgetUsd}, runWhatFits: true` : ''} } on the simulator`,
              historyBase64: Buffer.from(History.encode(history).finish()).toString('base64'),
            });
          }
        }
      } finally {
        await h.stop();
      }
    }
  );

  it('keeps committed histories at <category>/<workflowType>/<YYYY-MM-DD>-<description>.json', () => {
    const files = active();
    expect(files.length).toBeGreaterThan(0);
    const groups = new Set<string>([...CATEGORIES, ...Object.values(OWN_GROUPS)]);
    for (const file of files) {
      const parts = file.split(path.sep);
      expect(parts, file).toHaveLength(3);
      const [group, type, name] = parts;
      expect(groups.has(group), `${file}: '${group}' is not a category, 'suite' or 'reaper'`).toBe(true);
      expect(name, file).toMatch(FILE_NAME);
      const { stored, workflowType } = load(file);
      expect(workflowType, `${file}: the history is of another workflow type`).toBe(type);
      expect(stored.workflowType ?? type, file).toBe(type);
      expect(groupOf(type), `${file}: ${type} belongs under ${groupOf(type)}/`).toBe(group);
    }
    expect(files.some((f) => f.startsWith(`suite${path.sep}SuiteWorkflow${path.sep}`))).toBe(true);
  });

  it(
    'replays every committed history outside retired/ against the current workflow code',
    { timeout: 120_000 },
    async () => {
      const files = active();
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const { stored, history } = load(file);
        await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, stored.workflowId);
      }
    }
  );

  it('keeps retired histories as evidence: each folder says why, and every file still parses (never replayed)', () => {
    const folders = readdirSync(path.join(ROOT, RETIRED), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const readme = path.join(ROOT, RETIRED, folder.name, 'README.md');
      expect(existsSync(readme), `${readme} must say why these histories are retired`).toBe(true);
      expect(readFileSync(readme, 'utf8')).toMatch(/docs\/versioning\.md/);
    }
    const files = retired();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { stored, history, workflowType } = load(file);
      expect(stored.workflowId, file).toBeTruthy();
      expect(history.events.length, file).toBeGreaterThan(2);
      expect(workflowType, file).toBeTruthy();
      const last = history.events[history.events.length - 1];
      expect(
        last.workflowExecutionCompletedEventAttributes ?? last.workflowExecutionFailedEventAttributes,
        file
      ).toBeTruthy();
    }
  });

  it('never overwrites a history: a second recording the same day gets a new file', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-histories-'));
    try {
      const stored = (n: number): HistoryFile => ({ workflowId: `wf-${n}`, historyBase64: '' });
      expect(slugOf('1,6')).toBe('1-and-6');
      expect(slugOf('Lifecycle and not (slow)')).toBe('lifecycle-and-not-slow');
      const first = newHistoryPath(root, 'SuiteWorkflow', '2026-11-30', 'suite-of-1-and-6');
      expect(path.relative(root, first)).toBe(path.join('suite', 'SuiteWorkflow', '2026-11-30-suite-of-1-and-6.json'));
      writeHistory(first, stored(1));
      const second = newHistoryPath(root, 'SuiteWorkflow', '2026-11-30', 'suite-of-1-and-6');
      expect(path.basename(second)).toBe('2026-11-30-suite-of-1-and-6-2.json');
      writeHistory(second, stored(2));
      expect(() => writeHistory(first, stored(3))).toThrow(/EEXIST/);
      expect(JSON.parse(readFileSync(first, 'utf8')).workflowId).toBe('wf-1');
      expect(path.relative(root, newHistoryPath(root, 'pauseResumeScenario', '2026-12-01', 'x'))).toBe(
        path.join('lifecycle', 'pauseResumeScenario', '2026-12-01-x.json')
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
