/**
 * What the serverless feature does over time: the monitor (every 5 platform s: each enabled, running
 * instance's GPU utilisation from its agent's heartbeat and from what runs on it; idle continuously for the
 * idle timeout, outside the grace period and not busy → auto-pause), the native pause and the wake (with
 * its measured cold start), and the CPU standbys of fast mode (synced every 10 platform s while the GPU
 * instance runs; a ready one makes the wake quick). The serverless defects that change behaviour act here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NORMAL_RESUME, startInstance, stopInstance, type ResumeTimings } from '../../instances/instance-control';
import { gpuUtilization } from '../../instances/gpu-utilization';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import { visibleSshPort } from '../../instances/transitions';
import type { SimWorld } from '../../world';
import {
  asIs,
  ledgerOf,
  liveStandby,
  round,
  SERVERLESS_TIMINGS as T,
  STANDBY_DPH,
  willPauseAt,
  type CpuStandby,
  type ServerlessConfig,
  type ServerlessState,
} from './serverless-store';
import type { SimTimer } from '../../core/clock';

/**
 * The GPU utilisation the instance itself reports, 0–100: what its `nvidia-smi` shows while `gpu-stress`
 * processes run on it (`instances/gpu-utilization.ts`).
 */
export function ownGpuUtil(world: SimWorld, inst: SimInstance): number {
  return gpuUtilization(world, inst);
}

/** Running, as the monitor means it: the user wants it running and it is. */
function isRunning(inst: SimInstance): boolean {
  return inst.intended === 'running' && inst.actual === 'running' && inst.destroyedAt === null;
}

/** Running with its SSH port open and shown. */
export function sshReady(world: SimWorld, inst: SimInstance): boolean {
  return isRunning(inst) && visibleSshPort(world, inst) !== null;
}

/** The utilisation the monitor sees: the max of a fresh heartbeat's and the instance's own. */
export function observedUtil(
  world: SimWorld,
  state: ServerlessState,
  cfg: ServerlessConfig,
  inst: SimInstance
): number {
  // The real server without a heartbeat: 100 %, so it never pauses.
  if (world.has('auto-pause-never-fires', cfg.label)) return 100;
  const beat = state.heartbeats.get(cfg.instanceId);
  // dumont-as-is: only the agent's last heartbeat counts, and none means 100.
  if (asIs(world)) return beat?.utilization ?? 100;
  const now = world.clock.platformNow();
  const fromAgent =
    beat && beat.utilization !== null && now - beat.receivedAt <= T.heartbeatValid ? beat.utilization : 0;
  const own = world.has('pauses-under-gpu-load', cfg.label) ? 0 : ownGpuUtil(world, inst);
  return Math.max(fromAgent, own);
}

/**
 * One look at one enabled instance: its utilisation, whether it is idle (since when), and, when `mayPause`
 * (the monitor's tick), the auto-pause once due.
 */
export function observe(world: SimWorld, state: ServerlessState, cfg: ServerlessConfig, mayPause: boolean): void {
  const inst = world.instances.get(cfg.instanceId);
  if (!inst || cfg.isPaused || !isRunning(inst)) {
    cfg.idleSince = null;
    return;
  }
  const now = world.clock.platformNow();
  const util = observedUtil(world, state, cfg, inst);
  cfg.currentGpuUtil = util;
  if (cfg.inferenceBusy || util >= cfg.gpuThreshold) {
    cfg.idleSince = null;
    return;
  }
  cfg.idleSince ??= now;
  const due = willPauseAt(world, cfg);
  if (mayPause && due !== null && now >= due) autoPause(world, state, cfg, inst);
}

/** The auto-pause: a native stop (GPU billing stops), or only a record under economic-pause-not-native. */
function autoPause(world: SimWorld, state: ServerlessState, cfg: ServerlessConfig, inst: SimInstance): void {
  const now = world.clock.platformNow();
  const native = !(cfg.mode !== 'fast' && world.has('economic-pause-not-native', cfg.label));
  const idleFor = cfg.idleSince !== null ? now - cfg.idleSince : 0;
  cfg.isPaused = true;
  cfg.idleSince = null;
  const ledger = ledgerOf(state, inst.id);
  ledger.pausedAt = now;
  ledger.native = native;
  ledger.pauses++;
  world.log(
    `serverless: instance ${inst.id} idle for ${idleFor.toFixed(1)} s: auto-pause (${cfg.mode}${native ? '' : ', only recorded'})`
  );
  if (!native) return;
  // Fast mode: a last sync before the GPU stops, so the standby serves the state as it was at the pause.
  const standby = cfg.mode === 'fast' ? liveStandby(state, inst.id) : undefined;
  if (standby) syncStandby(world, standby);
  state.ownTransitions.add(inst.id);
  try {
    stopInstance(world, inst);
  } finally {
    state.ownTransitions.delete(inst.id);
  }
}

