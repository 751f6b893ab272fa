import { Context } from '@temporalio/activity';
import { sshExec } from '../platform/ssh';
import type { DumontInstance, ExecResult, SshTarget } from '../platform/types';
import type { ActivityDeps } from './deps';
import { FailureTypes, nonRetryable, retryable } from './failures';
import { pause, platformSecondsSince, type WaitWindow } from './polling';
import { startOnceScript, parseStartOnceOutput } from './ssh-start-once';
import { noteRetry } from './retry-notes';

/**
 * An SSH address the platform gave for something that is not an instance of its own (a CPU standby, a service
 * endpoint): reached with the suite's key like an instance.
 */
export interface SshEndpoint {
  host: string;
  port: number;
}

export interface SshProbeInput {
  suiteId: string;
  /** The instance to reach at the SSH address the platform gives for it ... */
  instanceId?: number;
  /** ... or this address. */
  endpoint?: SshEndpoint;
  /** A READ-ONLY command: it may run more than once (retries after a dropped session). */
  command: string;
  /** Real seconds for the command. @default 120 */
  timeoutSeconds?: number;
}

export interface SshRunInput extends WaitWindow {
  suiteId: string;
  /** The instance, or an {@link SshEndpoint}, as in {@link SshProbeInput}. */
  instanceId?: number;
  endpoint?: SshEndpoint;
  /** A command that changes something: it starts at most once, whatever the retries. */
  command: string;
  /**
   * Names this run on the instance (a marker directory): an attempt that finds it started already only collects
   * the outcome. Chosen by the workflow (deterministic), so every retry of the activity uses the same one.
   */
  runKey: string;
}

/** The outcome of a command started once: its exit code and output, or why the outcome is unknown. */
export interface RunOutcome extends ExecResult {
  /**
   * `completed`: it ran once and ended with `code`. `unknown`: it was started (exactly once) but its end was not
   * seen before the deadline (the instance went away, the session kept dropping): it may have run, and the
   * scenario must check its effect rather than run it again.
   */
  outcome: 'completed' | 'unknown';
  /** How many SSH sessions it took (more than one when sessions dropped). */
  sessions: number;
  /** Platform seconds from the window's start to the end of the command (when completed). */
  platformSeconds: number;
}

/** Output cap: results go into workflow history, which must stay small (Temporal warns at 256 KB). */
const MAX_OUTPUT = 8_000;
/** Actual states of an instance that is up or on its way up: a missing SSH address is then only not there yet. */
const COMING_UP = new Set(['running', 'loading', 'created', 'scheduling']);

/** Real seconds one session waits for the command before handing back to a heartbeating poll. */
const SESSION_WAIT_SECONDS = 20;

export function createSshActivities(deps: ActivityDeps) {
  async function target(suiteId: string, instanceId?: number, endpoint?: SshEndpoint): Promise<SshTarget> {
    if (endpoint) return { ...endpoint, username: 'root', privateKey: deps.keys.keyFor(suiteId).privateKey };
    if (instanceId === undefined)
      throw nonRetryable(FailureTypes.InvalidInput, 'an SSH call needs an instance or an endpoint');
    const inst: DumontInstance | undefined = await deps.dumont.getInstance(instanceId);
    const row = inst?.ssh_port ? undefined : await deps.vast.showInstance(instanceId);
    const host = inst?.ssh_host ?? row?.ssh_host;
    const port = inst?.ssh_port ?? row?.ssh_port;
    if (!host || !port) {
      const state = `status ${inst?.status ?? 'gone'}/${inst?.actual_status ?? 'none'}`;
      if (inst && COMING_UP.has(inst.actual_status ?? ''))
        throw retryable(FailureTypes.SshNotReady, `instance ${instanceId} has no SSH address yet (${state})`);
      throw nonRetryable(FailureTypes.InstanceFailed, `instance ${instanceId} has no SSH address (${state})`);
    }
    return { host, port, username: 'root', privateKey: deps.keys.keyFor(suiteId).privateKey };
  }

  return {
    /** Runs one read-only command as a user would: SSH to the address the platform gives, with the suite's key. */
    async sshProbe(input: SshProbeInput): Promise<ExecResult> {
      const res = await sshExec(await target(input.suiteId, input.instanceId, input.endpoint), input.command, {
        timeoutMs: (input.timeoutSeconds ?? 120) * 1000,
        onRetryableError: noteSshRetry,
      });
      return { code: res.code, stdout: res.stdout.slice(-MAX_OUTPUT), stderr: res.stderr.slice(-MAX_OUTPUT) };
    },

    /**
     * Starts a command that changes something AT MOST ONCE, then collects its outcome. The command runs detached
     * (nohup) under a marker directory named by `runKey`: a session dropped right after the start, a retried
     * activity or a worker that died mid-call finds the marker and only waits for the recorded exit code, so
     * nothing (a training run, an append, a download) is ever started twice. Long commands are polled by this
     * heartbeating activity until the window's deadline; then the outcome is `unknown` ("may have run").
     */
    async sshRun(input: SshRunInput): Promise<RunOutcome> {
      let sessions = 0;
      let lastError = '';
      for (;;) {
        const remainingMs = input.deadlineMs - Date.now();
        const waitSeconds = Math.max(1, Math.min(SESSION_WAIT_SECONDS, Math.ceil(remainingMs / 1000)));
        try {
          sessions++;
          const ssh = await target(input.suiteId, input.instanceId, input.endpoint);
          const res = await sshExec(ssh, startOnceScript(input.runKey, input.command, waitSeconds, MAX_OUTPUT), {
            timeoutMs: (waitSeconds + 30) * 1000,
            onRetryableError: noteSshRetry,
          });
          const parsed = parseStartOnceOutput(res.stdout);
          if (parsed.state === 'done') {
            return {
              outcome: 'completed',
              code: parsed.code,
              stdout: parsed.stdout,
              stderr: parsed.stderr,
              sessions,
              platformSeconds: platformSecondsSince(input),
            };
          }
          if (parsed.state === 'invalid')
            lastError = `unexpected answer: ${res.stderr.slice(-300) || res.stdout.slice(-300)}`;
        } catch (err) {
          // An instance without SSH cannot be waited on; anything else (a dropped session) is tried again.
          if ((err as { type?: string }).type === FailureTypes.InstanceFailed) {
            return unknown(input, sessions, (err as Error).message);
          }
          lastError = (err as Error).message;
          // Another session follows: a retry in place, recorded with the activity's result.
          noteRetry(lastError);
        }
        heartbeat({ sessions });
        if (Date.now() >= input.deadlineMs) return unknown(input, sessions, lastError);
        await pause(Math.min(1000, Math.max(50, input.deadlineMs - Date.now())));
      }
    },
  };
}

function unknown(input: SshRunInput, sessions: number, why: string): RunOutcome {
  return {
    outcome: 'unknown',
    code: -1,
    stdout: '',
    stderr: `may have run: started once, outcome not seen${why ? ` (${why})` : ''}`,
    sessions,
    platformSeconds: platformSecondsSince(input),
  };
}

/** A failed SSH connection try that is tried again, recorded with the activity (`retry-notes.ts`). */
function noteSshRetry(err: Error): void {
  noteRetry(err.message);
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // outside an activity (tests)
  }
}
