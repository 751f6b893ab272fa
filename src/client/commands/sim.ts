/**
 * `dumont-e2e sim`: runs the embedded GPU cloud simulator in the foreground until SIGINT/SIGTERM, and
 * `dumont-e2e sim state` prints what a running one holds (`docs/simulator.md`).
 */
import { DEFAULT_SIM_PORT_BASE, resolveStackConfig } from '../stack/stack-config';
import { DEFAULT_SIM_TIME_SCALE } from '../../workflows/validate';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFECTS,
  DEFECT_NAMES,
  FAULT_KINDS,
  MAX_CATALOGUE_SCALE,
  DEFAULT_SIM_PROFILE,
  DUMONT_AS_IS_CREATE_SETUP_SECONDS,
  parseDefectActivation,
  parseSimProfile,
  selectFeatures,
  SIM_PROFILES,
  startSimulator,
  SWITCHABLE_FEATURES,
  type DefectActivation,
  type FaultKind,
  type SimProfile,
  type SimState,
} from '../../sim';
import { parseFlags, UsageError, intFlag, numberFlag, shown } from './usage';

const GLOBAL_DEFECTS = DEFECT_NAMES.filter((name) => DEFECTS[name].scope === 'global');

const HELP = `Usage: dumont-e2e sim [options]          run the simulator in the foreground (Ctrl-C stops it)
       dumont-e2e sim state [--json] [--url DUMONT_URL] [--api-key KEY]

Options:
  --host 127.0.0.1         address to listen on (loopback only)
  --dumont-port N          Dumont face + admin API port (default $DUMONT_E2E_SIM_PORT_BASE, else ${DEFAULT_SIM_PORT_BASE}; 0 = random)
  --vast-port N            VAST face port (default $DUMONT_E2E_SIM_PORT_BASE + 1, else ${DEFAULT_SIM_PORT_BASE + 1}; 0 = random)
  --time-scale X           real seconds per platform second, in (0, 1000] (default ${DEFAULT_SIM_TIME_SCALE}, as the stack)
  --seed N                 seeds offers, ids and faults (default 1)
  --catalogue-scale N      N times the offers of every shape (1-${MAX_CATALOGUE_SCALE}, default 1 = 68 offers, what the
                           scenarios expect), or env DUMONT_E2E_SIM_CATALOGUE_SCALE (the flag wins): for
                           benchmarks holding many live instances or running several suites at once
  --fault-rate X           probability in [0, 1] of a transient fault per event (default 0)
  --faults A,B             fault kinds (default all): ${FAULT_KINDS.join(', ')}
                           destroy-fails: a DELETE of an instance or volume (either face) answers 500, does nothing;
                           ssh-drop-after-start: the SSH connection drops right after a command started (it runs on)
  --defect NAME[@PREFIX]   activate a platform defect (repeatable), for every resource or only for those whose
                           label starts with PREFIX: ${DEFECT_NAMES.join(', ')}
                           (${GLOBAL_DEFECTS.join(', ')} are global: no @PREFIX)
  --api-key KEY            the account's VAST API key (or env SIM_API_KEY); also the admin bearer
  --user EMAIL:PASSWORD    pre-register a Dumont user (repeatable; or env SIM_USER)
  --v0-list 200|410        what GET /api/v0/instances/ answers (default 410, as VAST today)
  --profile NAME           which platform the Dumont face imitates (default ${DEFAULT_SIM_PROFILE}, or env
                           DUMONT_E2E_SIM_PROFILE; the flag wins): ${SIM_PROFILES.join(', ')}
                           ideal: the platform as it should behave
                           dumont-as-is: the real Dumont server as documented: rows with RAM in MB and
                           start_date the time of the read; one create at a time, taking effect at once but
                           answering only after a blocking setup of ${DUMONT_AS_IS_CREATE_SETUP_SECONDS} platform s, while every other
                           Dumont request waits; GET /api/v1/instances 503 while --v0-list is 410; a taken
                           offer 500 "Oferta N indisponível: ..."; /instances/{id}/metrics all zeros
  --without-feature NAME   run without a feature module (repeatable): its routes answer "no route", as on a
                           deployment that lacks it (see 'dumont-e2e contract'); switchable: ${SWITCHABLE_FEATURES.join(', ')}
  --data-dir DIR           where instance workspaces live (default a temp dir removed on exit)
  --ready-file FILE        once listening, write {vastUrl, dumontUrl, pid} there
  --verbose                print one line per lifecycle event
  -h, --help               this help

Env DUMONT_E2E_SIM_PORT_BASE places the faces as the stack does (Dumont on BASE, VAST on BASE + 1); the
port flags win over it. Env DUMONT_E2E_SIM_PROFILE picks the profile; --profile wins over it.

'sim state' reads .data/stack.json (sim.dumontUrl) and .data/sim-credentials.json (apiKey) unless
--url/--api-key (or SIM_API_KEY) are given; --json prints the raw GET /_sim/state body (profile, instances,
volumes, billing, defects, faults with faults.injected counted by kind, and each feature module's view in
features).
`;

