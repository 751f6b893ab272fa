import fs from 'node:fs';
import { ensureKeySecret } from './key-secret';
import { isOurProcess, isPortOpen, stopProcess } from './processes';
import { loadOrCreateSimCredentials, type SimCredentials } from './sim-credentials';
import { DEFAULT_SIM_PROFILE, isSimProfile, SIM_PROFILES } from '../../sim/profiles';
import { assertSimPortsFree, SIM_MARKERS, simAnswers, simLiveInstances, startSim } from './sim-process';
import type { StackLocateOptions } from './stack-status';
import {
  resolveStackConfig,
  STACK_COMPONENTS,
  type StackComponent,
  type StackConfig,
  type StackConfigOverrides,
} from './stack-config';
import {
  readStackFile,
  removeStackFile,
  writeStackFile,
  type SimRecord,
  type StackFile,
  type TemporalRecord,
  type WorkerRecord,
} from './stack-file';
import { withStackLock } from './stack-lock';
import {
  ensureSearchAttributes,
  foreignTemporalRecord,
  isTemporalServer,
  RETENTION,
  setRetention,
  startTemporalServer,
  TEMPORAL_MARKERS,
} from './temporal-server';
import { startWorker, WORKER_MARKERS } from './worker-process';
import { OperationalError } from '../operational-error';
import { ensureReaperSchedule, REAPER_CRON, REAPER_SCHEDULE_ID } from './reaper-schedule';

export { stackStatus, type StackLocateOptions, type StackStatus } from './stack-status';

// Grace before SIGKILL: the worker drains in-flight activities (a create or destroy call should finish), the others
// only need to flush.
const WORKER_GRACE_MS = 40_000;
const SIM_GRACE_MS = 10_000;
const TEMPORAL_GRACE_MS = 20_000;

/** Options of {@link stackUp}. Ports and the data dir default to the `DUMONT_E2E_*` variables, then the defaults. */
export interface StackUpOptions extends StackConfigOverrides {
  /** Progress lines (one per component); silent when left out. */
  log?: (line: string) => void;
  /** Components to bring up (default all); `worker` brings up `temporal` and `sim` too. */
  components?: readonly StackComponent[];
  /**
   * The simulator's profile (`dumont-e2e sim --profile`; else env `DUMONT_E2E_SIM_PROFILE`). Like an explicit time
   * scale, it must match a running simulator, which is restarted otherwise (with the worker); left out, whatever runs
   * is fine, and a simulator started now runs {@link DEFAULT_SIM_PROFILE}.
   */
  profile?: string;
}

/** What `stack up` leaves running. Components not brought up are null. */
export interface StackInfo {
  dataDir: string;
  logsDir: string;
  temporal: TemporalRecord | null;
  sim: SimRecord | null;
  worker: WorkerRecord | null;
  /** When the first component of this stack was started (kept across idempotent ups). */
  startedAt: string;
  /**
   * What this call started or restarted (the rest was reused). A caller that brings the stack up only for itself
   * (`npm start`) passes it to `stackDown({ components })`, so a stack that was already running stays up.
   */
  started: StackComponent[];
}

function withDependencies(components: readonly StackComponent[]): Set<StackComponent> {
  const wanted = new Set(components);
  if (wanted.has('worker')) wanted.add('temporal').add('sim'); // the worker serves Temporal and talks to the simulator
  return wanted;
}

/**
 * Brings the local stack up: Temporal dev server (SQLite under the data dir, Web UI), the simulator, a worker against
 * both. Idempotent: a component whose process is alive and whose port answers is reused; only dead or stale ones are
 * (re)started. A Temporal server that already answers on the address and is not ours is used as it is, and recorded
 * as not started by us so {@link stackDown} never stops it.
 *
 * @throws Error naming the port and the variable to change when a port is taken by another program, or quoting the
 * component's log when it does not get ready. What was started before the failure stays recorded for `stack down`.
 */
