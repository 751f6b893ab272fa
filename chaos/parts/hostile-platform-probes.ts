/**
 * The hostile-platform checks (`docs/hostile.md`), shared by `npm test` (tests/hostile) and the chaos campaign
 * (`./hostile-platform.ts`): for each hostile mode of the simulator, the named error the harness must raise, and a
 * cleanup that must still destroy everything while the platform misbehaves.
 */
import { createActivities } from '../../src/activities';
import { createRunKeyStore } from '../../src/activities/run-keys';
import type { PlatformError } from '../../src/platform/errors';
import { PlatformError as PlatformErrorClass } from '../../src/platform/errors';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import {
  HOSTILE_MODES,
  type HostileFace,
  type HostileMode,
  type HostileSettings,
} from '../../src/sim/core/hostile/modes';

/** The simulator account the probes use (test values, not secrets of anything real). */
export const PROBE_API_KEY = 'hostile-probe-vast-key-0123456789';
export const PROBE_USER = { email: 'hostile@dumont.test', password: 'hostile-probe-password' };
const PROBE_KEY_SECRET = 'hostile-probe-key-secret-0123456789abcdef0123456789abcdef';

/** The harness's bounds in the probes: small, so a huge body or a drip is caught in about a second. */
export const PROBE_LIMITS = { timeoutMs: 1_500, maxBodyBytes: 1024 * 1024 } as const;

/** A mode whose answer the harness must name as an error, and how. */
export interface ErrorExpectation {
  face: HostileFace;
  /** The call that meets the hostile answer. */
  call: 'vast.searchOffers' | 'dumont.listInstances';
  /** Extra settings for the mode (a status, a size). */
  settings?: Omit<HostileSettings, 'mode' | 'face'>;
  /** The error class the harness throws. */
  error: 'ProtocolError' | 'TransientPlatformError';
  /** What its message must say. */
  message: RegExp;
}

/**
 * What the harness says for each mode. `empty-instance-list` is not an error of one call (the answer is well formed)
 * but a lie cleanup must see through: {@link probeCleanup} checks it.
 */
