/**
 * A scenario failure the platform caused on purpose: every failed check is a time limit (it carries its measured
 * value), and one of the scenario's hosts booted slow (the simulator's `slow-boot` fault, loading ×5, named in its
 * state's `faults.hitOn`). The harness waited the slow host out and the limit said it was too slow: a true finding
 * about that run's platform, so campaigns and fault tests report it apart from the false failures they count.
 */
import { scenarioPrefix } from '../src/labels';
import type { ScenarioResult } from '../src/workflows/types';

/** Whether `s` (of suite `suiteId`) failed only time limits on a host in `slowBooted` (labels the fault hit). */
export function slowPlatformOnly(s: ScenarioResult, suiteId: string, slowBooted: readonly string[]): boolean {
  const failed = s.checks.filter((c) => !c.ok);
  return (
    s.status === 'failed' &&
    failed.length > 0 &&
    failed.every((c) => c.measured !== undefined) &&
    slowBooted.some((label) => label.startsWith(scenarioPrefix(suiteId, s.id)))
  );
}
