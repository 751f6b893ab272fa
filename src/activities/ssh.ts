import { sshExec } from '../platform/ssh';
import type { ExecResult } from '../platform/types';
import type { ActivityDeps } from './deps';
import { FailureTypes, nonRetryable } from './failures';

export interface SshRunInput {
  suiteId: string;
  instanceId: number;
  command: string;
  /** Real seconds for the command. @default 120 */
  timeoutSeconds?: number;
}

/** Output cap: results go into workflow history, which must stay small (Temporal warns at 256 KB). */
const MAX_OUTPUT = 8_000;

export function createSshActivities(deps: ActivityDeps) {
  return {
    /** Runs one command on the instance as a user would: SSH to the address the platform gives, with our key. */
    async sshRun(input: SshRunInput): Promise<ExecResult> {
      const inst = await deps.dumont.getInstance(input.instanceId);
      const row = inst?.ssh_port ? undefined : await deps.vast.showInstance(input.instanceId);
      const host = inst?.ssh_host ?? row?.ssh_host;
      const port = inst?.ssh_port ?? row?.ssh_port;
      if (!host || !port) {
        throw nonRetryable(
          FailureTypes.InstanceFailed,
          `instance ${input.instanceId} has no SSH address (status ${inst?.status ?? 'gone'}/${inst?.actual_status ?? 'none'})`
        );
      }
      const { privateKey } = await deps.keys.ensure(input.suiteId);
      const res = await sshExec({ host, port, username: 'root', privateKey }, input.command, {
        timeoutMs: (input.timeoutSeconds ?? 120) * 1000,
      });
      return { code: res.code, stdout: res.stdout.slice(-MAX_OUTPUT), stderr: res.stderr.slice(-MAX_OUTPUT) };
    },
  };
}
