/**
 * An SSH exec (or shell) channel wired to the process that runs its command, as sshd does: the process's output to
 * the channel, the channel's input to the process, and the process's exit status (or signal) to the client. Shared
 * by instances (`instance-exec.ts`) and the CPU standby VMs of failover (`features/failover/standby-machine.ts`).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ServerChannel } from 'ssh2';

/** What the machine may do to the channel right after the process started. */
export interface BridgeOptions {
  /**
   * Called once the output is wired: true when the machine dropped the connection instead of serving the channel
   * (a fault); the process runs on, its output drained and discarded.
   */
  dropAfterStart?: () => boolean;
}

/** Serves `channel` with `child` until the child exits (or the client goes). */
export function bridgeChannel(
  child: ChildProcessWithoutNullStreams,
  channel: ServerChannel,
  opts: BridgeOptions = {}
): void {
  let done = false;
  const safely = (fn: () => void): void => {
    try {
      fn();
    } catch {
      // The channel closed under us (client gone, instance paused).
    }
  };
  channel.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  // Output is always drained, so a command whose client is gone never blocks on a full pipe.
  child.stdout.on('data', (chunk: Buffer) => !done && safely(() => channel.write(chunk)));
  child.stderr.on('data', (chunk: Buffer) => !done && safely(() => channel.stderr.write(chunk)));
  if (opts.dropAfterStart?.()) {
    done = true;
    child.on('error', () => undefined);
    child.stdin.end();
    return;
  }
  channel.on('data', (chunk: Buffer) => {
    if (!child.stdin.destroyed) child.stdin.write(chunk);
  });
  channel.on('end', () => child.stdin.end());
  const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
    if (done) return;
    done = true;
    safely(() => {
      if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
      else channel.exit(code ?? 0);
      channel.end();
    });
  };
  child.on('close', finish);
  // A background child (`cmd &` without redirection) keeps the pipes open; report the exit anyway.
  child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 200).unref());
  child.on('error', (err) => {
    safely(() => channel.stderr.write(`bash: ${err.message}\n`));
    finish(127, null);
  });
}
