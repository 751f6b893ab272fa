/**
 * The instance state machine (`docs/simulator.md` § Clock and timings): create → created → loading →
 * running; stop → stopped; start → scheduling → loading → running; destroy. Every transition cancels
 * the instance's pending timers and bumps its epoch, so a late timer or a slow async boot can never
 * resurrect a state the user already left. Instance defects hook in here; Dumont-only defects live in
 * the Dumont face.
 */
import { mismatchedModel } from './gpu-models';
import {
  instancePaths,
  isPytorchImage,
  prepareInstanceDir,
  removeInstanceDir,
  wipeWorkspace,
  writeGpuTools,
} from './instance-files';
import { runCommand, runOnstart } from './instance-exec';
import { ProcessGroups } from './process-groups';
import { startSshHost } from './ssh-host';
import type { ActualStatus, SimInstance } from '../types';
import type { SimWorld } from '../world';

/** Platform seconds of each phase. */
export const TIMINGS = {
  toCreated: 3,
  toLoading: 5,
  bootBase: 40,
  bootPytorch: 90,
  slowBootFactor: 5,
  toStopped: 1,
  scheduling: 5,
  resumeLoading: 15,
  lateSshPort: 20,
  longPause: 120,
  stuckScheduling: 7200,
} as const;

/** The image Dumont falls back to under the custom-image-ignored defect. */
export const BASE_IMAGE = 'vastai/base-image:latest';

export interface CreateRequest {
  offerId: number;
  image: string;
  disk: number;
  label: string | null;
  env: [string, string][];
  onstart: string | null;
  runtype: string;
  /** Bid $/h (interruptible); undefined = on-demand at the offer's dph_total. */
  price?: number;
  via: 'vast' | 'dumont';
}

function schedule(world: SimWorld, inst: SimInstance, seconds: number, fn: () => void): void {
  const timer = world.clock.after(seconds, () => {
    inst.timers.delete(timer);
    fn();
  });
  inst.timers.add(timer);
}

function transition(world: SimWorld, inst: SimInstance): void {
  for (const timer of inst.timers) world.clock.cancel(timer);
  inst.timers.clear();
  inst.epoch++;
}

/** Sets the observed status, opening or closing the GPU billing interval. */
function setActual(world: SimWorld, inst: SimInstance, status: ActualStatus, msg: string | null): void {
  const now = world.clock.platformNow();
  if (inst.actual === 'running' && status !== 'running' && inst.runningSince !== null) {
    inst.runningSeconds += now - inst.runningSince;
    inst.runningSince = null;
  }
  if (status === 'running' && inst.actual !== 'running') inst.runningSince = now;
  inst.actual = status;
  inst.statusMsg = msg;
  world.log(`instance ${inst.id} (${inst.label ?? 'no label'}): actual_status ${status ?? 'null'}`);
}

function closeSsh(world: SimWorld, inst: SimInstance): void {
  const host = world.hosts.get(inst.id);
  world.hosts.delete(inst.id);
  inst.sshPort = null;
  if (host) void host.close();
}

/**
 * Rents an offer. Returns the new instance, or `no_such_ask` when the offer is unknown or off the
 * market. A bid below the offer's `min_bid` creates the instance stopped, as VAST does (`below-min-bid`).
 */