/** Ends the feature's pause: its paused time goes to the ledger. */
export function endPause(world: SimWorld, state: ServerlessState, cfg: ServerlessConfig): void {
  if (!cfg.isPaused) return;
  const ledger = ledgerOf(state, cfg.instanceId);
  if (ledger.pausedAt !== null && ledger.native) {
    ledger.pausedSeconds += Math.max(0, world.clock.platformNow() - ledger.pausedAt);
  }
  if (asIs(world) && ledger.pausedAt !== null) {
    // The real server: (0.30 − idle_rate) × idle hours, credited at the wake.
    ledger.creditedUsd += (T.constantRateDph * Math.max(0, world.clock.platformNow() - ledger.pausedAt)) / 3600;
  }
  ledger.pausedAt = null;
  ledger.native = true;
  cfg.isPaused = false;
  cfg.idleSince = null;
}

/** Starts the monitor if it is not running: a tick every {@link T.monitorInterval} platform seconds. */
export function ensureMonitor(world: SimWorld, state: ServerlessState): void {
  if (state.monitor !== null) return;
  const tick = (): void => {
    state.monitor = world.clock.after(T.monitorInterval, tick);
    for (const cfg of state.configs.values()) {
      try {
        observe(world, state, cfg, true);
      } catch (err) {
        world.log(`serverless: monitor failed on instance ${cfg.instanceId}: ${(err as Error).message}`);
      }
    }
  };
  state.monitor = world.clock.after(T.monitorInterval, tick);
}

// ---- CPU standby (fast mode) ----

/**
 * Creates the CPU standby of `inst` (one per GPU instance); it syncs every {@link T.standbySync} platform seconds
 * while the GPU instance runs, unless `syncEvery` is null (the failover feature syncs its own way). `label`
 * defaults to the instance's label + `/standby`.
 */
export function createStandby(
  world: SimWorld,
  state: ServerlessState,
  inst: SimInstance,
  opts: { label?: string; syncEvery?: number | null } = {}
): CpuStandby {
  const existing = liveStandby(state, inst.id);
  if (existing) return existing;
  const standby: CpuStandby = {
    gpuInstanceId: inst.id,
    label: opts.label ?? `${inst.label ?? `C.${inst.id}`}/standby`,
    state: 'syncing',
    syncCount: 0,
    lastSyncAt: null,
    dphTotal: STANDBY_DPH,
    createdAt: world.clock.platformNow(),
    destroyedAt: null,
    timer: null,
  };
  const every = opts.syncEvery === undefined ? T.standbySync : opts.syncEvery;
  if (every !== null) {
    const sync = (): void => {
      standby.timer = world.clock.after(every, sync);
      const gpu = world.instances.get(standby.gpuInstanceId);
      if (gpu && isRunning(gpu)) syncStandby(world, standby);
    };
    standby.timer = world.clock.after(every, sync);
  }
  state.standbys.push(standby);
  world.log(`serverless: CPU standby ${standby.label} created for instance ${inst.id}`);
  return standby;
}

/** One sync from the GPU instance: the standby then holds its state (`ready`). */
function syncStandby(world: SimWorld, standby: CpuStandby): void {
  standby.syncCount++;
  standby.lastSyncAt = world.clock.platformNow();
  standby.state = 'ready';
}

/** Destroys a standby (its timer stops, its charges end). */
export function destroyStandby(world: SimWorld, standby: CpuStandby): void {
  if (standby.destroyedAt !== null) return;
  if (standby.timer) world.clock.cancel(standby.timer);
  standby.timer = null;
  standby.destroyedAt = world.clock.platformNow();
  standby.ext?.destroy();
  world.log(`serverless: CPU standby ${standby.label} destroyed`);
}

/** How a resume of `cfg`'s instance runs: quick when a ready standby serves the state, else the normal one. */
export function resumeTimings(state: ServerlessState, cfg: ServerlessConfig): ResumeTimings {
  // (dumont-as-is never creates a standby: its fast mode is a checkpoint plus a VAST pause.)
  if (cfg.mode === 'fast' && liveStandby(state, cfg.instanceId)?.state === 'ready') {
    return { scheduling: 0, loading: T.fastResumeLoading };
  }
  return NORMAL_RESUME;
}

// ---- wake ----

