import { Runtime } from '@temporalio/worker';

/**
 * Installs the Temporal SDK's runtime for a CLI command that runs a worker in its own process and handles SIGINT and
 * SIGTERM itself (`run`): with the SDK's default `shutdownSignals`, the first Ctrl-C would stop the in-process worker
 * in the same instant the command asks the suite to cancel, so no compensation could run and the suite would stay
 * open. Must run before anything creates a `NativeConnection` or a `Worker` (the runtime is a per-process singleton,
 * created with the defaults by the first of them).
 *
 * @returns true when installed here; false when a runtime already existed (then its signal handling is whatever it
 * was installed with: only possible when the command runs inside another program, e.g. a test).
 */
export function installRuntimeWithoutSignalHandlers(): boolean {
  try {
    Runtime.install({ shutdownSignals: [] });
    return true;
  } catch {
    return false;
  }
}
