/**
 * A CPU standby machine: a directory of its own (`bin/`, `workspace/` = HOME and cwd of every command, `var/`), an
 * SSH endpoint (the GPU instance's keys, installed when it was provisioned) and its own process groups. It has no
 * GPU: its `nvidia-smi` fails as on a VM without the driver. Commands run as on an instance (`bash -c` in the
 * workspace, a clean environment), and its start command (the GPU instance's `onstart`) runs when it takes over.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerChannel } from 'ssh2';
import { bridgeChannel } from '../../instances/channel-bridge';
import { ProcessGroups } from '../../instances/process-groups';
import { startSshHost, type SshHost } from '../../instances/ssh-host';
import type { SimWorld } from '../../world';

const NO_DRIVER_SMI = `#!/bin/sh
echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running." >&2
exit 9
`;

/** Stateful infrastructure: one standby VM. */
export class StandbyHost {
  readonly root: string;
  readonly bin: string;
  readonly workspace: string;
  readonly var: string;
  private readonly groups = new ProcessGroups();
  private ssh: SshHost | null = null;
  private closed = false;

  constructor(
    private readonly world: SimWorld,
    /** `sb-<n>`: the VM's name. */
    readonly name: string,
    private readonly authorizedKeys: () => string[]
  ) {
    this.root = path.join(world.dataDir, 'standbys', name);
    this.bin = path.join(this.root, 'bin');
    this.workspace = path.join(this.root, 'workspace');
    this.var = path.join(this.root, 'var');
    for (const dir of [this.bin, this.workspace, this.var]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(this.bin, 'nvidia-smi'), NO_DRIVER_SMI, { mode: 0o755 });
    fs.writeFileSync(path.join(this.bin, 'python'), '#!/bin/sh\nexec python3 "$@"\n', { mode: 0o755 });
  }

  /** The SSH port, or null before `start()` and after `close()`. */
  get sshPort(): number | null {
    return this.ssh?.port ?? null;
  }

  /** Opens the SSH endpoint (idempotent). */
  async start(): Promise<void> {
    if (this.ssh || this.closed) return;
    const host = await startSshHost({
      hostKey: this.world.hostKey,
      authorizedKeys: this.authorizedKeys,
      shouldReset: () => this.world.faults.roll('ssh-reset'),
      exec: (command, channel, env) => this.exec(command, channel, env),
    });
    if (this.closed) {
      await host.close();
      return;
    }
    this.ssh = host;
  }

  private env(clientEnv: Record<string, string>): Record<string, string> {
    return {
      ...clientEnv,
      HOME: this.workspace,
      PWD: this.workspace,
      PATH: `${this.bin}:/usr/local/bin:/usr/bin:/bin`,
      USER: 'root',
      LOGNAME: 'root',
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      DUMONT_STANDBY: this.name,
      PYTHONDONTWRITEBYTECODE: '1',
    };
  }

  /** One SSH exec (or shell) in the workspace, streaming output and the exit status. */
  private exec(command: string | null, channel: ServerChannel, clientEnv: Record<string, string>): void {
    if (this.closed) {
      channel.exit(255);
      channel.end();
      return;
    }
    const child = this.groups.spawn(command ?? 'exec bash', { cwd: this.workspace, env: this.env(clientEnv) });
    bridgeChannel(child, channel);
  }

  /** Runs `command` in the background (the service the standby takes over), its output in `var/onstart.log`. */
  runInBackground(command: string): void {
    if (this.closed) return;
    const log = fs.openSync(path.join(this.var, 'onstart.log'), 'a');
    const child = this.groups.spawn(command, { cwd: this.workspace, env: this.env({}) });
    child.stdout.on('data', (chunk: Buffer) => fs.writeSync(log, chunk));
    child.stderr.on('data', (chunk: Buffer) => fs.writeSync(log, chunk));
    child.on('error', () => undefined);
    child.stdin.end();
    child.on('close', () => fs.closeSync(log));
  }

  /** Kills everything the standby runs (the service moves back to a GPU). */
  killAll(): void {
    this.groups.killAll();
  }

  /** Stops the VM: processes killed, SSH closed, its directory removed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.groups.killAll();
    const ssh = this.ssh;
    this.ssh = null;
    await ssh?.close();
    try {
      fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch (err) {
      this.world.log(`standby ${this.name}: could not remove its directory: ${(err as Error).message}`);
    }
  }
}
