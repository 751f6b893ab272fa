// `dumont-e2e sim --profile NAME` and env DUMONT_E2E_SIM_PROFILE (docs/simulator.md § Profiles).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { simCommand } from '../../src/client/commands/sim';
import { DUMONT_AS_IS_CREATE_SETUP_SECONDS, SIM_PROFILES, startSimulator } from '../../src/sim';
import { call } from './sim-client';
import { waitFor } from '../helpers/wait-for';

/** Runs `sim ...` in this process with `env` set, capturing its output. */
async function capture(argv: string[], env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await simCommand(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Starts `sim` as its own process, returns what `GET /_sim/state` says and the first line it printed. */
async function runSim(args: string[], env: Record<string, string>): Promise<{ profile: string; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-profile-'));
  const readyFile = path.join(dir, 'ready.json');
  const fixture = path.join(__dirname, 'fixtures', 'run-sim-command.ts');
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', fixture, '--vast-port', '0', '--dumont-port', '0', ...args, '--ready-file', readyFile],
    { env: { ...process.env, SIM_API_KEY: 'cli-key', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const ready = await waitFor(() => fs.existsSync(readyFile) && JSON.parse(fs.readFileSync(readyFile, 'utf8')), {
      timeoutMs: 30_000,
      what: `the ready file (output: ${out})`,
    });
    const state = await call(ready.dumontUrl, 'GET', '/_sim/state', { auth: 'cli-key' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return { profile: state.body.profile, out };
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('dumont-e2e sim --profile', () => {
  it('--help names the flag, the variable, every profile and the create setup', async () => {
    const help = await capture(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['--profile NAME', 'DUMONT_E2E_SIM_PROFILE', ...SIM_PROFILES, 'metrics', '503']) {
      expect(help.out).toContain(word);
    }
    expect(help.out).toContain(`${DUMONT_AS_IS_CREATE_SETUP_SECONDS} platform s`);
  });

  it('rejects an unknown profile with one line naming the flag or the variable, exit 2', async () => {
    const flag = await capture(['--profile', 'perfect', '--api-key', 'k'], { DUMONT_E2E_SIM_PROFILE: undefined });
    expect(flag.code).toBe(2);
    expect(flag.err.trim().split('\n')).toHaveLength(1);
    expect(flag.err).toContain('--profile "perfect"');
    expect(flag.err).toContain('dumont-as-is');
    const env = await capture(['--api-key', 'k'], { DUMONT_E2E_SIM_PROFILE: 'perfect' });
    expect(env.code).toBe(2);
    expect(env.err).toContain('DUMONT_E2E_SIM_PROFILE "perfect"');
  });

  it('runs the profile of the flag (over the variable) or of the variable', async () => {
    const [byFlag, byEnv, byDefault] = await Promise.all([
      runSim(['--profile', 'dumont-as-is'], { DUMONT_E2E_SIM_PROFILE: 'ideal' }),
      runSim([], { DUMONT_E2E_SIM_PROFILE: 'dumont-as-is' }),
      runSim([], { DUMONT_E2E_SIM_PROFILE: '' }),
    ]);
    expect(byFlag.profile).toBe('dumont-as-is');
    expect(byFlag.out).toContain('profile dumont-as-is');
    expect(byEnv.profile).toBe('dumont-as-is');
    expect(byDefault.profile).toBe('ideal');
  });

  it('sim state prints the profile', async () => {
    const sim = await startSimulator({ apiKey: 'state-key', profile: 'dumont-as-is' });
    try {
      const human = await capture(['state', '--url', sim.dumontUrl, '--api-key', 'state-key']);
      expect(human.code).toBe(0);
      expect(human.out).toContain('(profile dumont-as-is)');
      const json = await capture(['state', '--json', '--url', sim.dumontUrl, '--api-key', 'state-key']);
      expect(JSON.parse(json.out).profile).toBe('dumont-as-is');
    } finally {
      await sim.stop();
    }
  });
});