/** Entry point of `dumont-e2e sim ...`; returns the exit code (2: bad flag or value). */
export async function simCommand(argv: string[]): Promise<number> {
  try {
    return argv[0] === 'state' ? await stateCommand(argv.slice(1)) : await runCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`dumont-e2e sim: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const API_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~+/=-]{0,511}$/;

function splitUser(flag: string, value: string): { email: string; password: string } {
  const at = value.indexOf(':');
  const email = value.slice(0, at);
  const password = value.slice(at + 1);
  if (at <= 0 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || password.length < 6) {
    throw new UsageError(
      // Only the email is shown: without a ':' the whole value may be a password.
      `${flag} ${at > 0 ? JSON.stringify(email) : '(value not shown: it may hold a password)'}: expected EMAIL:PASSWORD with a password of 6+ characters`
    );
  }
  return { email, password };
}

async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    host: { type: 'string' },
    'vast-port': { type: 'string' },
    'dumont-port': { type: 'string' },
    'time-scale': { type: 'string' },
    seed: { type: 'string' },
    'catalogue-scale': { type: 'string' },
    'fault-rate': { type: 'string' },
    faults: { type: 'string' },
    defect: { type: 'string', multiple: true },
    'api-key': { type: 'string' },
    user: { type: 'string', multiple: true },
    'v0-list': { type: 'string' },
    profile: { type: 'string' },
    'without-feature': { type: 'string', multiple: true },
    'data-dir': { type: 'string' },
    'ready-file': { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.host !== undefined && values.host !== '127.0.0.1') {
    throw new UsageError(`--host ${JSON.stringify(values.host)}: the simulator listens on loopback only (127.0.0.1)`);
  }
  const ports = defaultPorts();
  const vastPort = intFlag('vast-port', values['vast-port'], 0, 65535) ?? ports.vastPort;
  const dumontPort = intFlag('dumont-port', values['dumont-port'], 0, 65535) ?? ports.dumontPort;
  const timeScale = numberFlag('time-scale', values['time-scale'], 0, 1000, true) ?? DEFAULT_SIM_TIME_SCALE;
  const seed = intFlag('seed', values.seed, 0, 2 ** 31 - 1) ?? 1;
  const catalogueScale = catalogueScaleOf(values['catalogue-scale']);
  const faultRate = numberFlag('fault-rate', values['fault-rate'], 0, 1) ?? 0;
  let faultKinds: FaultKind[] | undefined;
  if (values.faults !== undefined) {
    faultKinds = values.faults.split(',').map((k) => {
      const kind = k.trim();
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        throw new UsageError(`--faults ${JSON.stringify(kind)}: unknown fault kind (known: ${FAULT_KINDS.join(', ')})`);
      }
      return kind as FaultKind;
    });
  }
  const defects: DefectActivation[] = (values.defect ?? []).map((value) => {
    try {
      return parseDefectActivation(value);
    } catch (err) {
      throw new UsageError(`--defect ${JSON.stringify(value)}: ${(err as Error).message}`);
    }
  });
  const apiKey = values['api-key'] ?? process.env.SIM_API_KEY;
  if (!apiKey) throw new UsageError('--api-key: missing (pass --api-key KEY or set SIM_API_KEY)');
  // The key is the simulator's own invention: a token alphabet keeps it safe in headers, files and logs.
  if (!API_KEY_PATTERN.test(apiKey)) {
    throw new UsageError(
      `--api-key ${shown('api-key', apiKey)}: expected 1..512 characters of A-Z a-z 0-9 . _ ~ + / = - starting with a letter or digit`
    );
  }
  const users = (values.user ?? []).map((u) => splitUser('--user', u));
  if (users.length === 0 && process.env.SIM_USER) users.push(splitUser('SIM_USER', process.env.SIM_USER));
  let v0ListMode: 200 | 410 | undefined;
  if (values['v0-list'] !== undefined) {
    if (values['v0-list'] !== '200' && values['v0-list'] !== '410') {
      throw new UsageError(`--v0-list ${JSON.stringify(values['v0-list'])}: expected 200 or 410`);
    }
    v0ListMode = Number(values['v0-list']) as 200 | 410;
  }
  const profile = profileFrom(values.profile);
  const withoutFeatures = values['without-feature'] ?? [];
  try {
    selectFeatures(withoutFeatures);
  } catch (err) {
    throw new UsageError(`--without-feature: ${(err as Error).message.replace(/^startSimulator: /, '')}`);
  }

  const sim = await startSimulator({
    host: '127.0.0.1',
    vastPort,
    dumontPort,
    timeScale,
    seed,
    catalogueScale,
    faultRate,
    faultKinds,
    defects,
    apiKey,
    users,
    dataDir: values['data-dir'],
    v0ListMode,
    profile,
    withoutFeatures,
    log: values.verbose ? (line) => process.stdout.write(`sim: ${line}\n`) : undefined,
  });
  const defectsNote =
    (values.defect?.length ? `, defects ${values.defect.join(',')}` : '') +
    (withoutFeatures.length ? `, without ${withoutFeatures.join(',')}` : '');
  process.stdout.write(
    `sim: VAST ${sim.vastUrl}  Dumont ${sim.dumontUrl}  S3 ${sim.objectStore.url}/${sim.objectStore.bucket}  (profile ${profile}, time scale ${timeScale}, seed ${seed}, fault rate ${faultRate}${defectsNote})\n`
  );
  const readyFile = values['ready-file'];
  if (readyFile)
    writeJsonAtomic(readyFile, {
      vastUrl: sim.vastUrl,
      dumontUrl: sim.dumontUrl,
      objectStoreUrl: sim.objectStore.url,
      pid: process.pid,
    });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stdout.write(`sim: ${signal}, stopping\n`);
  await sim.stop();
  if (readyFile) fs.rmSync(readyFile, { force: true });
  return 0;
}

/** `--catalogue-scale`, else env DUMONT_E2E_SIM_CATALOGUE_SCALE (an empty one is unset), else 1; bad → usage error. */
function catalogueScaleOf(flag: string | undefined): number {
  if (flag !== undefined) return intFlag('catalogue-scale', flag, 1, MAX_CATALOGUE_SCALE)!;
  const env = process.env.DUMONT_E2E_SIM_CATALOGUE_SCALE;
  if (!env) return 1;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CATALOGUE_SCALE)
    throw new UsageError(
      `DUMONT_E2E_SIM_CATALOGUE_SCALE=${JSON.stringify(env)}: expected an integer in [1, ${MAX_CATALOGUE_SCALE}]`
    );
  return n;
}

/** `--profile`, else env DUMONT_E2E_SIM_PROFILE (an empty one is unset), else the default; unknown → usage error. */
function profileFrom(flag: string | undefined): SimProfile {
  const env = process.env.DUMONT_E2E_SIM_PROFILE;
  const [source, value] =
    flag !== undefined ? ['--profile', flag] : env ? ['DUMONT_E2E_SIM_PROFILE', env] : [undefined, undefined];
  if (source === undefined || value === undefined) return DEFAULT_SIM_PROFILE;
  try {
    return parseSimProfile(value);
  } catch (err) {
    throw new UsageError(`${source} ${JSON.stringify(value)}: ${(err as Error).message}`);
  }
}

/** The stack's placement of the faces: Dumont on DUMONT_E2E_SIM_PORT_BASE (default 7780), VAST on BASE + 1. */
function defaultPorts(): { dumontPort: number; vastPort: number } {
  try {
    // Only this variable: the other DUMONT_E2E_* settings are the stack's business, not the simulator's.
    const { dumontPort, vastPort } = resolveStackConfig(
      {},
      { DUMONT_E2E_SIM_PORT_BASE: process.env.DUMONT_E2E_SIM_PORT_BASE }
    );
    return { dumontPort, vastPort };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Readers of the ready file must never see half of it: write a temp file, then rename. */
function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value)}\n`);
  fs.renameSync(tmp, file);
}

