import { stackDown, stackUp } from './stack';

/** The stack as `dumont-e2e run` sees it: where Temporal is, the simulator's clock, and how to undo what it started. */
export interface RunStack {
  temporalAddress: string;
  timeScale: number;
  /** True when this call started (or restarted) any component. */
  startedByUs: boolean;
  /** Stops exactly the components this call started; a stack that was already up stays up. */
  stop(): Promise<void>;
}

/** Brings the embedded stack up for a run (reusing whatever already runs). */
export async function ensureStackForRun(opts: { timeScale?: number; log: (line: string) => void }): Promise<RunStack> {
  const info = await stackUp({ timeScale: opts.timeScale, log: opts.log });
  if (!info.temporal || !info.sim || !info.worker)
    throw new Error('stack up did not bring up temporal, sim and worker');
  return {
    temporalAddress: info.temporal.address,
    timeScale: info.sim.timeScale,
    startedByUs: info.started.length > 0,
    stop: () => stackDown({ components: info.started, log: opts.log }),
  };
}
