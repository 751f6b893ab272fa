/**
 * The default `--max-parallel`. On the real platform it is 4: every scenario rents GPUs and the platform limits
 * concurrent creates. On the simulator scenarios mostly wait on its clock, so more of them fit at once than there
 * are cores; past a point they contend for CPU and each slows down. `docs/performance.md` shows the measurements
 * behind the factor (the critical-path benchmark's sweep of --max-parallel).
 */
import os from 'node:os';
import type { Target } from '../../workflows/types';

/** Default on the real platform. */
export const REAL_MAX_PARALLEL = 4;
/** Simulator scenarios per core at the default (see the module comment). */
export const SIM_SCENARIOS_PER_CORE = 8;
/** Bounds of the simulator default, whatever the machine. */
export const SIM_MAX_PARALLEL_BOUNDS = { min: 4, max: 48 } as const;

/** The default `--max-parallel` for `target` on a machine with `cores` CPUs (default: this machine's). */
export function defaultMaxParallel(target: Target, cores = os.availableParallelism()): number {
  if (target !== 'sim') return REAL_MAX_PARALLEL;
  const { min, max } = SIM_MAX_PARALLEL_BOUNDS;
  return Math.min(max, Math.max(min, Math.floor(cores) * SIM_SCENARIOS_PER_CORE));
}
