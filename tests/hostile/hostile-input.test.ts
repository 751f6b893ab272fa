/**
 * Hostile command-line input, table-driven from the CLI's own definitions (chaos/parts/hostile-input-cases.ts):
 * every command the CLI lists, every flag its parser defines, each given wrong types, huge values, negative
 * numbers, unknown flags and injection-looking strings. Each is refused with exit 2 and one line naming the flag and
 * the value (never a secret's value), and nothing is executed or started.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliRun,
  hostileCases,
  hostileValues,
  invocations,
  refusalProblem,
} from '../../chaos/parts/hostile-input-cases';

let tmp: string;
let marker: string;
const savedEnv = { ...process.env };

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
    // Every command the CLI lists was reached.
    expect(new Set(all.map((i) => i.prefix[0]))).toEqual(new Set(cli.COMMAND_NAMES));
    const cases = hostileCases(all, marker);
    expect(cases.length).toBeGreaterThan(cli.COMMAND_NAMES.length * hostileValues(marker).length);
    const problems: string[] = [];
    for (const c of cases) {
      const problem = refusalProblem(await cliRun(c.args), c);
      if (problem) problems.push(`dumont-e2e ${c.args.join(' ').slice(0, 80)} (${c.what}): ${problem}`);
    }
    expect(problems).toEqual([]);
    // Nothing ran a shell, nothing started a stack.
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'data', 'stack.json'))).toBe(false);
  });

  it.each([
    [['schedule', 'describe', '$(touch /tmp/x)'], 'schedule id', '$(touch /tmp/x)'],
    [['schedule', 'delete', "x' OR '1'='1"], 'schedule id', "x' OR '1'='1"],
    [['schedule', 'create', '--time-zone=Mars/Olympus'], '--time-zone', 'Mars/Olympus'],
    [['run', '--json=reports/$(whoami).json'], '--json', 'reports/$(whoami).json'],
  ])('%j is refused naming the value', async (args, flag, value) => {
    const res = await cliRun(args);
    expect(refusalProblem(res, { args, flag, value, what: 'positional' })).toBeUndefined();
  });
});
