/**
 * SIGINT and SIGTERM during `dumont-e2e run`. The first cancels the suite and lets it clean up: every scenario's
 * compensations run (on the worker in this process for `--target dumont`, which must stay alive for them), progress
 * says which scenarios are still cleaning up, then the reports are written and the command exits 128 + the signal's
 * number. The second leaves at once, saying what may still be rented and how to sweep it.
 */
import { suitePrefix } from '../labels';
import type { SuiteProgress, Target } from '../workflows/types';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Exit code after a signal: 128 + its number, as shells report a process killed by it. */
export const SIGNAL_EXIT_CODE: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** What `run` knows about its suite when a second signal makes it leave. */
export interface RunState {
  target: Target;
  /** Undefined until the suite was started. */
  suiteId?: string;
  /** The suite's workflow has closed (its cleanup ran); what is left is reports and stopping what the run started. */
  closed?: boolean;
  /** Scenario workflow ids still running at the last progress answer. */
  running: readonly string[];
  /** Whether this run brought up (part of) the local stack, which stays up when it leaves at once. */
  stackStartedHere: boolean;
}

/** The exact command that destroys what a suite on `target` left behind, once its workflow is closed. */
export function sweepCommand(target: Target): string {
  return `npx dumont-e2e sweep --target ${target}`;
}

/**
 * Lines printed when a second signal makes `run` leave at once: the suite id, its label prefix, the scenarios still
 * cleaning up, why the resources are not lost, and the exact sweep command.
 */
export function leaveNowLines(signal: InterruptSignal, state: RunState): string[] {
  if (!state.suiteId) {
    return [
      `${signal} again: leaving now; no suite was started, nothing was rented by this run` +
        (state.stackStartedHere ? " (the local stack stays up: 'npx dumont-e2e stack down' stops it)" : ''),
    ];
  }
  if (state.closed) {
    return [
      `${signal} again: leaving now. Suite ${state.suiteId} already closed (its cleanup ran); the reports may not ` +
        'be written' +
        (state.stackStartedHere ? "; the local stack stays up: 'npx dumont-e2e stack down' stops it" : ''),
    ];
  }
  const prefix = suitePrefix(state.suiteId);
  const running = state.running.map((id) => id.split('/').pop()!);
  const lines = [
    `${signal} again: leaving now. Suite ${state.suiteId} may still hold rented resources labelled ${prefix}` +
      (running.length ? ` (still cleaning up: ${running.join(', ')})` : ''),
  ];
  if (state.target === 'sim') {
    lines.push(
      "  its cancellation goes on in the local stack's worker, which keeps running" +
        (state.stackStartedHere ? " ('npx dumont-e2e stack down' once it is done)" : '')
    );
  } else {
    lines.push(
      '  its workflow stays open (cancel requested) and finishes its cleanup once a worker for --target dumont runs ' +
        "('npx dumont-e2e worker' with DUMONT_E2E_TARGET=dumont and this environment's credentials)"
    );
  }
  lines.push(`  to destroy whatever it left once its workflow is closed: ${sweepCommand(state.target)}`);
  return lines;
}

/** Options of {@link handleRunSignals}. */
export interface RunSignalOptions {
  log: (line: string) => void;
  /** Called once, on the first signal: cancel the suite (or, before it started, do not start it). */
  onFirst: (signal: InterruptSignal) => void;
  /** What `run` knows now, for the second signal's lines. */
  state: () => RunState;
  /**
   * The first signal's request still on its way (the suite's cancel), if any: a second signal waits for it, at most
   * {@link LEAVE_WAIT_MS}, so leaving at once never drops a cancel that was announced.
   */
  pending?: () => Promise<unknown> | undefined;
  /** @default process.exit */
  exit?: (code: number) => void;
}

/** How long a second signal waits for the first one's cancel request to reach Temporal before leaving. */
export const LEAVE_WAIT_MS = 2_000;

/** The installed handlers of {@link handleRunSignals}. */
export interface RunSignals {
  /** The first signal received, if any. */
  readonly received: InterruptSignal | undefined;
  /** Removes the handlers (the default behaviour of the signals comes back). */
  dispose(): void;
}

/**
 * Handles SIGINT and SIGTERM for `run` (the Temporal SDK's own handlers must be off: see
 * `installRuntimeWithoutSignalHandlers`). First signal: one line, then `onFirst`. Second: {@link leaveNowLines}, then
 * exit with 128 + its number — once the first signal's cancel request was acknowledged (at most {@link LEAVE_WAIT_MS}).
 */
export function handleRunSignals(opts: RunSignalOptions): RunSignals {
  let received: InterruptSignal | undefined;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const handler = (signal: InterruptSignal): void => {
    if (received) {
      const lines = leaveNowLines(signal, opts.state());
      const pending = opts.pending?.();
      if (!pending) {
        for (const line of lines) opts.log(line);
        exit(SIGNAL_EXIT_CODE[signal]);
        return;
      }
      // Without this wait the process could end before the cancel request left it, and the suite would run on.
      let timer: NodeJS.Timeout | undefined;
      const sent = pending.then(
        () => true,
        () => false
      );
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LEAVE_WAIT_MS)));
      void Promise.race([sent, late]).then((acknowledged) => {
        clearTimeout(timer);
        for (const line of lines) opts.log(line);
        const suiteId = opts.state().suiteId;
        if (!acknowledged && suiteId) {
          opts.log(
            `  the cancel request was not acknowledged; to be sure: temporal workflow cancel --workflow-id ${suiteId}`
          );
        }
        exit(SIGNAL_EXIT_CODE[signal]);
      });
      return;
    }
    received = signal;
    const state = opts.state();
    const again = `${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to leave now`;
    opts.log(
      !state.suiteId
        ? `${signal}: stopping before the suite starts (${again})`
        : state.closed
          ? `${signal}: suite ${state.suiteId} already closed; finishing its reports (${again})`
          : `${signal}: cancelling suite ${state.suiteId}; its scenarios destroy what they rented before it closes ` +
            `(${again} and sweep later)`
    );
    opts.onFirst(signal);
  };
  const listeners = SIGNALS.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}

/** How often an unchanged cleanup is reported again, so a long destroy does not look like a hang. */
const CLEANUP_REPEAT_MS = 15_000;

/**
 * Progress lines while a cancelled suite cleans up: which scenarios are still running their compensations (when that
 * set changes, and every 15 s while it does not), then the suite's final sweep of its label prefix.
 */
export function createCleanupPrinter(
  log: (line: string) => void,
  now: () => number = Date.now
): (progress: Pick<SuiteProgress, 'suiteId' | 'running'>) => void {
  let last: string | undefined;
  let at = 0;
  return (progress) => {
    const running = progress.running.map((id) => id.split('/').pop()!);
    const line = running.length
      ? `  cleaning up: ${running.length} scenario${running.length === 1 ? '' : 's'} still destroying what ` +
        `${running.length === 1 ? 'it' : 'they'} rented (${running.join(', ')})`
      : `  final sweep: destroying anything still labelled ${suitePrefix(progress.suiteId)}, then the final audit`;
    if (line === last && now() - at < CLEANUP_REPEAT_MS) return;
    last = line;
    at = now();
    log(line);
  };
}