export function createInstance(world: SimWorld, req: CreateRequest): SimInstance | 'no_such_ask' {
  const offer = world.offerById.get(req.offerId);
  if (!offer || world.rented.has(offer.id)) return 'no_such_ask';
  world.rented.add(offer.id);
  const now = world.clock.platformNow();
  const id = world.nextInstanceId++;
  const paths = instancePaths(world.dataDir, id);
  const isBid = req.price !== undefined;
  const inst: SimInstance = {
    id,
    offer,
    label: req.label,
    image: req.image,
    disk: req.disk,
    env: req.env,
    onstart: req.onstart,
    runtype: req.runtype,
    isBid,
    dphTotal:
      req.price ??
      (world.has('price-differs-from-offer') ? Number((offer.dph_total * 1.15).toFixed(4)) : offer.dph_total),
    createdVia: req.via,
    instanceApiKey: world.prng.hex(64),
    actual: null,
    intended: 'running',
    statusMsg: null,
    createdAt: now,
    destroyedAt: null,
    runningSeconds: 0,
    runningSince: null,
    sshPort: null,
    sshPortVisibleAt: 0,
    accountKeys: world.sshKeys.map((k) => k.key),
    instanceKeys: [],
    resumeCount: 0,
    stoppedAt: null,
    reportedGpus: null,
    epoch: 0,
    timers: new Set(),
    dir: paths.root,
  };
  prepareInstanceDir(paths);
  world.instances.set(id, inst);
  world.allInstances.push(inst);
  world.groups.set(id, new ProcessGroups());
  world.log(`instance ${id} created on offer ${offer.id} (${offer.num_gpus}x ${offer.gpu_name}, ${req.image})`);
  if (isBid && (req.price ?? 0) < offer.min_bid) {
    inst.intended = 'stopped';
    inst.stoppedAt = now;
    setActual(world, inst, 'stopped', 'Bid price below the current minimum; instance created stopped.');
    return inst;
  }
  schedule(world, inst, TIMINGS.toCreated, () => {
    setActual(world, inst, 'created', 'Creating container');
    schedule(world, inst, TIMINGS.toLoading, () => {
      enterLoading(world, inst, isPytorchImage(inst.image) ? TIMINGS.bootPytorch : TIMINGS.bootBase, false);
    });
  });
  return inst;
}

function enterLoading(world: SimWorld, inst: SimInstance, seconds: number, failBoot: boolean): void {
  setActual(world, inst, 'loading', `Pulling image ${inst.image}`);
  const factor = world.faults.roll('slow-boot') ? TIMINGS.slowBootFactor : 1;
  schedule(world, inst, seconds * factor, () => {
    if (failBoot) {
      setActual(world, inst, 'exited', 'Error: container exited unexpectedly with code 137 while starting');
      return;
    }
    void boot(world, inst);
  });
}

/** Writes the GPU tools for what the machine reports, opens its SSH server, then reports running. */
async function boot(world: SimWorld, inst: SimInstance): Promise<void> {
  const epoch = inst.epoch;
  const paths = instancePaths(world.dataDir, inst.id);
  const reported = {
    name: world.has('gpu-model-mismatch') ? mismatchedModel(inst.offer.gpu_name) : inst.offer.gpu_name,
    count: world.has('multi-gpu-partial') && inst.offer.num_gpus > 1 ? 1 : inst.offer.num_gpus,
  };
  try {
    writeGpuTools(paths, inst.id, reported, inst.image);
    const host = await startSshHost({
      hostKey: world.hostKey,
      authorizedKeys: () => [...inst.accountKeys, ...inst.instanceKeys.map((k) => k.key)],
      shouldReset: () => world.faults.roll('ssh-reset'),
      exec: (command, channel, env) => runCommand(world, inst, command, channel, env),
    });
    if (inst.epoch !== epoch || inst.destroyedAt !== null) {
      await host.close();
      return;
    }
    world.hosts.set(inst.id, host);
    inst.sshPort = host.port;
    inst.reportedGpus = reported;
    const now = world.clock.platformNow();
    inst.sshPortVisibleAt = world.faults.roll('late-ssh-port') ? now + TIMINGS.lateSshPort : 0;
    setActual(world, inst, 'running', `success, running ${inst.image}/ssh`);
    if (inst.onstart) runOnstart(world, inst);
  } catch (err) {
    if (inst.epoch === epoch && inst.destroyedAt === null) {
      setActual(world, inst, 'exited', `Error: container start failed: ${(err as Error).message}`);
    }
  }
}

