/**
 * The serverless feature's Dumont routes (under the API root; `docs/simulator.md` § Serverless): enable,
 * disable, status, list, wake and inference marks (and their instance aliases). The agent heartbeat routes,
 * the measured savings and the fast-mode CPU standby associations live in `agent-standby-routes.ts`;
 * `SERVERLESS_ROUTES` is every route of the feature, in order.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import { startInstance, stopInstance } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import { AGENT_STANDBY_ROUTES } from './agent-standby-routes';
import { parseAliasEnableBody, parseEnableBody, type EnableRequest } from './enable-request';
import { pathId, withInstance, type Ctx, type Route } from './route-helpers';
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
  ledgerOf,
  liveStandby,
  SERVERLESS_TIMINGS as T,
  statusRow,
  type ServerlessConfig,
  type ServerlessMode,
} from './serverless-store';

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
  ...AGENT_STANDBY_ROUTES,
];
