/**
 * `run`, `worker` and `schedule` check the Temporal server before they start anything: the namespace exists and has
 * the harness's search attributes. Against a real dev server started WITHOUT them: they are registered where the
 * server permits it (and the command says so); a refusal, a missing namespace or an attribute of the wrong type stops
 * the command with one line naming what is missing and the exact `temporal operator ...` command (exit 2).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { findTemporalBinary } from '../../src/client/temporal-binary';
import {
  ensureTemporalPrerequisites,
  searchAttributeCreateCommand,
  type SearchAttributeOperator,
} from '../../src/client/temporal-prerequisites';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'dumont-e2e.cjs');
const NAMES = SEARCH_ATTRIBUTE_KEYS.map((k) => k.name);
const { IndexedValueType } = temporal.api.enums.v1;

let env: TestWorkflowEnvironment;
let address: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-prereq-'));

beforeAll(async () => {
  // A bare dev server: no --search-attribute, extra namespaces for the paths that must not share state.
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findTemporalBinary() },
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'warn' },
      extraArgs: [
        '--namespace',
        'refusing',
        '--namespace',
        'typed',
        '--namespace',
        'by-cli',
        '--namespace',
        'by-worker',
      ],
    },
  });
  address = env.address;
});

afterAll(async () => {
  await env?.teardown();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function customAttributes(namespace: string): Promise<Record<string, number>> {
  const res = await env.connection.operatorService.listSearchAttributes({ namespace });
  return res.customAttributes ?? {};
}

/** The CLI with PATH, HOME, a private data dir and `extra`: no harness variable leaks in from ours. */
function cli(args: string[], extra: Record<string, string>) {
  const res = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DUMONT_E2E_DATA_DIR: dataDir, ...extra },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Platform variables of a worker for a platform that is never reached (the check stops before). */
const FAKE_PLATFORM = {
  DUMONT_E2E_TARGET: 'dumont',
  DUMONT_API_URL: 'http://127.0.0.1:1',
  DUMONT_TOKEN: 'not-a-real-token',
  VAST_API_URL: 'http://127.0.0.1:1',
  VAST_API_KEY: 'not-a-real-key',
  DUMONT_E2E_KEY_SECRET: 'k'.repeat(40),
};

describe('Temporal prerequisites', () => {
  it('a namespace without our search attributes gets them registered, and the caller is told', async () => {
    expect(Object.keys(await customAttributes('default'))).not.toContain('E2ESuiteId');
    const lines: string[] = [];
    const report = await ensureTemporalPrerequisites(env.connection, {
      namespace: 'default',
      address,
      log: (l) => lines.push(l),
    });
    expect(report).toEqual({ registered: NAMES, verified: true });
    expect(lines).toEqual([
      `registered the search attributes ${NAMES.join(', ')} in Temporal namespace 'default' at ${address}`,
    ]);
    const attrs = await customAttributes('default');
    for (const name of NAMES) expect(attrs[name]).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    // Once there, nothing to do and nothing said.
    const again: string[] = [];
    expect(
      await ensureTemporalPrerequisites(env.connection, { namespace: 'default', address, log: (l) => again.push(l) })
    ).toEqual({ registered: [], verified: true });
    expect(again).toEqual([]);
  });

  it('a server that refuses to register: one line naming the missing attributes and the exact command', async () => {
    const refusing: SearchAttributeOperator = {
      listSearchAttributes: (req) => env.connection.operatorService.listSearchAttributes(req),
      addSearchAttributes: () =>
        Promise.reject(Object.assign(new Error('7 PERMISSION_DENIED: Request unauthorized.'), { code: 7 })),
    };
    const err = await ensureTemporalPrerequisites(env.connection, {
      namespace: 'refusing',
      address,
      log: () => undefined,
      operator: refusing,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(`lacks the search attributes ${NAMES.join(', ')}`);
    expect(message).toContain('PERMISSION_DENIED');
    const command = searchAttributeCreateCommand(
      'refusing',
      address,
      SEARCH_ATTRIBUTE_KEYS.map((k) => ({ name: k.name, type: k.type }))
    );
    expect(message.endsWith(command)).toBe(true);
    expect(command).toBe(
      `temporal operator search-attribute create --namespace refusing --address ${address} ` +
        NAMES.map((n) => `--name ${n} --type Keyword`).join(' ')
    );
    expect(Object.keys(await customAttributes('refusing'))).not.toContain('E2ESuiteId');

    // The command it gives is the one that works.
    const run = spawnSync(findTemporalBinary(), command.split(' ').slice(1), { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(
      await ensureTemporalPrerequisites(env.connection, {
        namespace: 'refusing',
        address,
        log: () => undefined,
        operator: refusing,
      })
    ).toEqual({ registered: [], verified: true });
  });

  it('a namespace that does not exist: the error names it and the command that creates it', async () => {
    const err = await ensureTemporalPrerequisites(env.connection, {
      namespace: 'no-such-namespace',
      address,
      log: () => undefined,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      `Temporal namespace 'no-such-namespace' does not exist at ${address}: create it ` +
        `(temporal operator namespace create --namespace no-such-namespace --address ${address}) or set TEMPORAL_NAMESPACE`
    );
  });

  it('an attribute registered with another type is not papered over: remove and create commands', async () => {
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'typed',
      searchAttributes: { E2ESuiteId: IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
    });
    const err = await ensureTemporalPrerequisites(env.connection, {
      namespace: 'typed',
      address,
      log: () => undefined,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/E2ESuiteId is Text, needs Keyword/);
    expect((err as Error).message).toContain(
      `temporal operator search-attribute remove --namespace typed --address ${address} --name E2ESuiteId`
    );
    expect(Object.keys(await customAttributes('typed'))).not.toContain('E2EScenario');
  });
});

describe('the commands check before they start anything', () => {
  it('schedule registers what is missing and says so', () => {
    const r = cli(['schedule', 'list'], { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'by-cli' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`registered the search attributes ${NAMES.join(', ')} in Temporal namespace 'by-cli'`);
  });

  it('worker registers what is missing, says so, then polls', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [CLI, 'worker'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DUMONT_E2E_DATA_DIR: dataDir,
        ...FAKE_PLATFORM,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: 'by-worker',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => out, { timeout: 90_000, interval: 200 }).toMatch(/worker ready/);
      const registered = out.indexOf(
        `registered the search attributes ${NAMES.join(', ')} in Temporal namespace 'by-worker'`
      );
      expect(registered).toBeGreaterThanOrEqual(0);
      expect(registered).toBeLessThan(out.indexOf('worker ready'));
      expect(Object.keys(await customAttributes('by-worker'))).toEqual(expect.arrayContaining(NAMES));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it.each([
    ['run --target dumont', ['run', '--target', 'dumont', '--select', '1'], FAKE_PLATFORM],
    ['run --target sim (own Temporal)', ['run', '--select', '1'], {}],
    ['schedule', ['schedule', 'list'], {}],
  ])('%s in a namespace that does not exist: exit 2, one line naming it, nothing started', (_, args, extra) => {
    const r = cli(args, { ...extra, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'no-such-namespace' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("Temporal namespace 'no-such-namespace' does not exist");
    expect(r.stdout).not.toMatch(/^suite /m);
  });
});
