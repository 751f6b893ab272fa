/**
 * The models feature's Dumont routes (under the API root; docs/simulator.md § Models): templates, deploy, list, get,
 * stop, delete, logs, health, and the scale extension. `models` is declared with a trailing slash, as Dumont does.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { FeatureContext, FeatureRoute } from '../types';
import { parseDeployBody } from './deploy-request';
import { rentFor, scaleTo, teardown } from './model-engine';
import { deploymentRow, ESTIMATED_SECONDS, type Deployment, type ModelsState } from './model-store';
import { templateRows } from './templates';

type Ctx = FeatureContext<ModelsState>;
type Route = FeatureRoute<ModelsState>;

/** Resolves the path's deployment (the caller's own): 404 `{error}` otherwise. */
function withDeployment(
  handle: (req: SimRequest, ctx: Ctx, dep: Deployment) => SimResponse | Promise<SimResponse>
): (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse> {
  return (req, ctx) => {
    const dep = ctx.state.deployments.get(req.params.id ?? '');
    if (!dep || dep.userId !== req.user) return json(404, { error: `Deployment ${req.params.id} not found` });
    return handle(req, ctx, dep);
  };
}

/** What stop and delete do to the instance: the real server leaves a downloading deployment's GPU running. */
function stopDeployment(ctx: Ctx, dep: Deployment): void {
  const leak = ctx.world.profile === 'dumont-as-is' && dep.status === 'downloading';
  teardown(ctx.world, dep, leak);
  dep.status = 'stopped';
  dep.statusMessage = 'Stopped by user';
  dep.progress = 0;
}

/** `GET {endpoint}/health`, as Dumont's health route asks it. */
function endpointHealth(port: number): Promise<{ status: number | null; body: unknown; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // plain text
        }
        resolve({ status: res.statusCode ?? null, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: null, body: null, error: err.message }));
  });
}

function readLogs(dep: Deployment): string {
  if (!dep.dir) return '';
  try {
    return fs
      .readdirSync(dep.dir)
      .filter((f) => f.endsWith('.log'))
      .sort()
      .map((f) => `==> ${f} <==\n${fs.readFileSync(path.join(dep.dir!, f), 'utf8').split('\n').slice(-200).join('\n')}`)
      .join('\n');
  } catch {
    return '';
  }
}

/** Every route of the models feature. */
export const MODEL_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/models/templates', handle: () => json(200, { templates: templateRows() }) },
  {
    method: 'POST',
    path: '/models/deploy',
    handle: (req, { world, state }) => {
      const { request, details } = parseDeployBody(jsonBody(req));
      if (!request) return validationError(details);
      const now = world.clock.platformNow();
      const id = world.prng.hex(8);
      const dep: Deployment = {
        id,
        userId: req.user ?? '',
        name: request.name ?? request.modelId.split('/').pop()!,
        label: request.label ?? 'dumont:model-deploy',
        modelType: request.modelType,
        modelId: request.modelId,
        runtime: request.runtime,
        instanceId: null,
        gpuType: request.gpuType,
        gpuName: null,
        numGpus: request.numGpus,
        maxPrice: request.maxPrice,
        dphTotal: null,
        accessType: request.accessType,
        apiKey: request.accessType === 'private' ? `sk-${world.prng.hex(32)}` : null,
        port: request.port,
        status: 'pending',
        statusMessage: 'Looking for a GPU',
        progress: 0,
        createdAt: now,
        startedAt: null,
        replicas: request.replicas,
        replicaList: [],
        endpointPort: null,
        balancer: null,
        dir: null,
        timer: null,
        healthDeadline: null,
        closing: false,
      };
      state.deployments.set(id, dep);
      world.log(`models: deploy ${request.modelId} (${request.runtime}) as ${id}`);
      rentFor(world, state, dep, now);
      return json(201, {
        success: true,
        deployment_id: id,
        message: `Deployment of ${request.modelId} started`,
        estimated_time_seconds: ESTIMATED_SECONDS[request.modelType],
      });
    },
  },
  {
    method: 'GET',
    path: '/models/',
    handle: (req, { world, state }) => {
      const status = req.query.get('status');
      const type = req.query.get('model_type');
      const models = [...state.deployments.values()]
        .filter((d) => d.userId === req.user && (!status || d.status === status) && (!type || d.modelType === type))
        .map((d) => deploymentRow(world, d));
      return json(200, { models, count: models.length });
    },
  },
  {
    method: 'GET',
    path: '/models/:id',
    handle: withDeployment((req, { world }, dep) => json(200, deploymentRow(world, dep))),
  },
  {
    method: 'POST',
    path: '/models/:id/stop',
    handle: withDeployment((req, ctx, dep) => {
      stopDeployment(ctx, dep);
      return json(200, deploymentRow(ctx.world, dep));
    }),
  },
  {
    method: 'DELETE',
    path: '/models/:id',
    destroys: true,
    handle: withDeployment((req, ctx, dep) => {
      stopDeployment(ctx, dep);
      ctx.state.deployments.delete(dep.id);
      return { status: 204 };
    }),
  },
  {
    method: 'GET',
    path: '/models/:id/logs',
    handle: withDeployment((req, { world }, dep) =>
      json(200, {
        deployment_id: dep.id,
        logs: readLogs(dep),
        timestamp: new Date(world.clock.platformNow() * 1000).toISOString(),
      })
    ),
  },
  {
    method: 'GET',
    path: '/models/:id/health',
    handle: withDeployment(async (req, { world }, dep) => {
      const uptime = dep.startedAt !== null ? Math.max(0, world.clock.platformNow() - dep.startedAt) : 0;
      const base = { deployment_id: dep.id, status: dep.status, uptime_seconds: Math.round(uptime) };
      if (dep.status !== 'running' || dep.endpointPort === null) {
        return json(200, { ...base, healthy: false, error: `Deployment is ${dep.status}` });
      }
      if (world.has('model-health-always-ok', dep.label)) return json(200, { ...base, healthy: true });
      const look = await endpointHealth(dep.endpointPort);
      const healthy = look.status === 200;
      return json(200, {
        ...base,
        healthy,
        ...(healthy
          ? {}
          : { error: look.error ?? `health check answered ${look.status}: ${JSON.stringify(look.body)}` }),
      });
    }),
  },
  {
    method: 'POST',
    path: '/models/:id/scale',
    handle: withDeployment(async (req, { world }, dep) => {
      if (world.profile === 'dumont-as-is') return json(404, { error: 'Not Found' });
      const replicas = jsonBody(req).replicas;
      if (!Number.isInteger(replicas) || (replicas as number) < 1 || (replicas as number) > 8) {
        return validationError([
          { loc: ['body', 'replicas'], msg: 'Input should be an integer between 1 and 8', type: 'int_parsing' },
        ]);
      }
      if (dep.status !== 'running') return json(409, { error: `Deployment is ${dep.status}, not running` });
      await scaleTo(world, dep, replicas as number);
      return json(200, deploymentRow(world, dep));
    }),
  },
];
