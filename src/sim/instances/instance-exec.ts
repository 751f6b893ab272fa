/**
 * Commands on an instance: SSH exec/shell channels and the `onstart` script, each run as `bash -c` in its
 * own process group (so pause/destroy can kill everything it started), in the workspace, with a clean
 * environment — nothing of the simulator's own environment leaks in.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerChannel } from 'ssh2';
import { bridgeChannel } from './channel-bridge';
import { instancePaths, isPytorchImage } from './instance-files';
import type { SimInstance } from './instance-record';
import type { SimWorld } from '../world';
import { withDiskQuota } from '../features/disk-quota';

/**
 * The environment of every command on the instance: nothing leaks in from the simulator's own env. The SSH
 * client's `env` requests come first so they cannot move HOME or PATH; the create request's `env` comes
 * last, as `docker -e` would.
 */
export function instanceEnv(
  world: SimWorld,
  inst: SimInstance,
  clientEnv: Record<string, string>
): Record<string, string> {
  const paths = instancePaths(world.dataDir, inst.id);
  const env: Record<string, string> = {
    ...clientEnv,
    HOME: paths.workspace,
    PWD: paths.workspace,
    PATH: `${paths.bin}:/usr/local/bin:/usr/bin:/bin`,
    USER: 'root',
    LOGNAME: 'root',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    VAST_CONTAINERLABEL: `C.${inst.id}`,
    CONTAINER_ID: String(inst.id),
    CONTAINER_API_KEY: inst.instanceApiKey,
    NVIDIA_VISIBLE_DEVICES: 'all',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  // A real instance's Ollama uses the default 127.0.0.1:11434; here instances share the loopback.
  if (inst.ollamaPort !== null) env.OLLAMA_HOST = `127.0.0.1:${inst.ollamaPort}`;
  if (isPytorchImage(inst.image)) env.PYTHONPATH = paths.pythonLib;
  for (const [key, value] of inst.env) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) env[key] = value;
  return env;
}

/** One accepted SSH channel to run a command on. */
export interface ExecChannel {
  /** The command, or null for a shell session (which reads its commands from stdin). */
  command: string | null;
  channel: ServerChannel;
  /** The client's `env` requests. */
  env: Record<string, string>;
  /** The SSH connection the channel belongs to. */
  connection: { drop(): void };
}

/**
 * Runs one SSH exec (or shell) in the instance's workspace, streaming output and the exit status. Under the
 * ssh-drop-after-start fault the connection is dropped right after the command was spawned: the client sees
 * the connection close without an exit status, while the command runs on to completion in its process group
 * (as a nohup'd command would), its output discarded.
 */
export function runCommand(world: SimWorld, inst: SimInstance, exec: ExecChannel): void {
  const { command, channel } = exec;
  const groups = world.groups.get(inst.id);
  const paths = instancePaths(world.dataDir, inst.id);
  if (!groups || inst.destroyedAt !== null) {
    channel.exit(255);
    channel.end();
    return;
  }
  const child = groups.spawn(withDiskQuota(world, inst, command ?? 'exec bash'), {
    cwd: paths.workspace,
    env: instanceEnv(world, inst, exec.env),
  });
  bridgeChannel(child, channel, {
    dropAfterStart: () => {
      if (command === null || !world.faults.roll('ssh-drop-after-start')) return false;
      world.log(`instance ${inst.id}: ssh-drop-after-start fault, connection dropped after spawning the command`);
      exec.connection.drop();
      return true;
    },
  });
}

/** Runs the create request's `onstart` script in the background at every container start. */
export function runOnstart(world: SimWorld, inst: SimInstance): void {
  const groups = world.groups.get(inst.id);
  if (!groups || !inst.onstart) return;
  const paths = instancePaths(world.dataDir, inst.id);
  const log = fs.openSync(path.join(paths.var, 'onstart.log'), 'a');
  const child = groups.spawn(withDiskQuota(world, inst, inst.onstart), {
    cwd: paths.workspace,
    env: instanceEnv(world, inst, {}),
  });
  child.stdout.on('data', (chunk: Buffer) => fs.writeSync(log, chunk));
  child.stderr.on('data', (chunk: Buffer) => fs.writeSync(log, chunk));
  child.stdin.end();
  child.on('close', () => fs.closeSync(log));
}
