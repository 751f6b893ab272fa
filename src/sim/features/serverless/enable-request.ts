/**
 * The enable bodies, validated as the real API's Pydantic models do: the canonical
 * `POST /serverless/enable/{id}` (`EnableServerlessRequest`: lower-case `mode` enum, default `spot`;
 * `idle_timeout_seconds` 2–3600; `gpu_threshold` 0–100; `keep_warm`) and the alias
 * `POST /instances/{id}/serverless/enable` (`mode` default `economic`, `idle_threshold` used when the
 * timeout is 0, `cpu_standby: true` forces fast). Failures are 422 details in the face's shape.
 */
import type { ValidationDetail } from '../../dumont/dumont-errors';
import { ENABLE_DEFAULTS, SERVERLESS_MODES, type ServerlessMode } from './serverless-store';

/** A valid enable request. */
export interface EnableRequest {
  mode: ServerlessMode;
  idleTimeoutSeconds: number;
  gpuThreshold: number;
  keepWarm: boolean;
}

const isMode = (v: unknown): v is ServerlessMode => SERVERLESS_MODES.includes(v as ServerlessMode);

/** Pydantic's lax number: a number or a numeric string. */
function laxNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** Pydantic's lax bool. */
function laxBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  }
  return undefined;
}

/**
 * A bounded number field (an integer one when `integer`), validated as Pydantic does; pushes its detail and answers
 * the default when absent.
 */
function boundedField(
  body: Record<string, unknown>,
  field: string,
  bounds: { fallback: number; min: number; max: number; integer: boolean },
  details: ValidationDetail[]
): number {
  const raw = body[field];
  if (raw === undefined || raw === null) return bounds.fallback;
  const n = laxNumber(raw);
  const loc = ['body', field];
  if (bounds.integer ? !Number.isInteger(n) : !Number.isFinite(n)) {
    details.push(
      bounds.integer
        ? { loc, msg: 'Input should be a valid integer', type: 'int_parsing' }
        : { loc, msg: 'Input should be a valid number', type: 'float_parsing' }
    );
  } else if (n < bounds.min) {
    details.push({ loc, msg: `Input should be greater than or equal to ${bounds.min}`, type: 'greater_than_equal' });
  } else if (n > bounds.max) {
    details.push({ loc, msg: `Input should be less than or equal to ${bounds.max}`, type: 'less_than_equal' });
  }
  return n;
}

function boolField(body: Record<string, unknown>, field: string, details: ValidationDetail[]): boolean {
  const raw = body[field];
  if (raw === undefined || raw === null) return false;
  const b = laxBool(raw);
  if (b === undefined)
    details.push({ loc: ['body', field], msg: 'Input should be a valid boolean', type: 'bool_parsing' });
  return b ?? false;
}

const enumDetail = (): ValidationDetail => ({
  loc: ['body', 'mode'],
  msg: "Input should be 'fast', 'economic' or 'spot'",
  type: 'enum',
});

/** The canonical body; `details` non-empty → 422. */
export function parseEnableBody(body: Record<string, unknown>): {
  request: EnableRequest;
  details: ValidationDetail[];
} {
  const details: ValidationDetail[] = [];
  const rawMode = body.mode ?? ENABLE_DEFAULTS.mode;
  if (!isMode(rawMode)) details.push(enumDetail());
  const request: EnableRequest = {
    mode: isMode(rawMode) ? rawMode : ENABLE_DEFAULTS.mode,
    idleTimeoutSeconds: boundedField(
      body,
      'idle_timeout_seconds',
      { fallback: ENABLE_DEFAULTS.idleTimeoutSeconds, min: 2, max: 3600, integer: true },
      details
    ),
    gpuThreshold: boundedField(
      body,
      'gpu_threshold',
      { fallback: ENABLE_DEFAULTS.gpuThreshold, min: 0, max: 100, integer: false },
      details
    ),
    keepWarm: boolField(body, 'keep_warm', details),
  };
  return { request, details };
}

/**
 * The alias body: `mode` free text (default `economic`; ideal: an unknown one is a 422, dumont-as-is: it
 * becomes economic, as the real handler does), `idle_timeout_seconds` 0 means `idle_threshold` (default 60),
 * `cpu_standby: true` forces fast.
 */
export function parseAliasEnableBody(
  body: Record<string, unknown>,
  unknownModeIsEconomic: boolean
): { request: EnableRequest; details: ValidationDetail[] } {
  const details: ValidationDetail[] = [];
  const rawMode = body.mode ?? 'economic';
  let mode: ServerlessMode = 'economic';
  if (isMode(rawMode)) mode = rawMode;
  else if (!unknownModeIsEconomic) details.push(enumDetail());
  if (boolField(body, 'cpu_standby', details)) mode = 'fast';
  let idle = boundedField(
    body,
    'idle_timeout_seconds',
    { fallback: ENABLE_DEFAULTS.idleTimeoutSeconds, min: 0, max: 3600, integer: true },
    details
  );
  if (idle === 0)
    idle = boundedField(body, 'idle_threshold', { fallback: 60, min: 2, max: 3600, integer: true }, details);
  else if (Number.isInteger(idle) && idle < 2 && details.length === 0) {
    details.push({
      loc: ['body', 'idle_timeout_seconds'],
      msg: 'Input should be greater than or equal to 2',
      type: 'greater_than_equal',
    });
  }
  const request: EnableRequest = {
    mode,
    idleTimeoutSeconds: idle,
    gpuThreshold: boundedField(
      body,
      'gpu_threshold',
      { fallback: ENABLE_DEFAULTS.gpuThreshold, min: 0, max: 100, integer: false },
      details
    ),
    keepWarm: boolField(body, 'keep_warm', details),
  };
  return { request, details };
}