export async function stackUp(opts: StackUpOptions = {}): Promise<StackInfo> {
  const cfg = resolveStackConfig(opts);
  const log = opts.log ?? (() => undefined);
  const wanted = withDependencies(opts.components ?? STACK_COMPONENTS);
  // A time scale or profile asked for explicitly must match a running simulator; otherwise whatever runs is fine.
  const explicitScale = opts.timeScale ?? (process.env.DUMONT_E2E_TIME_SCALE ? cfg.timeScale : undefined);
  const explicitProfile = opts.profile ?? (process.env.DUMONT_E2E_SIM_PROFILE || undefined);
  if (explicitProfile !== undefined && !isSimProfile(explicitProfile)) {
    throw new OperationalError(
      `${opts.profile !== undefined ? 'profile' : 'DUMONT_E2E_SIM_PROFILE'} must be one of ${SIM_PROFILES.join(', ')}, ` +
        `got '${explicitProfile}'`
    );
  }

  return withStackLock(cfg.lockFile, async () => {
    const state: StackFile = readStackFile(cfg.stackFile) ?? {
      temporal: null,
      sim: null,
      worker: null,
      startedAt: new Date().toISOString(),
    };
    const save = (): void => writeStackFile(cfg.stackFile, state);
    let temporalRestarted = false;
    const started: StackComponent[] = [];

    // Ports are checked before anything starts: a taken simulator port found only after the Temporal server
    // started would leave that server running behind the error.
    if (wanted.has('sim') && !(state.sim !== null && isOurProcess(state.sim.pid, SIM_MARKERS))) {
      await assertSimPortsFree(cfg);
    }
    if (wanted.has('temporal')) {
      const up = await upTemporal(cfg, state.temporal, log);
      temporalRestarted = up.changed;
      if (up.record.startedByUs && up.record.pid !== state.temporal?.pid) started.push('temporal');
      state.temporal = up.record;
      save();
    }

    if (wanted.has('sim')) {
      const { credentials, created } = loadOrCreateSimCredentials(cfg.credentialsFile);
      const previousSim = state.sim?.pid;
      const sim = await upSim(cfg, state, {
        explicitScale,
        explicitProfile,
        credentials,
        newCredentials: created,
        save,
        log,
      });
      if (sim.pid !== previousSim) started.push('sim');
      if (wanted.has('worker') && state.temporal) {
        const previousWorker = state.worker?.pid;
        const keySecret = ensureKeySecret(cfg.dataDir);
        const worker = await upWorker(cfg, state, {
          temporal: state.temporal,
          sim,
          credentials,
          keySecret: keySecret.secret,
          newKeySecret: keySecret.created,
          temporalRestarted,
          save,
          log,
        });
        if (worker.pid !== previousWorker) started.push('worker');
        // The belt to the sagas' braces: whatever a crash or a terminate leaves is reaped within one interval.
        if (await ensureReaperSchedule(state.temporal.address)) {
          log(`reaper    schedule ${REAPER_SCHEDULE_ID} created (${REAPER_CRON}, destroys what closed suites left)`);
        }
      }
    }
    return { dataDir: cfg.dataDir, logsDir: cfg.logsDir, ...state, started };
  });
}

interface UpContext {
  save: () => void;
  log: (line: string) => void;
}