function readJsonKey(file: string, keys: string[]): string | undefined {
  try {
    let value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const key of keys) value = (value as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

async function stateCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    json: { type: 'boolean' },
    url: { type: 'string' },
    'api-key': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const givenKey = values['api-key'];
  if (givenKey !== undefined && !API_KEY_PATTERN.test(givenKey)) {
    throw new UsageError(
      `--api-key ${shown('api-key', givenKey)}: expected 1..512 characters of A-Z a-z 0-9 . _ ~ + / = - starting with a letter or digit`
    );
  }
  // The stack's own paths (repo-relative .data or DUMONT_E2E_DATA_DIR), whatever the current directory.
  const { stackFile, credentialsFile } = resolveStackConfig();
  const url = values.url ?? readJsonKey(stackFile, ['sim', 'dumontUrl']);
  if (!url) throw new UsageError(`--url: missing, and ${stackFile} names no running simulator (sim.dumontUrl)`);
  if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(url)) {
    throw new UsageError(`--url ${JSON.stringify(url)}: expected the simulator's Dumont URL, http://127.0.0.1:PORT`);
  }
  const apiKey = values['api-key'] ?? process.env.SIM_API_KEY ?? readJsonKey(credentialsFile, ['apiKey']);
  if (!apiKey) throw new UsageError(`--api-key: missing (pass --api-key, set SIM_API_KEY, or keep ${credentialsFile})`);
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/$/, '')}/_sim/state`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    process.stderr.write(`dumont-e2e sim state: cannot reach ${url}: ${(err as Error).message}\n`);
    return 1;
  }
  const text = await response.text();
  if (!response.ok) {
    process.stderr.write(
      `dumont-e2e sim state: ${url}/_sim/state answered ${response.status}: ${text.slice(0, 200)}\n`
    );
    return 1;
  }
  const state = JSON.parse(text) as SimState;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(
    `simulator at ${url} (profile ${state.profile ?? DEFAULT_SIM_PROFILE}): ${state.instances.length} instance(s), ${state.volumes.length} volume(s), ` +
      `$${state.billing.totalUsd.toFixed(4)} billed, ${Math.round(state.billing.gpuSeconds)} GPU-s, ` +
      `defects: ${state.defects.join(', ') || 'none'}, fault rate ${state.faults.rate}${injectedSummary(state)}\n`
  );
  for (const i of state.instances) {
    process.stdout.write(
      `  ${i.id}  ${i.label ?? '-'}  ${i.num_gpus}x ${i.gpu_name}  ${i.actual_status ?? 'null'}/${i.intended_status}  ssh ${i.ssh_port ?? '-'}\n`
    );
  }
  for (const v of state.volumes) process.stdout.write(`  ${v.name}  ${v.label ?? '-'}  ${v.disk_space} GB\n`);
  return 0;
}

/** `, faults injected: 429 ×3, drop ×1` (nothing when none was). */
function injectedSummary(state: SimState): string {
  const counts = Object.entries(state.faults.injected ?? {}).filter(([, n]) => n > 0);
  return counts.length ? `, faults injected: ${counts.map(([kind, n]) => `${kind} ×${n}`).join(', ')}` : '';
}
