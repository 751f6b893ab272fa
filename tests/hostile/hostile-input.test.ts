/**
 * Hostile command-line input, table-driven from the CLI's own definitions: every command the CLI lists, every flag
 * its parser defines (recorded by `parseFlags` when the command parses `--help`), each given wrong types, huge
 * values, negative numbers, unknown flags and injection-looking strings. Each is refused with exit 2 and one line
 * naming the flag and the value (never a secret's value), and nothing is started or executed.
 *
 * The CLI runs in this process through the same tsx hook bin/dumont-e2e.cjs uses, so the table costs no process
 * per case.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const req = createRequire(__filename);
req('tsx/cjs/api').register();
const cli = req('../../src/client/cli.ts') as typeof import('../../src/client/cli');
const usage = req('../../src/client/commands/usage.ts') as typeof import('../../src/client/commands/usage');

/** Subcommands that parse their own flags; every other command parses once, right after its name. */
const SUBCOMMANDS: Record<string, string[][]> = {
  stack: [['up'], ['down'], ['status']],
  sim: [[], ['state']],
  schedule: [['create']],
};

let tmp: string;
let marker: string;
const savedEnv = { ...process.env };

/** Runs `dumont-e2e ...args` in this process; returns its exit code and what it wrote. */
async function cliRun(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  const writeErr = process.stderr.write.bind(process.stderr);
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof process.stdout.write;
  try {
    const code = await Promise.race([
      cli.main(args),
      new Promise<number>((_, reject) =>
        setTimeout(
          () => reject(new Error(`dumont-e2e ${args.join(' ')} did not return: it accepted the input`)),
          20_000
        )
      ),
    ]);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = writeErr;
    process.stdout.write = writeOut;
  }
}

/** Each command line the CLI parses flags for, with the flags its parser defines. */
async function invocations(): Promise<{ prefix: string[]; flags: Record<string, { type: string }> }[]> {
  const out = [];
  for (const name of cli.COMMAND_NAMES) {
    for (const sub of SUBCOMMANDS[name] ?? [[]]) {
      const prefix = [name, ...sub];
      usage.flagSetsParsed.length = 0;
      const res = await cliRun([...prefix, '--help']);
      expect(res.code, `${prefix.join(' ')} --help`).toBe(0);
      const flags = Object.assign({}, ...usage.flagSetsParsed) as Record<string, { type: string }>;
      out.push({ prefix, flags });
    }
  }
  return out;
}

/** Hostile values for a string flag; `forNames: false` ones are valid paths and names ('1e309' may name a file). */
const HOSTILE_VALUES: { name: string; value: () => string; forNames: boolean }[] = [
  { name: 'negative number', value: () => '-1', forNames: true },
  { name: 'huge number', value: () => '1e309', forNames: false },
  { name: 'huge value', value: () => '9'.repeat(usage.MAX_FLAG_VALUE + 1), forNames: true },
  { name: 'wrong type', value: () => 'NaN', forNames: false },
  { name: 'command substitution', value: () => `$(touch ${marker})`, forNames: true },
  { name: 'shell separator', value: () => `; touch ${marker} #`, forNames: true },
  { name: 'SQL-looking', value: () => "' OR '1'='1", forNames: false },
  { name: 'control character', value: () => 'line\nbreak', forNames: true },
];

/** The refusal: exit 2, one stderr line naming the flag and the value (a secret's value never). */
function expectRefused(res: { code: number; stderr: string }, flag: string, value: string | undefined): void {
  const lines = res.stderr.trim().split('\n');
  expect(res.code, res.stderr).toBe(2);
  expect(lines, res.stderr).toHaveLength(1);
  expect(res.stderr).not.toMatch(/^\s+at /m);
  expect(lines[0]).toContain(flag);
  if (value === undefined) return;
  if (usage.SECRET_FLAGS.has(flag.replace(/^--/, ''))) {
    expect(lines[0]).not.toContain(value.slice(0, 8));
    return;
  }
  const raw = value.slice(0, 8);
  const quoted = JSON.stringify(value).slice(1, 9);
  expect(lines[0].includes(raw) || lines[0].includes(quoted), `${lines[0]} names ${raw}`).toBe(true);
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-hostile-input-'));
  marker = path.join(tmp, 'pwned');
  for (const k of Object.keys(process.env)) if (/^(DUMONT_|VAST_|TEMPORAL_|SIM_)/.test(k)) delete process.env[k];
  // Anything accepted by mistake finds no stack and no Temporal, and writes only here.
  process.env.DUMONT_E2E_DATA_DIR = path.join(tmp, 'data');
  process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
  // What `sim` requires besides flags, so each case reaches the check of the flag it spoils.
  process.env.SIM_API_KEY = 'hostile-input-test-key';
});
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('hostile command-line input', () => {
  it('every flag of every command, and unknown flags, are refused with exit 2 naming the value', async () => {
    const all = await invocations();
    // The table is not empty by accident: every command was reached and most define flags.
    expect(all.map((i) => i.prefix[0])).toEqual(expect.arrayContaining([...cli.COMMAND_NAMES]));
    let cases = 0;
    for (const { prefix, flags } of all) {
      const unknown = await cliRun([...prefix, '--no-such-flag=1']);
      expectRefused(unknown, 'no-such-flag', undefined);
      cases++;
      for (const [flag, def] of Object.entries(flags)) {
        if (flag === 'help') continue;
        if (def.type === 'boolean') {
          expectRefused(await cliRun([...prefix, `--${flag}=yes`]), `--${flag}`, undefined);
          cases++;
          continue;
        }
        for (const hostile of HOSTILE_VALUES) {
          if ((usage.PATH_FLAGS.has(flag) || usage.NAME_FLAGS.has(flag)) && !hostile.forNames) continue;
          const value = hostile.value();
          const res = await cliRun([...prefix, `--${flag}=${value}`]);
          try {
            expectRefused(res, `--${flag}`, value);
          } catch (err) {
            throw new Error(`dumont-e2e ${prefix.join(' ')} --${flag}=<${hostile.name}>: ${(err as Error).message}`, {
              cause: err,
            });
          }
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(cli.COMMAND_NAMES.length * HOSTILE_VALUES.length);
    // Nothing ran a shell, nothing started a stack.
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'data', 'stack.json'))).toBe(false);
  });

  it.each([
    [['schedule', 'describe', '$(touch /tmp/x)'], 'schedule id'],
    [['schedule', 'delete', "x' OR '1'='1"], 'schedule id'],
    [['schedule', 'create', '--time-zone=Mars/Olympus'], '--time-zone'],
  ])('%j is refused naming the value', async (args, flag) => {
    const res = await cliRun(args);
    expectRefused(res, flag, args[args.length - 1]!.replace(/^--time-zone=/, ''));
  });
});
