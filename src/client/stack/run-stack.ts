import { stackDown, stackStatus, stackUp } from './stack';

/** The stack as `dumont-e2e run` sees it: where Temporal is, the simulator's clock, and how to undo what it started. */
export interface RunStack {
  temporalAddress: string;
  timeScale: number;
  /** The simulator's profile. */
  profile: string;
  /** True when this call started a component that was not running before (a restart does not count). */
  startedByUs: boolean;
  /** Stops exactly the components this call started; what was already up stays up (restarted ones too). */
  stop(): Promise<void>;
}

/**
 * Brings the embedded stack up for a run (reusing whatever already runs). An explicit `timeScale` or `profile` that
 * differs from the running simulator's restarts it (and the worker; see `stackUp`), and they stay up after the run.
 */
export async function ensureStackForRun(opts: {
  timeScale?: number;
  profile?: string;
  log: (line: string) => void;
}): Promise<RunStack> {
  // What ran before this run stays up after it, even when restarted for another time scale or profile: the user
  // had a stack, and keeps one.
  const before = await stackStatus();
  const info = await stackUp({ timeScale: opts.timeScale, profile: opts.profile, log: opts.log });
  if (!info.temporal || !info.sim || !info.worker)
    throw new Error('stack up did not bring up temporal, sim and worker');
  const ours = info.started.filter((c) => !before[c].running);
  return {
    temporalAddress: info.temporal.address,
    timeScale: info.sim.timeScale,
    profile: info.sim.profile,
    startedByUs: ours.length > 0,
    stop: () => stackDown({ components: ours, log: opts.log }),
  };
}