export const ERROR_EXPECTATIONS: Record<Exclude<HostileMode, 'empty-instance-list'>, ErrorExpectation> = {
  'malformed-json': {
    face: 'vast',
    call: 'vast.searchOffers',
    error: 'ProtocolError',
    message: /^POST \/api\/v0\/bundles\/: response is not JSON: \{'offers'/,
  },
  'html-page': {
    face: 'dumont',
    call: 'dumont.listInstances',
    error: 'TransientPlatformError',
    message: /^GET \/api\/v1\/instances: HTTP 502: \(HTML\) 502 Bad Gateway$/,
  },
  'empty-body': {
    face: 'dumont',
    call: 'dumont.listInstances',
    error: 'ProtocolError',
    message: /^GET \/api\/v1\/instances: empty response body where JSON was expected$/,
  },
  'truncated-body': {
    face: 'vast',
    call: 'vast.searchOffers',
    error: 'ProtocolError',
    message: /^POST \/api\/v0\/bundles\/: response is cut off after \d+ bytes \(truncated JSON\)/,
  },
  'huge-body': {
    face: 'vast',
    call: 'vast.searchOffers',
    settings: { hugeBytes: 4 * PROBE_LIMITS.maxBodyBytes },
    error: 'ProtocolError',
    message: new RegExp(`: response body larger than ${PROBE_LIMITS.maxBodyBytes} bytes \\(reading stopped there\\)$`),
  },
  'wrong-content-type': {
    face: 'dumont',
    call: 'dumont.listInstances',
    error: 'ProtocolError',
    message: /^GET \/api\/v1\/instances: response has content type text\/html, not JSON: \{"instances"/,
  },
  'wrong-field-types': {
    face: 'vast',
    call: 'vast.searchOffers',
    error: 'ProtocolError',
    message:
      /^POST \/api\/v0\/bundles\/: response failed validation: offers\.0\.id: .*expected number, received string/i,
  },
  'slow-drip': {
    face: 'vast',
    call: 'vast.searchOffers',
    error: 'TransientPlatformError',
    message: new RegExp(`: no complete response within ${PROBE_LIMITS.timeoutMs} ms \\(stalled or dripping body\\)$`),
  },
};

/** Starts a simulator for the probes (stop it when done). */
export function startProbeSim(opts: { seed?: number; dataDir?: string } = {}): Promise<RunningSim> {
  return startSimulator({
    apiKey: PROBE_API_KEY,
    users: [PROBE_USER],
    timeScale: 0.01,
    seed: opts.seed ?? 16,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
}

/** Clients as a worker builds them (with the probes' small bounds), with one try per call so the first hostile answer surfaces. */
export function clients(sim: RunningSim, attempts: number) {
  const retry = { attempts, baseDelayMs: 10, maxDelayMs: 50 };
  return {
    vast: createVastClient({ baseUrl: sim.vastUrl, apiKey: PROBE_API_KEY, retry, ...PROBE_LIMITS }),
    dumont: createDumontClient({ baseUrl: sim.dumontUrl, ...PROBE_USER }, { retry, ...PROBE_LIMITS }),
  };
}

/** What one probe saw. */
export interface ProbeResult {
  /** The error's class name, or `none` when the call succeeded. */
  error: string;
  message: string;
}

/**
 * Switches `mode` on for the one call its expectation names, makes the call with the harness's client, and returns
 * the error it raised. The mode is switched off again whatever happens.
 */
export async function probeError(sim: RunningSim, mode: keyof typeof ERROR_EXPECTATIONS): Promise<ProbeResult> {
  const want = ERROR_EXPECTATIONS[mode];
  const { vast, dumont } = clients(sim, 1);
  // Log in first: the hostile answer is meant for the call, not the login (auth is never spoiled anyway).
  if (want.face === 'dumont') await dumont.listInstances();
  sim.setHostile({ mode, face: want.face, ...want.settings });
  try {
    if (want.call === 'vast.searchOffers') await vast.searchOffers({ limit: 3 });
    else await dumont.listInstances();
    return { error: 'none', message: 'the call succeeded' };
  } catch (err) {
    const e = err as Error;
    return { error: PlatformErrorClass.is(err) ? (err as PlatformError).name : e.name, message: e.message };
  } finally {
    sim.setHostile({ mode: null });
  }
}

/** Whether a probe saw what its expectation says. */
export function matches(mode: keyof typeof ERROR_EXPECTATIONS, seen: ProbeResult): boolean {
  const want = ERROR_EXPECTATIONS[mode];
  return seen.error === want.error && want.message.test(seen.message);
}

/** What a cleanup under a hostile mode did. */
export interface CleanupResult {
  /** The instance rented before the mode was switched on. */
  instanceId: number;
  /** Cleanup's warnings (the VAST list's lie is named here). */
  warnings: string[];
  /** Answers the mode spoiled during the cleanup. */
  spoiled: number;
  /** Instances still alive at the simulator afterwards. */
  leaked: number;
  /** Set when the cleanup itself failed. */
  error?: string;
}

/**
 * Rents one instance, switches `mode` on for the next `count` answers of `face` (every route), and runs the
 * compensation the scenarios run (`destroyByLabel`, with its retries and deadline). It must still leave nothing.
 */
export async function probeCleanup(
  sim: RunningSim,
  mode: HostileMode,
  opts: { label: string; face?: HostileFace; count?: number; deadlineMs?: number }
): Promise<CleanupResult> {
  const { vast, dumont } = clients(sim, 6);
  const acts = createActivities({ vast, dumont, keys: createRunKeyStore(PROBE_KEY_SECRET, vast), minPollMs: 10 });
  const suiteId = opts.label.split('/')[1] ?? 'hostile';
  const inst = await acts.createInstance({ suiteId, label: opts.label, query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
  const face = opts.face ?? (mode === 'empty-instance-list' ? 'vast' : 'dumont');
  const injectedBefore = hostileInjected(sim, mode);
  sim.setHostile({
    mode,
    face,
    ...(mode === 'empty-instance-list' ? {} : { count: opts.count ?? 4 }),
    ...(mode === 'huge-body' ? { hugeBytes: 4 * PROBE_LIMITS.maxBodyBytes } : {}),
  });
  const result: CleanupResult = { instanceId: inst.instanceId, warnings: [], spoiled: 0, leaked: 0 };
  try {
    const report = await acts.destroyByLabel({
      labelPrefix: opts.label,
      deadlineMs: Date.now() + (opts.deadlineMs ?? 60_000),
      timeScale: 0.01,
    });
    result.warnings = report.warnings;
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    result.spoiled = hostileInjected(sim, mode) - injectedBefore;
    sim.setHostile({ mode: null });
  }
  result.leaked = sim.state().instances.filter((i) => i.label === opts.label).length;
  return result;
}

/** Answers spoiled by `mode` since the simulator started (`GET /_sim/hostile`). */
export function hostileInjected(sim: RunningSim, mode: HostileMode): number {
  return sim.hostile().injected[mode];
}

/** Every mode, in the order the simulator lists them. */
export const MODES: readonly HostileMode[] = HOSTILE_MODES;
