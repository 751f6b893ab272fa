/**
 * The serverless feature's state: one configuration per enabled instance (its mode, thresholds and the
 * monitor's view of it), the agents' heartbeats, the paused-time ledger savings are measured from, and the
 * CPU standbys of fast mode. Plus the wire rows of status, list, savings and the standby associations.
 */
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import type { SimTimer } from '../../core/clock';

/** The modes, lower case as on the wire. */
export const SERVERLESS_MODES = ['fast', 'economic', 'spot'] as const;
export type ServerlessMode = (typeof SERVERLESS_MODES)[number];

/** What the canonical enable answers and stores when the body leaves a field out. */
export const ENABLE_DEFAULTS = { mode: 'spot', idleTimeoutSeconds: 10, gpuThreshold: 5, keepWarm: false } as const;

/** Platform seconds, and the constants of the monitor. */
export const SERVERLESS_TIMINGS = {
  /** The monitor's period (the real `monitor_check_interval`). */
  monitorInterval: 5,
  /** How long an agent heartbeat's utilisation counts. */
  heartbeatValid: 30,
  /** No auto-pause this long after the instance started running or was woken (`min_runtime_seconds`). */
  grace: 60,
  /** A fast-mode standby syncs from its GPU instance this often while the GPU instance runs. */
  standbySync: 10,
  /** A fast wake served by a ready standby: no scheduling, this long loading. */
  fastResumeLoading: 3,
  /** How long wake waits for SSH before answering 404 "SSH not ready" (ideal profile). */
  wakeTimeout: 900,
  /** dumont-as-is: the real wake's `ssh_verify_timeout`. */
  asIsSshVerify: 30,
  /** The idle timeout the idle-threshold-not-applied defect uses whatever was set. */
  defectIdleTimeout: 10,
  /** What the real server's savings assume, $/h (savings-constant-rate). */
  constantRateDph: 0.3,
} as const;

/** A CPU standby's own hourly price (a small cloud VM), $/h. */
export const STANDBY_DPH = 0.03;

/** One instance's serverless configuration and the monitor's view of it. */
export interface ServerlessConfig {
  instanceId: number;
  label: string | null;
  mode: ServerlessMode;
  idleTimeoutSeconds: number;
  gpuThreshold: number;
  keepWarm: boolean;
  enabledAt: number;
  /** Paused by this feature (a user's pause is not the feature's). */
  isPaused: boolean;
  /** Since when the instance has been idle without a break, or null (busy, paused, not running). */
  idleSince: number | null;
  /** No auto-pause before this platform time: the last start (boot) or wake + the grace. */
  graceUntil: number | null;
  /** Between inference-start and inference-complete. */
  inferenceBusy: boolean;
  /** The utilisation the monitor saw last. */
  currentGpuUtil: number;
  /** Measured cold starts of the wakes that answered resumed, platform seconds. */
  coldStarts: number[];
}

/** The last heartbeat of an instance's agent. */
export interface AgentHeartbeat {
  instanceId: number;
  /** As the agent sent it (`"123"` or `"vast_123"`). */
  sentId: string;
  status: string;
  utilization: number | null;
  receivedAt: number;
  timestamp: unknown;
}

/** The paused time of one instance, measured: what savings are computed from. */
export interface PauseLedger {
  /** Platform seconds of the feature's completed pauses. */
  pausedSeconds: number;
  /** The ongoing pause's start, or null. */
  pausedAt: number | null;
  /** Whether the ongoing pause stopped the GPU (false under economic-pause-not-native: nothing saved). */
  native: boolean;
  pauses: number;
  /** dumont-as-is: savings credited at each wake, at the constant rate (the real server's only savings). */
  creditedUsd: number;
}

/**
 * What a feature that makes a standby a machine of its own adds to it (the failover feature, `features/failover/`:
 * an SSH host, real file syncs, a service endpoint, failover): its row fields, whether it outlives its GPU instance,
 * and its teardown. Fast mode's standbys have none.
 */
export interface StandbyExtension {
  /** Fields merged over the base row (`state`, the SSH address, sync statistics, the service endpoint, …). */
  row(): Record<string, unknown>;
  /** True when destroying its GPU instance must leave the standby alive (it serves after a failover). */
  outlivesGpu(): boolean;
  /** Called once when the standby is destroyed (its machine stops). */
  destroy(): void;
}

/**
 * A CPU standby (fast mode's, or an association of the failover feature), kept after its destruction (with
 * `destroyedAt`) for the charges.
 */
export interface CpuStandby {
  gpuInstanceId: number;
  label: string;
  state: 'syncing' | 'ready';
  syncCount: number;
  lastSyncAt: number | null;
  dphTotal: number;
  createdAt: number;
  destroyedAt: number | null;
  timer: SimTimer | null;
  /** The failover feature's machine behind it, when it has one. */
  ext?: StandbyExtension;
}

/** The feature's per-world state. */
export interface ServerlessState {
  configs: Map<number, ServerlessConfig>;
  heartbeats: Map<number, AgentHeartbeat>;
  ledgers: Map<number, PauseLedger>;
  /** Every standby ever created (destroyed ones keep `destroyedAt`). */
  standbys: CpuStandby[];
  monitor: SimTimer | null;
  /**
   * Instances this feature is stopping or starting right now: their pause and resume events are its own, so
   * the reactions to user pauses and resumes leave them alone.
   */
  ownTransitions: Set<number>;
  /** Wakes waiting for SSH; each aborts (answering 404) when called, at shutdown. */
  waiters: Set<() => void>;
}

