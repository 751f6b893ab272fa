import { DEFAULT_TIME_SCALE, STACK_COMPONENTS, type StackComponent } from '../stack/stack-config';
import { DEFAULT_SIM_PROFILE, isSimProfile, SIM_PROFILES } from '../../sim/profiles';
import { stackDown, stackStatus, stackUp, type StackStatus } from '../stack/stack';
import { isExpectedError, OPERATIONAL_EXIT_CODE, oneLine } from '../operational-error';

import { parseFlags, UsageError } from './usage';
const HELP = `Usage: dumont-e2e stack <up|down|status> [options]

Manages the local stack: a Temporal dev server (SQLite in the data dir, Web UI), the GPU cloud simulator and a
worker connected to both, all on 127.0.0.1.

Commands:
  up        Start what is not running; reuse what is (same pids). A Temporal server already answering on the
            port is used as it is and never stopped by 'down'.
  down      Stop what 'up' started: worker, simulator, then Temporal. Keeps the database, logs and credentials.
            --only LIST stops just those components.
  status    One line per component (running/stopped, address, pid). Exit 0 when all three run, 3 otherwise.

Options of up:
  --time-scale X       simulator time scale: platform time runs 1/X faster (default ${DEFAULT_TIME_SCALE}; env DUMONT_E2E_TIME_SCALE).
                       A different value restarts a running simulator and worker (not one holding live instances).
  --temporal-port N    Temporal gRPC port (default 7233; env DUMONT_E2E_TEMPORAL_PORT)
  --ui-port N          Web UI port (default the gRPC port + 1000, 8233; env DUMONT_E2E_TEMPORAL_UI_PORT)
  --sim-port-base N    simulator Dumont face on N, VAST face on N+1 (default 7780; env DUMONT_E2E_SIM_PORT_BASE)
  --profile NAME       the simulator's profile: ${SIM_PROFILES.join(', ')} (env DUMONT_E2E_SIM_PROFILE; a simulator
                       started without either runs ${DEFAULT_SIM_PROFILE}). A running simulator with another profile is
                       restarted, and the worker with it, as for --time-scale; unless it holds live instances
                       (a suite in flight): then up fails saying so and how to stop it.
  --only LIST          comma-separated subset of temporal,sim,worker (worker brings up the other two)

Options of status:
  --json               print {"temporal":{address,uiUrl,pid,running},"sim":{vastUrl,dumontUrl,pid,running,profile},
                       "worker":{pid,running}}

  -h, --help           this help

Files: DUMONT_E2E_DATA_DIR (default <repo>/.data) holds stack.json, logs/<component>.log, temporal.db,
sim-credentials.json and key-secret (both mode 0600; the key secret, DUMONT_E2E_KEY_SECRET of the stack's workers,
is kept across restarts). After the stack's worker died, 'dumont-e2e worker' (no variables needed) resumes its
runs in the foreground. See docs/operations.md.
`;