async function upSim(
  cfg: StackConfig,
  state: StackFile,
  ctx: UpContext & {
    explicitScale: number | undefined;
    explicitProfile: string | undefined;
    credentials: SimCredentials;
    newCredentials: boolean;
  }
): Promise<SimRecord> {
  const sim = state.sim;
  const alive = sim !== null && isOurProcess(sim.pid, SIM_MARKERS);
  const scaleOk = ctx.explicitScale === undefined || ctx.explicitScale === sim?.timeScale;
  const profileOk = ctx.explicitProfile === undefined || ctx.explicitProfile === sim?.profile;
  const answers = alive && (await simAnswers(sim));
  if (answers && scaleOk && profileOk && !ctx.newCredentials) {
    ctx.log(`sim       running (pid ${sim.pid}, profile ${sim.profile}) dumont ${sim.dumontUrl} vast ${sim.vastUrl}`);
    return sim;
  }
  if (alive) {
    const asked = [
      ...(profileOk ? [] : [`profile ${ctx.explicitProfile}`]),
      ...(scaleOk ? [] : [`time scale ${ctx.explicitScale}`]),
    ].join(' and ');
    if (asked && answers) {
      // A restart for a setting loses the simulator's instances, and with them the suites running on it.
      const live = await simLiveInstances(sim, ctx.credentials.apiKey);
      if (live) {
        throw new OperationalError(
          `the stack's simulator (pid ${sim.pid}, profile ${sim.profile}, time scale ${sim.timeScale}) holds ${live} ` +
            `live instance${live === 1 ? '' : 's'} of suites in flight; restarting it for ${asked} would lose them: ` +
            "wait until they finish, or stop it first with 'npx dumont-e2e stack down --only sim,worker'"
        );
      }
    }
    const why = asked || (ctx.newCredentials ? 'new credentials' : 'not answering');
    ctx.log(`sim       restarting pid ${sim.pid} (${why})`);
    await stopProcess(sim.pid, SIM_GRACE_MS);
  }
  state.sim = null;
  ctx.save();
  const profile = ctx.explicitProfile ?? DEFAULT_SIM_PROFILE;
  ctx.log(`sim       starting on ports ${cfg.dumontPort} (dumont) and ${cfg.vastPort} (vast), profile ${profile}`);
  const started = await startSim(cfg, ctx.credentials, ctx.explicitScale ?? cfg.timeScale, profile);
  state.sim = started;
  ctx.save();
  ctx.log(`sim       started (pid ${started.pid}) dumont ${started.dumontUrl} vast ${started.vastUrl}`);
  return started;
}

async function upWorker(
  cfg: StackConfig,
  state: StackFile,
  ctx: UpContext & {
    temporal: TemporalRecord;
    sim: SimRecord;
    credentials: SimCredentials;
    keySecret: string;
    /** The key secret was just created: a running worker has none (or another one) and must be restarted. */
    newKeySecret: boolean;
    temporalRestarted: boolean;
  }
): Promise<WorkerRecord> {
  const w = state.worker;
  const alive = w !== null && isOurProcess(w.pid, WORKER_MARKERS);
  // A worker is reused only if it was started against exactly the Temporal server and simulator that run now.
  const current =
    alive &&
    !ctx.temporalRestarted &&
    w.temporalAddress === ctx.temporal.address &&
    w.simPid === ctx.sim.pid &&
    w.timeScale === ctx.sim.timeScale &&
    !ctx.newKeySecret;
  if (current) {
    ctx.log(`worker    running (pid ${w.pid})`);
    return w;
  }
  if (alive) {
    const why = ctx.newKeySecret ? 'a new key secret' : 'its Temporal server or simulator changed';
    ctx.log(`worker    restarting pid ${w.pid} (${why})`);
    await stopProcess(w.pid, WORKER_GRACE_MS);
  }
  state.worker = null;
  ctx.save();
  ctx.log('worker    starting');
  const started = await startWorker(cfg, ctx.temporal.address, ctx.sim, ctx.credentials, ctx.keySecret);
  state.worker = started;
  ctx.save();
  ctx.log(`worker    started (pid ${started.pid}), log ${cfg.logsDir}/worker.log`);
  return started;
}