/** Pauses: processes killed and SSH closed at once, `stopped` after 1 platform s. Idempotent. */
export function stopInstance(world: SimWorld, inst: SimInstance): void {
  if (inst.intended === 'stopped') return;
  transition(world, inst);
  inst.intended = 'stopped';
  inst.stoppedAt = world.clock.platformNow();
  if (!world.has('pause-keeps-processes')) world.groups.get(inst.id)?.killAll();
  closeSsh(world, inst);
  world.log(`instance ${inst.id}: stop requested`);
  schedule(world, inst, TIMINGS.toStopped, () => setActual(world, inst, 'stopped', 'Instance stopped'));
}

/** Resumes: scheduling → loading → running. No-op while already running or booting. */
export function startInstance(world: SimWorld, inst: SimInstance): void {
  if (inst.intended === 'running' && inst.actual !== 'exited') return;
  transition(world, inst);
  const now = world.clock.platformNow();
  const pausedFor = inst.stoppedAt !== null ? now - inst.stoppedAt : 0;
  inst.intended = 'running';
  inst.resumeCount++;
  closeSsh(world, inst);
  if (world.has('resume-loses-disk')) wipeWorkspace(instancePaths(world.dataDir, inst.id));
  const failBoot = world.has('resume-fails-on-third-cycle') && inst.resumeCount === 3;
  const stuck = world.has('cold-start-stuck-after-long-pause') && pausedFor > TIMINGS.longPause;
  world.log(`instance ${inst.id}: start requested (resume #${inst.resumeCount})`);
  setActual(world, inst, 'scheduling', 'Scheduling: waiting for the GPU to be free');
  schedule(world, inst, stuck ? TIMINGS.stuckScheduling : TIMINGS.scheduling, () =>
    enterLoading(world, inst, TIMINGS.resumeLoading, failBoot)
  );
}

/** Destroys: processes killed, SSH closed, workspace deleted, offer back on the market (unless defects). */
export function destroyInstance(world: SimWorld, inst: SimInstance): void {
  if (inst.destroyedAt !== null) return;
  transition(world, inst);
  world.groups.get(inst.id)?.killAll();
  world.groups.delete(inst.id);
  closeSsh(world, inst);
  setActual(world, inst, null, null);
  const now = world.clock.platformNow();
  inst.destroyedAt = now;
  world.instances.delete(inst.id);
  try {
    removeInstanceDir(instancePaths(world.dataDir, inst.id));
  } catch (err) {
    world.log(`instance ${inst.id}: could not remove its directory: ${(err as Error).message}`);
  }
  if (!world.has('offer-not-released')) world.rented.delete(inst.offer.id);
  if (world.has('storage-billed-after-destroy')) {
    const id = world.nextVolumeId++;
    world.volumes.push({
      id,
      name: `V.${id}`,
      label: inst.label,
      diskSpace: inst.disk,
      machineId: inst.offer.machine_id,
      storageCost: inst.offer.storage_cost,
      createdAt: now,
      deletedAt: null,
    });
  }
  world.log(`instance ${inst.id} destroyed`);
}

/** `ssh_port` as rows show it: null unless running, and during the late-ssh-port window. */
export function visibleSshPort(world: SimWorld, inst: SimInstance): number | null {
  if (inst.actual !== 'running' || inst.sshPort === null) return null;
  return world.clock.platformNow() >= inst.sshPortVisibleAt ? inst.sshPort : null;
}

/** Stops everything at simulator shutdown: timers, SSH servers, processes. */
export async function shutdownInstances(world: SimWorld): Promise<void> {
  world.clock.stopAll();
  for (const inst of world.instances.values()) {
    transition(world, inst);
    world.groups.get(inst.id)?.killAll();
  }
  const hosts = [...world.hosts.values()];
  world.hosts.clear();
  await Promise.all(hosts.map((h) => h.close()));
}
