import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { ScenarioInput, SuiteInput, Target } from './types';

/**
 * Input checks for workflow entry points. Anything thrown from workflow code that is not an
 * ApplicationFailure fails only the workflow task, which Temporal retries forever (a hung run): so every
 * bad input becomes a non-retryable `ValidationError` naming the field and the value.
 */
export function invalid(field: string, value: unknown, expected: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `invalid input: ${field} = ${JSON.stringify(value)} (expected ${expected})`,
    'ValidationError'
  );
}

export function asObject(input: unknown, what: string): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid(what, input, 'an object');
  return input as Record<string, unknown>;
}

/** The patch that refuses unknown input keys (docs/versioning.md); asked only when an input has one. */
export const STRICT_INPUT_PATCH = 'input-refuses-unknown-keys';

/**
 * Refuses a key the workflow does not read (a typo such as `maxParalel` would otherwise run with the default).
 * `patched()` is asked only when there is an unknown key, so clean inputs record no marker, and a history started
 * before this check (which ran with the key ignored) replays unchanged.
 */
export function knownKeysOnly(obj: Record<string, unknown>, known: readonly string[], what = 'input'): void {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length === 0 || !patched(STRICT_INPUT_PATCH)) return;
  const key = unknown[0]!;
  throw invalid(`${what}.${key.slice(0, 60)}`, obj[key], `no such key; known: ${known.join(', ')}`);
}

/** Every key of the input type, as a value; a field added to the type and not here fails to compile. */
export const keysOf = <T>(all: Record<keyof Required<T>, true>): readonly string[] => Object.keys(all);

/** The keys `SuiteWorkflow` reads. */
export const SUITE_INPUT_KEYS = keysOf<SuiteInput>({
  select: true,
  target: true,
  maxParallel: true,
  budgetUsd: true,
  timeScale: true,
  runWhatFits: true,
  estimatesUsd: true,
  reportUrl: true,
  durationHints: true,
});
/** The keys a scenario workflow reads. */
export const SCENARIO_INPUT_KEYS = keysOf<ScenarioInput>({ suiteId: true, target: true, timeScale: true });

/** Suite ids become label parts (`dumont-e2e/<suite>/…`): characters a label and a workflow id can hold. */
export const SUITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

export function optTarget(obj: Record<string, unknown>): Target {
  const v = obj.target ?? 'sim';
  if (v !== 'sim' && v !== 'dumont') throw invalid('target', v, "'sim' or 'dumont'");
  return v;
}

export function optTimeScale(obj: Record<string, unknown>, target: Target): number {
  const v = obj.timeScale ?? (target === 'sim' ? DEFAULT_SIM_TIME_SCALE : 1);
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 10)
    throw invalid('timeScale', v, 'a number in (0, 10]');
  return v;
}

export function optString(obj: Record<string, unknown>, key: string, max = 200): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw invalid(key, v, `a string of 1..${max} characters`);
  return v;
}

export function optNumber(obj: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw invalid(key, v, `a number in [${min}, ${max}]`);
  return v;
}

/** The simulator's default clock: one platform minute per 1.2 real seconds. */
export const DEFAULT_SIM_TIME_SCALE = 0.02;

export function optBoolean(obj: Record<string, unknown>, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(key, v, 'true or false');
  return v;
}

/** `{"1": 0.04, "53": 0.1}`: USD amounts by scenario number (1..100), each in [0, 1e6]. */
export function optUsdByScenario(obj: Record<string, unknown>, key: string): Record<string, number> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(key, v, 'an object of scenario number → USD');
  for (const [id, usd] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d{1,3}$/.test(id) || Number(id) < 1 || Number(id) > 100)
      throw invalid(`${key}.${id}`, usd, 'a key that is a scenario number 1..100');
    if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0 || usd > 1e6)
      throw invalid(`${key}.${id}`, usd, 'a number in [0, 1000000]');
  }
  return v as Record<string, number>;
}