async function upTemporal(
  cfg: StackConfig,
  prev: TemporalRecord | null,
  log: (line: string) => void
): Promise<{ record: TemporalRecord; changed: boolean }> {
  if (prev?.startedByUs && isOurProcess(prev.pid, TEMPORAL_MARKERS)) {
    if (await isTemporalServer(prev.address)) {
      const moved =
        prev.address === cfg.temporalAddress ? '' : ` (configured ${cfg.temporalAddress}: stack down first)`;
      log(`temporal  running (pid ${prev.pid}) at ${prev.address}, UI ${prev.uiUrl}${moved}`);
      return { record: prev, changed: false };
    }
    log(`temporal  pid ${prev.pid} does not answer on ${prev.address}; restarting it`);
    await stopProcess(prev.pid, TEMPORAL_GRACE_MS);
  }
  if (await isPortOpen(cfg.host, cfg.temporalPort)) {
    if (!(await isTemporalServer(cfg.temporalAddress))) {
      throw new OperationalError(
        `port ${cfg.temporalPort} (Temporal gRPC) is in use by a program that is not a Temporal server; ` +
          'set DUMONT_E2E_TEMPORAL_PORT (or `stack up --temporal-port N`) to a free port'
      );
    }
    const record = await foreignTemporalRecord(cfg);
    await ensureSearchAttributes(record.address);
    log(
      `temporal  using the server already running at ${record.address} (not started by the stack: ` +
        'down leaves it alone; search attributes registered, retention unchanged)'
    );
    return { record, changed: prev?.address !== record.address || prev.startedByUs };
  }
  log(`temporal  starting dev server on ${cfg.temporalAddress} (db ${cfg.dbFile})`);
  const record = await startTemporalServer(cfg);
  await ensureSearchAttributes(record.address);
  await setRetention(record.address, RETENTION);
  log(`temporal  started (pid ${record.pid}) at ${record.address}, UI ${record.uiUrl}, retention ${RETENTION}`);
  return { record, changed: true };
}

/** Options of {@link stackDown}. */
export interface StackDownOptions extends StackLocateOptions {
  /** Stop only these (default all), e.g. {@link StackInfo.started}; the others stay up and recorded. */
  components?: readonly StackComponent[];
}

/**
 * Stops what `stack up` started, worker first (it drains), then the simulator, then Temporal, each with SIGTERM and
 * SIGKILL after a grace. Never stops a Temporal server it did not start, nor a process whose pid now belongs to
 * another program. Keeps the database, logs and credentials.
 *
 * @throws Error listing the components that could not be stopped (they stay recorded).
 */
export async function stackDown(opts: StackDownOptions = {}): Promise<void> {
  const cfg = resolveStackConfig({ dataDir: opts.dataDir });
  const log = opts.log ?? (() => undefined);
  const which = new Set(opts.components ?? STACK_COMPONENTS);
  await withStackLock(cfg.lockFile, async () => {
    const state = readStackFile(cfg.stackFile);
    if (!state) {
      log(`stack     nothing recorded in ${cfg.stackFile}; nothing to stop`);
      return;
    }
    const errors: string[] = [];
    const stop = async (name: string, pid: number | null, markers: string[], graceMs: number): Promise<boolean> => {
      if (!isOurProcess(pid, markers)) {
        log(`${name.padEnd(9)} not running`);
        return true;
      }
      try {
        const how = await stopProcess(pid, graceMs);
        log(`${name.padEnd(9)} stopped (pid ${pid}, ${how})`);
        return true;
      } catch (err) {
        errors.push(`${name} (pid ${pid}): ${(err as Error).message}`);
        return false;
      }
    };
    if (which.has('worker') && (await stop('worker', state.worker?.pid ?? null, WORKER_MARKERS, WORKER_GRACE_MS))) {
      state.worker = null;
    }
    if (which.has('sim') && (await stop('sim', state.sim?.pid ?? null, SIM_MARKERS, SIM_GRACE_MS))) {
      state.sim = null;
      fs.rmSync(cfg.simReadyFile, { force: true });
    }
    if (which.has('temporal')) {
      if (state.temporal && !state.temporal.startedByUs) {
        log(`temporal  left running at ${state.temporal.address} (not started by the stack)`);
        state.temporal = null;
      } else if (await stop('temporal', state.temporal?.pid ?? null, TEMPORAL_MARKERS, TEMPORAL_GRACE_MS)) {
        state.temporal = null;
      }
    }
    if (errors.length > 0) {
      writeStackFile(cfg.stackFile, state);
      throw new Error(`stack down could not stop: ${errors.join('; ')}`);
    }
    if (state.temporal || state.sim || state.worker) writeStackFile(cfg.stackFile, state);
    else removeStackFile(cfg.stackFile);
  });
}
