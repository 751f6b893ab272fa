/**
 * The end of every boot (after create and after resume): `loading` for the image's pull time, then the
 * machine's GPU tools are written for what it reports, its SSH server opens, and it reports `running`.
 */
import type { SimWorld } from '../world';
import { mismatchedModel } from './gpu-models';
import { runCommand, runOnstart } from './instance-exec';
import { instancePaths, writeGpuTools } from './instance-files';
import type { SimInstance } from './instance-record';
import { allocateOllamaPort } from './ollama-port';
import { startSshHost } from './ssh-host';
import { TIMINGS } from './timings';
import { emit, schedule, setActual } from './transitions';

/** Enters `loading` for `seconds` (×5 under slow-boot); `failBoot` ends it in `exited` instead. */
export function enterLoading(world: SimWorld, inst: SimInstance, seconds: number, failBoot: boolean): void {
  setActual(world, inst, 'loading', `Pulling image ${inst.image}`);
  const factor = world.faults.roll('slow-boot', inst.label ?? String(inst.id)) ? TIMINGS.slowBootFactor : 1;
  schedule(world, inst, seconds * factor, () => {
    if (failBoot) {
      setActual(world, inst, 'exited', 'Error: container exited unexpectedly with code 137 while starting');
      return;
    }
    void boot(world, inst);
  });
}

/**
 * Writes the GPU tools for what the machine reports (and, at the first boot, draws its Ollama port), opens
 * its SSH server, then reports running.
 */
async function boot(world: SimWorld, inst: SimInstance): Promise<void> {
  const epoch = inst.epoch;
  const paths = instancePaths(world.dataDir, inst.id);
  const reported = {
    name: world.has('gpu-model-mismatch', inst.label) ? mismatchedModel(inst.offer.gpu_name) : inst.offer.gpu_name,
    count: world.has('multi-gpu-partial', inst.label) && inst.offer.num_gpus > 1 ? 1 : inst.offer.num_gpus,
  };
  try {
    inst.ollamaPort ??= await allocateOllamaPort();
    writeGpuTools(paths, inst.id, reported, inst.image);
    const host = await startSshHost({
      // The endpoint of the first boot again: VAST's proxy keeps an instance's host and port across stop/start.
      port: inst.sshEndpointPort ?? 0,
      sftpHome: paths.workspace,
      hostKey: world.hostKey,
      authorizedKeys: () => [...inst.accountKeys, ...inst.instanceKeys.map((k) => k.key)],
      shouldReset: () => world.faults.roll('ssh-reset'),
      exec: (command, channel, env, connection) => runCommand(world, inst, { command, channel, env, connection }),
    });
    if (inst.epoch !== epoch || inst.destroyedAt !== null) {
      await host.close();
      return;
    }
    world.hosts.set(inst.id, host);
    inst.sshPort = host.port;
    inst.sshEndpointPort ??= host.port;
    inst.reportedGpus = reported;
    const now = world.clock.platformNow();
    inst.sshPortVisibleAt = world.faults.roll('late-ssh-port', inst.label ?? String(inst.id))
      ? now + TIMINGS.lateSshPort
      : 0;
    setActual(world, inst, 'running', `success, running ${inst.image}/ssh`);
    if (inst.onstart) runOnstart(world, inst);
    emit(world, inst, { type: 'boot' });
  } catch (err) {
    if (inst.epoch === epoch && inst.destroyedAt === null) {
      setActual(world, inst, 'exited', `Error: container start failed: ${(err as Error).message}`);
    }
  }
}
