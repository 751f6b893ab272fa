/**
 * The serverless feature's agent, savings and standby routes (Dumont face; `docs/simulator.md` § Serverless):
 * the agent heartbeat routes (public), the measured savings, and the fast-mode CPU standby associations.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError, type ValidationDetail } from '../../dumont/dumont-errors';
import type { SimInstance } from '../../instances/instance-record';
import { pathId, withInstance, type Ctx, type Route } from './route-helpers';
import { destroyStandby, observe } from './serverless-engine';
import {
  asIs,
  gpuDph,
  liveStandby,
  round,
  savedSeconds,
  savingsUsd,
  SERVERLESS_TIMINGS as T,
  standbyRow,
  willPauseAt,
} from './serverless-store';

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

/** The agent heartbeat, savings and standby-association routes, in `SERVERLESS_ROUTES` order. */
export const AGENT_STANDBY_ROUTES: readonly Route[] = [
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
