/**
 * The serverless feature's Dumont routes (under the API root; `docs/simulator.md` § Serverless): enable,
 * disable, status, list, wake, inference marks, the agent heartbeat routes (public), the measured savings,
 * and the fast-mode CPU standby associations.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError, type ValidationDetail } from '../../dumont/dumont-errors';
import { startInstance, stopInstance } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import type { FeatureContext, FeatureRoute } from '../types';
import { parseAliasEnableBody, parseEnableBody, type EnableRequest } from './enable-request';
import {
  createStandby,
  destroyStandby,
  endPause,
  ensureMonitor,
  observe,
  resumeTimings,
  wake,
} from './serverless-engine';
import {
  asIs,
  ENABLE_DEFAULTS,
  gpuDph,
  ledgerOf,
  liveStandby,
  round,
  savedSeconds,
  savingsUsd,
  SERVERLESS_TIMINGS as T,
  standbyRow,
  statusRow,
  willPauseAt,
  type ServerlessConfig,
  type ServerlessMode,
  type ServerlessState,
} from './serverless-store';

type Ctx = FeatureContext<ServerlessState>;
type Route = FeatureRoute<ServerlessState>;

/** The path's id: 422 when not an integer (FastAPI's path validation), else the number. */
function pathId(req: SimRequest, param = 'id'): number | SimResponse {
  const id = Number(req.params[param]);
  if (!Number.isInteger(id)) {
    return validationError([
      { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
    ]);
  }
  return id;
}

/** Resolves the path's instance: 422, 404 `{error}`, or the handler's answer. */
function withInstance(
  handle: (req: SimRequest, ctx: Ctx, inst: SimInstance) => SimResponse | Promise<SimResponse>
): (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse> {
  return (req, ctx) => {
    const id = pathId(req);
    if (typeof id !== 'number') return id;
    const inst = ctx.world.instances.get(id);
    return inst ? handle(req, ctx, inst) : json(404, { error: `Instance ${id} not found` });
  };
}

/** Resolves the path's configured instance: 422, 404 `{error}` when unknown or not configured. */
function withConfig(
  handle: (req: SimRequest, ctx: Ctx, cfg: ServerlessConfig, inst: SimInstance) => SimResponse | Promise<SimResponse>
): (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse> {
  return withInstance((req, ctx, inst) => {
    const cfg = ctx.state.configs.get(inst.id);
    if (!cfg) return json(404, { error: `Serverless not configured for instance ${inst.id}` });
    return handle(req, ctx, cfg, inst);
  });
}

const RECOVERY: Record<ServerlessMode, string> = {
  fast: `~${T.fastResumeLoading}s (state served by the CPU standby)`,
  economic: '~20s (native resume)',
  spot: '~20s (native resume)',
};

/**
 * Enables (or reconfigures) serverless on `inst`: stores the configuration (the defects change what is
 * stored), creates or drops the fast-mode standby, starts the monitor. Answers with what was requested.
 */
function enable(ctx: Ctx, inst: SimInstance, asked: EnableRequest, withBehavior: boolean): SimResponse {
  const { world, state } = ctx;
  const now = world.clock.platformNow();
  let stored: EnableRequest = asked;
  if (world.has('serverless-config-not-persisted', inst.label)) {
    stored = { ...ENABLE_DEFAULTS };
  }
  if (stored.mode === 'fast' && world.has('fast-mode-downgraded-to-economic', inst.label)) {
    stored = { ...stored, mode: 'economic' };
  }
  let cfg = state.configs.get(inst.id);
  if (!cfg) {
    cfg = {
      instanceId: inst.id,
      label: inst.label,
      mode: stored.mode,
      idleTimeoutSeconds: stored.idleTimeoutSeconds,
      gpuThreshold: stored.gpuThreshold,
      keepWarm: stored.keepWarm,
      enabledAt: now,
      isPaused: false,
      idleSince: null,
      graceUntil: inst.actual === 'running' && inst.runningSince !== null ? inst.runningSince + T.grace : null,
      inferenceBusy: false,
      currentGpuUtil: 0,
      coldStarts: [],
    };
    state.configs.set(inst.id, cfg);
  } else {
    Object.assign(cfg, {
      mode: stored.mode,
      idleTimeoutSeconds: stored.idleTimeoutSeconds,
      gpuThreshold: stored.gpuThreshold,
      keepWarm: stored.keepWarm,
      idleSince: null,
    });
  }
  const standby = liveStandby(state, inst.id);
  if (cfg.mode === 'fast' && !asIs(world)) createStandby(world, state, inst);
  else if (standby) destroyStandby(world, standby);
  ledgerOf(state, inst.id);
  ensureMonitor(world, state);
  observe(world, state, cfg, false);
  world.log(
    `serverless: enabled on instance ${inst.id} (${cfg.mode}, ${cfg.idleTimeoutSeconds} s, ${cfg.gpuThreshold} %)`
  );
  const body: Record<string, unknown> = {
    instance_id: inst.id,
    mode: asked.mode,
    idle_timeout_seconds: asked.idleTimeoutSeconds,
    gpu_threshold: asked.gpuThreshold,
    keep_warm: asked.keepWarm,
    checkpoint_enabled: asked.mode === 'fast',
    status: 'enabled',
    message: `Serverless ${asked.mode} mode enabled for instance ${inst.id}`,
  };
  if (withBehavior) {
    body.behavior = {
      will_pause_after: `${asked.idleTimeoutSeconds}s idle`,
      idle_threshold: `GPU < ${asked.gpuThreshold}%`,
      recovery_time: RECOVERY[asked.mode],
    };
  }
  return json(200, body);
}

/** Disables: resumes what the feature paused, drops the standby and the configuration. */
function disable(ctx: Ctx, cfg: ServerlessConfig, inst: SimInstance): SimResponse {
  const { world, state } = ctx;
  if (cfg.isPaused) {
    const stopped = inst.intended === 'stopped';
    endPause(world, state, cfg);
    if (stopped) startInstance(world, inst, resumeTimings(state, cfg));
  }
  const standby = liveStandby(state, inst.id);
  if (standby) destroyStandby(world, standby);
  state.configs.delete(inst.id);
  if (world.has('disable-pauses-instance', inst.label)) stopInstance(world, inst);
  world.log(`serverless: disabled on instance ${inst.id}`);
  return json(200, {
    instance_id: inst.id,
    status: 'disabled',
    message: `Serverless disabled for instance ${inst.id}`,
  });
}

/** The instance id an agent sends: `123` or `"vast_123"`. */
function agentInstanceId(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.replace(/^vast_/, '') : '';
  const id = Number(text);
  return text !== '' && Number.isInteger(id) ? id : null;
}

/** A utilisation field: a number 0–100 (or numeric string), else null. */
function utilization(raw: unknown): number | null {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : null;
}

/** An agent row of `GET /agent/instances`. */
function agentRow(ctx: Ctx, instanceId: number): Record<string, unknown> | undefined {
  const beat = ctx.state.heartbeats.get(instanceId);
  if (!beat) return undefined;
  const cfg = ctx.state.configs.get(instanceId);
  const now = ctx.world.clock.platformNow();
  return {
    instance_id: beat.sentId,
    status: beat.status,
    gpu_utilization: beat.utilization,
    last_heartbeat: round(beat.receivedAt, 3),
    seconds_since_heartbeat: round(now - beat.receivedAt, 3),
    serverless_enabled: cfg !== undefined,
    is_paused: cfg?.isPaused ?? false,
  };
}

/** `POST /agent/status`. */
function agentStatus(req: SimRequest, ctx: Ctx): SimResponse {
  const { world, state } = ctx;
  const body = jsonBody(req);
  const details: ValidationDetail[] = [];
  if (body.instance_id === undefined || body.instance_id === null) {
    details.push({ loc: ['body', 'instance_id'], msg: 'Field required', type: 'missing' });
  }
  if (details.length) return validationError(details);
  const sentId = String(body.instance_id);
  const id = agentInstanceId(body.instance_id);
  const metrics = body.gpu_metrics;
  const util =
    utilization(
      metrics && typeof metrics === 'object' ? (metrics as Record<string, unknown>).utilization : undefined
    ) ?? utilization(body.gpu_utilization);
  if (id === null)
    return json(200, { received: true, instance_id: sentId, action: 'none', message: 'Unknown instance' });
  const now = world.clock.platformNow();
  state.heartbeats.set(id, {
    instanceId: id,
    sentId,
    status: typeof body.status === 'string' ? body.status : 'unknown',
    utilization: util,
    receivedAt: now,
    timestamp: body.timestamp ?? null,
  });
  const cfg = state.configs.get(id);
  if (!cfg) return json(200, { received: true, instance_id: sentId, action: 'none', message: 'Heartbeat received' });
  observe(world, state, cfg, false);
  const due = willPauseAt(world, cfg);
  const soon = due !== null && now >= due - T.monitorInterval;
  return json(200, {
    received: true,
    instance_id: sentId,
    action: soon ? 'prepare_hibernate' : 'none',
    message: soon ? `Idle: hibernating within ${T.monitorInterval} s` : 'Heartbeat received',
  });
}

/** `GET /instances/{id}/savings`: measured from the paused time observed and the instance's real price. */
function savings(ctx: Ctx, inst: SimInstance): SimResponse {
  const { world, state } = ctx;
  const cfg = state.configs.get(inst.id);
  const ledger = state.ledgers.get(inst.id);
  const dph = gpuDph(inst);
  if (asIs(world)) {
    // The real route: a static estimate from the price, 80 % saved, nothing measured.
    const monthly = dph * 730;
    return json(200, {
      instance_id: inst.id,
      current_dph: dph,
      estimated_monthly_cost: round(monthly, 2),
      estimated_serverless_cost: round(monthly * 0.2, 2),
      estimated_savings: round(monthly * 0.8, 2),
      savings_percent: 80,
    });
  }
  return json(200, {
    instance_id: inst.id,
    current_dph: dph,
    serverless_enabled: cfg !== undefined,
    mode: cfg?.mode ?? null,
    is_paused: cfg?.isPaused ?? false,
    pause_count: ledger?.pauses ?? 0,
    paused_seconds: round(savedSeconds(ledger, world.clock.platformNow()), 3),
    total_savings_usd: savingsUsd(world, state, inst),
    estimated_monthly_cost: round(dph * 730, 2),
  });
}

/** Every serverless route of the Dumont face. */
export const SERVERLESS_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/serverless/enable/:id',
    handle: (req, ctx) => {
      const { request, details } = parseEnableBody(jsonBody(req));
      const id = pathId(req);
      if (typeof id !== 'number') return id;
      if (details.length) return validationError(details);
      const inst = ctx.world.instances.get(id);
      return inst ? enable(ctx, inst, request, true) : json(404, { error: `Instance ${id} not found` });
    },
  },
  {
    method: 'POST',
    path: '/instances/:id/serverless/enable',
    handle: (req, ctx) => {
      const { request, details } = parseAliasEnableBody(jsonBody(req), asIs(ctx.world));
      const id = pathId(req);
      if (typeof id !== 'number') return id;
      if (details.length) return validationError(details);
      const inst = ctx.world.instances.get(id);
      return inst ? enable(ctx, inst, request, false) : json(404, { error: `Instance ${id} not found` });
    },
  },
  {
    method: 'POST',
    path: '/serverless/disable/:id',
    handle: withConfig((_req, ctx, cfg, inst) => disable(ctx, cfg, inst)),
  },
  {
    method: 'POST',
    path: '/instances/:id/serverless/disable',
    handle: withInstance((_req, ctx, inst) => {
      const cfg = ctx.state.configs.get(inst.id);
      if (!cfg) {
        return json(200, {
          instance_id: inst.id,
          status: 'not_found',
          message: `Serverless not configured for instance ${inst.id}`,
        });
      }
      return disable(ctx, cfg, inst);
    }),
  },
  {
    method: 'GET',
    path: '/serverless/status/:id',
    handle: withConfig((_req, { world, state }, cfg) => json(200, statusRow(world, state, cfg))),
  },
  {
    method: 'GET',
    path: '/serverless/list',
    handle: (_req, { world, state }) => {
      const instances = [...state.configs.values()].map((cfg) => statusRow(world, state, cfg));
      return json(200, { count: instances.length, instances });
    },
  },
  {
    method: 'GET',
    path: '/serverless/status',
    auth: 'public',
    handle: (_req, { state }) => {
      const configs = [...state.configs.values()];
      const byMode = (mode: ServerlessMode): number => configs.filter((c) => c.mode === mode).length;
      return json(200, {
        status: 'active',
        total_instances: configs.length,
        paused_instances: configs.filter((c) => c.isPaused).length,
        active_instances: configs.filter((c) => !c.isPaused).length,
        modes: { fast: byMode('fast'), economic: byMode('economic'), spot: byMode('spot') },
      });
    },
  },
  {
    method: 'POST',
    path: '/serverless/wake/:id',
    handle: withConfig(async (_req, { world, state }, cfg, inst) => {
      const result = await wake(world, state, cfg, inst);
      return json(result.status, result.body);
    }),
  },
  {
    method: 'POST',
    path: '/serverless/inference-start/:id',
    handle: withConfig((_req, _ctx, cfg) => {
      cfg.inferenceBusy = true;
      cfg.idleSince = null;
      return json(200, { instance_id: cfg.instanceId, status: 'ok', idle_timer: 'reset' });
    }),
  },
  {
    method: 'POST',
    path: '/serverless/inference-complete/:id',
    handle: withConfig((_req, { world, state }, cfg) => {
      cfg.inferenceBusy = false;
      cfg.idleSince = null;
      observe(world, state, cfg, false);
      return json(200, { instance_id: cfg.instanceId, status: 'ok', idle_timer: 'started' });
    }),
  },
  { method: 'POST', path: '/agent/status', auth: 'public', handle: agentStatus },
  {
    method: 'GET',
    path: '/agent/instances',
    auth: 'public',
    handle: (_req, ctx) => {
      const instances = [...ctx.state.heartbeats.keys()].map((id) => agentRow(ctx, id));
      return json(200, { count: instances.length, instances });
    },
  },
  {
    method: 'GET',
    path: '/agent/instances/:id',
    auth: 'public',
    handle: (req, ctx) => {
      const id = agentInstanceId(req.params.id);
      const row = id === null ? undefined : agentRow(ctx, id);
      return row ? json(200, row) : json(404, { error: `No agent heartbeat for instance ${req.params.id}` });
    },
  },
  {
    method: 'POST',
    path: '/agent/instances/:id/keep-alive',
    auth: 'public',
    handle: (req, { world, state }) => {
      const id = agentInstanceId(req.params.id);
      const cfg = id === null ? undefined : state.configs.get(id);
      if (!cfg) return json(404, { error: `Serverless not configured for instance ${req.params.id}` });
      if (cfg.idleSince !== null) cfg.idleSince = world.clock.platformNow();
      return json(200, { instance_id: cfg.instanceId, status: 'ok', message: 'Idle timer reset' });
    },
  },
  {
    method: 'GET',
    path: '/instances/:id/savings',
    handle: withInstance((_req, ctx, inst) => savings(ctx, inst)),
  },
  {
    method: 'GET',
    path: '/standby/associations',
    handle: (_req, { state }) => {
      const associations = state.standbys.filter((s) => s.destroyedAt === null).map(standbyRow);
      return json(200, { count: associations.length, associations });
    },
  },
  {
    method: 'DELETE',
    path: '/standby/associations/:id',
    destroys: true,
    handle: (req, { world, state }) => {
      const id = pathId(req);
      if (typeof id !== 'number') return id;
      const standby = liveStandby(state, id);
      if (!standby) return json(404, { error: `No standby association for GPU instance ${id}` });
      destroyStandby(world, standby);
      return json(200, { success: true, message: `Standby ${standby.label} of GPU instance ${id} destroyed` });
    },
  },
];