/** A fresh state. */
export function newServerlessState(): ServerlessState {
  return {
    configs: new Map(),
    heartbeats: new Map(),
    ledgers: new Map(),
    standbys: [],
    monitor: null,
    ownTransitions: new Set(),
    waiters: new Set(),
  };
}

/** The live standby of a GPU instance, or undefined. */
export function liveStandby(state: ServerlessState, gpuInstanceId: number): CpuStandby | undefined {
  return state.standbys.find((s) => s.gpuInstanceId === gpuInstanceId && s.destroyedAt === null);
}

/** The pause ledger of an instance, created empty. */
export function ledgerOf(state: ServerlessState, instanceId: number): PauseLedger {
  let ledger = state.ledgers.get(instanceId);
  if (!ledger) {
    ledger = { pausedSeconds: 0, pausedAt: null, native: true, pauses: 0, creditedUsd: 0 };
    state.ledgers.set(instanceId, ledger);
  }
  return ledger;
}

/** Paused seconds that saved GPU time up to `now` (an ongoing native pause included). */
export function savedSeconds(ledger: PauseLedger | undefined, now: number): number {
  if (!ledger) return 0;
  const ongoing = ledger.pausedAt !== null && ledger.native ? Math.max(0, now - ledger.pausedAt) : 0;
  return ledger.pausedSeconds + ongoing;
}

/** The instance's GPU price, $/h: its `dph_total` (storage is billed apart, paused or not). */
export function gpuDph(inst: SimInstance): number {
  return inst.dphTotal;
}

/** Whether the simulator imitates the real Dumont server (`docs/simulator.md` § Serverless under dumont-as-is). */
export const asIs = (world: SimWorld): boolean => world.profile === 'dumont-as-is';

/**
 * Savings so far, USD: the GPU price × the paused time observed (or the constant rate under the defect);
 * under dumont-as-is what the wakes credited.
 */
export function savingsUsd(world: SimWorld, state: ServerlessState, inst: SimInstance): number {
  if (asIs(world)) return round(state.ledgers.get(inst.id)?.creditedUsd ?? 0, 6);
  const hours = savedSeconds(state.ledgers.get(inst.id), world.clock.platformNow()) / 3600;
  // The real server: (0.30 − idle_rate) × idle hours, with an idle rate of 0.
  const rate = world.has('savings-constant-rate', inst.label) ? SERVERLESS_TIMINGS.constantRateDph : gpuDph(inst);
  return round(rate * hours, 6);
}

/** The idle timeout the monitor applies (the defect's 10 s whatever was set). */
export function effectiveIdleTimeout(world: SimWorld, cfg: ServerlessConfig): number {
  return world.has('idle-threshold-not-applied', cfg.label)
    ? SERVERLESS_TIMINGS.defectIdleTimeout
    : cfg.idleTimeoutSeconds;
}

/** When the monitor will pause the instance if it stays idle, or null. */
export function willPauseAt(world: SimWorld, cfg: ServerlessConfig): number | null {
  if (cfg.isPaused || cfg.idleSince === null) return null;
  const at = cfg.idleSince + effectiveIdleTimeout(world, cfg);
  const grace = world.has('grace-period-ignored', cfg.label) ? null : cfg.graceUntil;
  return grace !== null ? Math.max(at, grace) : at;
}

export const round = (n: number, digits: number): number => Number(n.toFixed(digits));
const epoch = (t: number | null): number | null => (t === null ? null : round(t, 3));

/** A status row: `GET /serverless/status/{id}` and each row of `GET /serverless/list`. */
export function statusRow(world: SimWorld, state: ServerlessState, cfg: ServerlessConfig): Record<string, unknown> {
  const inst = world.instances.get(cfg.instanceId);
  const ledger = state.ledgers.get(cfg.instanceId);
  const colds = cfg.coldStarts;
  return {
    instance_id: cfg.instanceId,
    mode: cfg.mode,
    is_paused: cfg.isPaused,
    idle_timeout_seconds: cfg.idleTimeoutSeconds,
    gpu_threshold: cfg.gpuThreshold,
    keep_warm: cfg.keepWarm,
    current_gpu_util: round(cfg.currentGpuUtil, 1),
    idle_since: epoch(cfg.idleSince),
    will_pause_at: epoch(willPauseAt(world, cfg)),
    grace_until: epoch(cfg.graceUntil),
    paused_at: epoch(ledger?.pausedAt ?? null),
    paused_seconds: round(savedSeconds(ledger, world.clock.platformNow()), 3),
    total_savings_usd: inst ? savingsUsd(world, state, inst) : 0,
    avg_cold_start_seconds: colds.length ? round(colds.reduce((a, b) => a + b, 0) / colds.length, 3) : null,
    last_checkpoint_id: null,
  };
}

/** A standby as `GET /standby/associations` lists it (and `sim state` shows it). */
export function standbyRow(standby: CpuStandby): Record<string, unknown> {
  return {
    gpu_instance_id: standby.gpuInstanceId,
    label: standby.label,
    state: standby.state,
    sync_count: standby.syncCount,
    last_sync_at: epoch(standby.lastSyncAt),
    sync_enabled: true,
    dph_total: standby.dphTotal,
    created_at: epoch(standby.createdAt),
    cpu_standby: { name: `standby-${standby.gpuInstanceId}`, zone: 'sim-cpu-1', ip: '127.0.0.1' },
    ...standby.ext?.row(),
  };
}
