import type { InstanceRef } from '../../activities/instances';
import type { ScenarioContext } from './context';

/**
 * Runs a read-only command whose last stdout line is JSON and returns it parsed; a failed command or unparseable
 * output is recorded as the failed check `check` and gives `undefined`.
 */
export async function probeJson<T = unknown>(
  ctx: ScenarioContext,
  inst: InstanceRef,
  command: string,
  check: { id: string; name: string }
): Promise<T | undefined> {
  const res = await ctx.probe(inst, command);
  const last = res.stdout.trim().split('\n').pop() ?? '';
  if (res.code !== 0) {
    ctx.check(check.id, check.name, false, `exit ${res.code}: ${res.stderr.trim().split('\n').pop() ?? ''}`);
    return undefined;
  }
  try {
    return JSON.parse(last) as T;
  } catch {
    ctx.check(check.id, check.name, false, `not JSON: ${last.slice(0, 200)}`);
    return undefined;
  }
}