/**
 * Waits until the instance runs with its SSH port shown; resolves with the platform time it became ready,
 * or null when it is destroyed, stopped again, the simulator stops, or `timeout` platform seconds pass.
 */
export function waitForSsh(
  world: SimWorld,
  state: ServerlessState,
  inst: SimInstance,
  timeout: number
): Promise<number | null> {
  const deadline = world.clock.platformNow() + timeout;
  return new Promise((resolve) => {
    let timer: SimTimer | null = null;
    const waiters = state.waiters;
    const done = (value: number | null): void => {
      if (timer) world.clock.cancel(timer);
      waiters.delete(abort);
      resolve(value);
    };
    const abort = (): void => done(null);
    waiters.add(abort);
    const poll = (): void => {
      timer = null;
      if (sshReady(world, inst)) {
        // Exact: when it reported running, or when its port became visible (late-ssh-port), whichever is later.
        return done(Math.max(inst.runningSince ?? 0, inst.sshPortVisibleAt));
      }
      if (inst.destroyedAt !== null || inst.intended !== 'running' || world.clock.platformNow() >= deadline) {
        return done(null);
      }
      timer = world.clock.after(0.25, poll);
    };
    poll();
  });
}

/** Wake's 200 body once SSH is ready. */
function resumedBody(
  world: SimWorld,
  cfg: ServerlessConfig,
  inst: SimInstance,
  coldStart: number,
  standbyServed: boolean
): Record<string, unknown> {
  return {
    instance_id: inst.id,
    status: 'resumed',
    cold_start_seconds: round(coldStart, 3),
    mode: cfg.mode,
    method: standbyServed ? 'cpu_standby_restore' : 'native_resume',
    ssh_host: '127.0.0.1',
    ssh_port: visibleSshPort(world, inst),
    checkpoint_restored: standbyServed,
  };
}

/** What wake answers: status and body. */
export interface WakeResult {
  status: number;
  body: Record<string, unknown>;
}

/** `POST /serverless/wake/{id}`: resumes and answers once SSH is reachable, with the measured cold start. */
export async function wake(
  world: SimWorld,
  state: ServerlessState,
  cfg: ServerlessConfig,
  inst: SimInstance
): Promise<WakeResult> {
  const requestedAt = world.clock.platformNow();
  if (isRunning(inst)) {
    // Never stopped (a user resume, or a pause only recorded): nothing to wake.
    const wasPaused = cfg.isPaused;
    endPause(world, state, cfg);
    if (wasPaused) cfg.graceUntil = requestedAt + T.grace;
    if (!wasPaused && sshReady(world, inst)) {
      return { status: 200, body: { instance_id: inst.id, status: 'already_running', mode: cfg.mode } };
    }
  }
  if (world.has('model-lost-on-wake', inst.label)) {
    fs.rmSync(path.join(instancePaths(world.dataDir, inst.id).workspace, '.ollama'), { recursive: true, force: true });
  }
  const timings = resumeTimings(state, cfg);
  const standbyServed = timings !== NORMAL_RESUME;
  const defect404 = cfg.mode !== 'fast' && world.has('wake-404-while-resuming', inst.label);
  // The resume does not end the feature's pause: under the defect it "stays is_paused"; under dumont-as-is it
  // ends only once SSH answered within the verify timeout.
  const quiet = defect404 || asIs(world);
  if (quiet) state.ownTransitions.add(inst.id);
  try {
    startInstance(world, inst, timings);
  } finally {
    state.ownTransitions.delete(inst.id);
  }
  if (defect404) {
    world.log(`serverless: wake of instance ${inst.id} answers 404 while it resumes (wake-404-while-resuming)`);
    return { status: 404, body: { error: 'SSH not ready' } };
  }
  if (cfg.mode === 'fast' && world.has('fast-wake-reports-before-ssh', inst.label)) {
    cfg.coldStarts.push(0.5);
    return { status: 200, body: { ...resumedBody(world, cfg, inst, 0.5, standbyServed), ssh_port: null } };
  }
  const readyAt = await waitForSsh(world, state, inst, asIs(world) ? T.asIsSshVerify : T.wakeTimeout);
  if (readyAt === null) return { status: 404, body: { error: 'SSH not ready' } };
  if (quiet) endPause(world, state, cfg);
  const coldStart = Math.max(0, readyAt - requestedAt);
  cfg.coldStarts.push(coldStart);
  cfg.graceUntil = readyAt + T.grace;
  world.log(`serverless: instance ${inst.id} woken in ${coldStart.toFixed(2)} s (${cfg.mode})`);
  return { status: 200, body: resumedBody(world, cfg, inst, coldStart, standbyServed) };
}