const UP_OPTIONS = {
  'time-scale': { type: 'string' },
  'temporal-port': { type: 'string' },
  'ui-port': { type: 'string' },
  'sim-port-base': { type: 'string' },
  only: { type: 'string' },
  profile: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
const STATUS_OPTIONS = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
const DOWN_OPTIONS = { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${flag} must be a positive number, got '${raw}'`);
  return value;
}

function port(flag: string, raw: string | undefined): number | undefined {
  const value = positiveNumber(flag, raw);
  if (value !== undefined && (!Number.isInteger(value) || value > 65535)) {
    throw new UsageError(`--${flag} must be a port number 1-65535, got '${raw}'`);
  }
  return value;
}

function profile(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!isSimProfile(raw)) throw new UsageError(`--profile takes ${SIM_PROFILES.join(', ')}; got '${raw}'`);
  return raw;
}

function components(raw: string | undefined): StackComponent[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(STACK_COMPONENTS as readonly string[]).includes(name)) {
      throw new UsageError(`--only takes ${STACK_COMPONENTS.join(',')}; got '${name}'`);
    }
  }
  return names as StackComponent[];
}

/** One line per component, aligned, for people. */
export function formatStatus(status: StackStatus): string[] {
  const { temporal: t, sim: s, worker: w } = status;
  const state = (running: boolean): string => (running ? 'running' : 'stopped');
  const pid = (p: number | null): string => (p === null ? '' : `  pid ${p}`);
  const foreign = t.running && !t.startedByUs ? '  (not started by the stack)' : '';
  return [
    `temporal  ${state(t.running)}  ${t.address}${t.uiUrl ? `  ui ${t.uiUrl}` : ''}${pid(t.pid)}${foreign}`,
    `sim       ${state(s.running)}${s.dumontUrl ? `  dumont ${s.dumontUrl}  vast ${s.vastUrl}` : ''}` +
      `${s.profile ? `  profile ${s.profile}` : ''}${pid(s.pid)}`,
    `worker    ${state(w.running)}${pid(w.pid)}`,
  ];
}

/** The `status --json` shape (stable: scripts read it). */
export function statusJson(status: StackStatus): object {
  const { temporal: t, sim: s, worker: w } = status;
  return {
    temporal: { address: t.address, uiUrl: t.uiUrl, pid: t.pid, running: t.running, startedByUs: t.startedByUs },
    sim: { vastUrl: s.vastUrl, dumontUrl: s.dumontUrl, pid: s.pid, running: s.running, profile: s.profile },
    worker: { pid: w.pid, running: w.running },
  };
}

async function up(args: string[]): Promise<number> {
  const { values } = parseFlags(args, UP_OPTIONS);
  if (values.help) return help();
  const info = await stackUp({
    timeScale: positiveNumber('time-scale', values['time-scale']),
    temporalPort: port('temporal-port', values['temporal-port']),
    uiPort: port('ui-port', values['ui-port']),
    simPortBase: port('sim-port-base', values['sim-port-base']),
    components: components(values.only),
    profile: profile(values.profile),
    log: out,
  });
  const ui = info.temporal?.uiUrl ? `Web UI ${info.temporal.uiUrl}   ` : '';
  out(`stack up: ${ui}logs ${info.logsDir}   stop with: dumont-e2e stack down`);
  return 0;
}

async function down(args: string[]): Promise<number> {
  const { values } = parseFlags(args, DOWN_OPTIONS);
  if (values.help) return help();
  await stackDown({ components: components(values.only), log: out });
  out('stack down: done');
  return 0;
}

async function status(args: string[]): Promise<number> {
  const { values } = parseFlags(args, STATUS_OPTIONS);
  if (values.help) return help();
  const st = await stackStatus();
  if (values.json) out(JSON.stringify(statusJson(st)));
  else for (const line of formatStatus(st)) out(line);
  return st.temporal.running && st.sim.running && st.worker.running ? 0 : 3;
}

function help(): number {
  process.stdout.write(HELP);
  return 0;
}

/**
 * `dumont-e2e stack up|down|status`: `argv` is what follows `stack`.
 *
 * @returns the exit code: 0 ok, 1 the operation failed, 2 bad usage, 3 (`status`) not everything running.
 */
export async function stackCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'up':
        return await up(rest);
      case 'down':
        return await down(rest);
      case 'status':
        return await status(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        return help();
      default:
        throw new UsageError(`unknown command '${sub}'; expected up, down or status`);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      // parseArgs appends a paragraph of advice to its first sentence; the first sentence is the useful part.
      const first = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
      process.stderr.write(`dumont-e2e stack${sub ? ` ${sub}` : ''}: ${first} (see dumont-e2e stack --help)\n`);
      return 2;
    }
    if (isExpectedError(err)) {
      process.stderr.write(`dumont-e2e stack ${sub}: ${oneLine(err)}\n`);
      return OPERATIONAL_EXIT_CODE;
    }
    process.stderr.write(`dumont-e2e stack ${sub}: ${(err as Error).message}\n`);
    return 1;
  }
}
