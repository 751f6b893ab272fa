/**
 * The processes one instance started. Every command runs `detached`, i.e. as the leader of its own
 * process group, and background children (`nohup x &`) stay in that group, so killing the groups kills
 * everything the instance's SSH sessions started — what stopping a container does on a real host.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Stateful: the live process-group ids of one instance. */
export class ProcessGroups {
  private readonly pgids = new Set<number>();

  /** Runs `bash -c command` in a new process group. */
  spawn(command: string, opts: { cwd: string; env: Record<string, string> }): ChildProcessWithoutNullStreams {
    this.prune();
    const child = spawn('bash', ['-c', command], { cwd: opts.cwd, env: opts.env, detached: true, stdio: 'pipe' });
    if (child.pid !== undefined) this.pgids.add(child.pid);
    return child;
  }

  /** SIGKILLs every group (a stopped container gets no grace period here, which keeps tests exact). */
  killAll(): void {
    for (const pgid of this.pgids) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    }
    this.pgids.clear();
  }

  /** Forgets groups with no process left, so a long-lived instance does not accumulate ids. */
  private prune(): void {
    for (const pgid of this.pgids) {
      try {
        process.kill(-pgid, 0);
      } catch {
        this.pgids.delete(pgid);
      }
    }
  }
}
