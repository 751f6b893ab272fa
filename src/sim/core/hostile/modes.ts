/**
 * Hostile platform answers (`docs/hostile.md`): what a broken proxy, a half-deployed backend or a lying list does
 * to a successful answer. Pure data and validation, so the admin API and tests can check settings without the
 * simulator.
 */

/** Every way the simulator can spoil a successful answer on demand. */
export const HOSTILE_MODES = [
  /** The body is not JSON (Python's `str(dict)`: single quotes). */
  'malformed-json',
  /** An nginx-style HTML error page instead of the answer (status from `status`, default 502). */
  'html-page',
  /** 200 with an empty body. */
  'empty-body',
  /** The first half of the JSON, then the body ends. */
  'truncated-body',
  /** A syntactically valid JSON body of `hugeBytes` bytes, streamed. */
  'huge-body',
  /** The right JSON, sent as `text/html`. */
  'wrong-content-type',
  /** The right JSON with every number turned into a string. */
  'wrong-field-types',
  /** The right JSON, `dripBytesPerSecond` bytes a second. */
  'slow-drip',
  /** VAST instance lists answer `instances: []` and `instances_found: 0` while instances exist. */
  'empty-instance-list',
] as const;

/** One hostile mode. */
export type HostileMode = (typeof HOSTILE_MODES)[number];

/** Which face a hostile mode spoils. */
export type HostileFace = 'vast' | 'dumont';

/** Settings as `PUT /_sim/hostile` and `RunningSim.setHostile` take them. `mode: null` switches it off. */
export interface HostileSettings {
  mode: HostileMode | null;
  /** Only this face. @default both */
  face?: HostileFace;
  /** Only requests whose path contains this text. @default every faultable route */
  path?: string;
  /** Only this method. @default any */
  method?: string;
  /** How many answers to spoil before the mode switches itself off. @default unlimited */
  count?: number;
  /** `html-page`: the status of the page. @default 502 */
  status?: number;
  /** `huge-body`: bytes sent. @default 64 MiB (twice the harness's default bound) */
  hugeBytes?: number;
  /** `slow-drip`: bytes a second. @default 8 */
  dripBytesPerSecond?: number;
}

/** Defaults of the optional settings. */
export const HOSTILE_DEFAULTS = { status: 502, hugeBytes: 64 * 1024 * 1024, dripBytesPerSecond: 8 } as const;

const KNOWN_KEYS = ['mode', 'face', 'path', 'method', 'count', 'status', 'hugeBytes', 'dripBytesPerSecond'];

function intIn(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(`hostile ${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Validates settings as received (JSON); throws naming the bad key or value. */
export function parseHostileSettings(input: unknown): HostileSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error(`hostile settings must be an object, got ${JSON.stringify(input)}`);
  }
  const body = input as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length)
    throw new Error(`unknown hostile setting ${JSON.stringify(unknown[0])} (known: ${KNOWN_KEYS.join(', ')})`);
  const mode = body.mode ?? null;
  if (mode !== null && !HOSTILE_MODES.includes(mode as HostileMode)) {
    throw new Error(`unknown hostile mode ${JSON.stringify(mode)} (known: ${HOSTILE_MODES.join(', ')})`);
  }
  const face = body.face;
  if (face !== undefined && face !== 'vast' && face !== 'dumont') {
    throw new Error(`hostile face must be 'vast' or 'dumont', got ${JSON.stringify(face)}`);
  }
  for (const key of ['path', 'method'] as const) {
    const v = body[key];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > 200)) {
      throw new Error(`hostile ${key} must be a string of 1..200 characters, got ${JSON.stringify(v)}`);
    }
  }
  const count = intIn(body, 'count', 1, 1_000_000);
  const status = intIn(body, 'status', 200, 599);
  const hugeBytes = intIn(body, 'hugeBytes', 1024, 1024 * 1024 * 1024);
  const dripBytesPerSecond = intIn(body, 'dripBytesPerSecond', 1, 1024 * 1024);
  return {
    mode: mode as HostileMode | null,
    ...(face !== undefined ? { face } : {}),
    ...(typeof body.path === 'string' ? { path: body.path } : {}),
    ...(typeof body.method === 'string' ? { method: body.method.toUpperCase() } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(hugeBytes !== undefined ? { hugeBytes } : {}),
    ...(dripBytesPerSecond !== undefined ? { dripBytesPerSecond } : {}),
  };
}
