/** The migration feature's Dumont routes: the estimate and the migration itself (`reference/dumont-api.md` §11). */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { SimInstance } from '../../instances/instance-record';
import type { FeatureContext, FeatureRoute } from '../types';
import { estimate, migrate, type MigrateRequest } from './migration-engine';
import type { MigrationState } from './migration-store';
import { wakeOntoNewGpu } from './wake-engine';

type Ctx = FeatureContext<MigrationState>;

/** Parses Dumont's migrate body (its defaults: max_price 2.0, disk_size 100, auto_destroy_source true). */
function parse(body: Record<string, unknown>, forMigrate: boolean): MigrateRequest | SimResponse {
  const targetType = body.target_type ?? 'gpu';
  if (targetType !== 'gpu' && targetType !== 'cpu')
    return validationError([{ loc: ['body', 'target_type'], msg: "Input should be 'gpu' or 'cpu'", type: 'enum' }]);
  const gpuName = typeof body.gpu_name === 'string' && body.gpu_name.trim() ? body.gpu_name.trim() : null;
  if (forMigrate && targetType === 'gpu' && gpuName === null)
    return json(400, { error: 'gpu_name is required for a GPU migration' });
  const maxPrice = body.max_price === undefined ? 2.0 : Number(body.max_price);
  const diskSize = body.disk_size === undefined ? 100 : Number(body.disk_size);
  if (!Number.isFinite(maxPrice) || maxPrice <= 0)
    return validationError([
      { loc: ['body', 'max_price'], msg: 'Input should be a positive number', type: 'value_error' },
    ]);
  if (!Number.isFinite(diskSize) || diskSize < 50)
    return validationError([
      { loc: ['body', 'disk_size'], msg: 'Input should be greater than or equal to 50', type: 'greater_than_equal' },
    ]);
  return {
    targetType,
    gpuName,
    maxPrice,
    region: typeof body.region === 'string' && body.region.trim() ? body.region.trim() : null,
    diskSize,
    autoDestroySource: body.auto_destroy_source !== false,
    // Extension: the source's SSH endpoint follows the migrated instance (Dumont lacks it).
    keepSshEndpoint: body.keep_ssh_endpoint === true,
  };
}

function withSource(
  handle: (req: SimRequest, ctx: Ctx, inst: SimInstance) => SimResponse | Promise<SimResponse>
): (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse> {
  return (req, ctx) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id))
      return validationError([
        { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
      ]);
    const inst = ctx.world.instances.get(id);
    return inst ? handle(req, ctx, inst) : json(404, { error: `Instance ${id} not found` });
  };
}

export const MIGRATION_ROUTES: readonly FeatureRoute<MigrationState>[] = [
  {
    method: 'POST',
    path: '/instances/:id/migrate/estimate',
    handle: withSource((req, ctx, inst) => {
      const parsed = parse(jsonBody(req), false);
      if ('status' in parsed) return parsed;
      return json(200, estimate(ctx.world, inst, parsed));
    }),
  },
  {
    method: 'POST',
    path: '/instances/:id/migrate',
    handle: withSource(async (req, ctx, inst) => {
      const parsed = parse(jsonBody(req), true);
      if ('status' in parsed) return parsed;
      if (parsed.keepSshEndpoint && ctx.world.profile === 'dumont-as-is')
        return json(400, { error: 'keep_ssh_endpoint is not supported' });
      const done = await migrate(ctx.world, ctx.state, inst, parsed);
      return json(done.status, done.body);
    }),
  },
  {
    // A hibernated instance may already be destroyed: its record (and its snapshots) still name it.
    method: 'POST',
    path: '/instances/:id/wake',
    handle: async (req, ctx) => {
      const id = Number(req.params.id);
      if (!Number.isInteger(id))
        return validationError([
          { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
        ]);
      if (ctx.world.profile === 'dumont-as-is') return json(503, { error: 'Auto-hibernation manager is not running' });
      const old = ctx.world.instances.get(id) ?? ctx.world.allInstances.find((i) => i.id === id);
      if (!old) return json(404, { error: `Instance ${id} not found` });
      const body = jsonBody(req);
      const maxPrice = body.max_price === undefined ? 1.0 : Number(body.max_price);
      if (!Number.isFinite(maxPrice) || maxPrice <= 0)
        return validationError([
          { loc: ['body', 'max_price'], msg: 'Input should be a positive number', type: 'value_error' },
        ]);
      const done = await wakeOntoNewGpu(ctx.world, old, {
        gpuType: typeof body.gpu_type === 'string' && body.gpu_type.trim() ? body.gpu_type.trim() : null,
        region: typeof body.region === 'string' && body.region.trim() ? body.region.trim() : null,
        maxPrice,
        restoreSnapshot: body.restore_snapshot !== false,
      });
      return json(done.status, done.body);
    },
  },
];
