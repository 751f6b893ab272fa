/**
 * `PUT /api/v0/instances/update_template/{id}/ {id, image?, env?, onstart?, args?, disk?, template_hash_id?}`
 * (vast-api.md §3.4; VAST's client `update_instance`): the instance is recreated from the new template, a fresh
 * container of the new image with the new environment and `onstart` (its disk emptied, as `recycle` does), on the same
 * contract, GPU and SSH endpoint. Answers `{success, updated_instance}` (the row), failures `{success:false, msg}`, as
 * VAST's client reads them.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import type { SimInstance } from '../instances/instance-record';
import type { SimWorld } from '../world';
import { parseEnv } from './create-from-ask';
import { recycleInstance } from './renter-ops';
import { vastInstanceRow } from './wire-vast';

/** Applies the template fields the body gives (each validated as at create) and recreates the container. */
export function updateTemplate(world: SimWorld, req: SimRequest, inst: SimInstance): SimResponse {
  const body = jsonBody(req);
  const invalid = (msg: string): SimResponse =>
    json(400, { success: false, error: 'invalid_args', msg: `error 400/3467: Invalid args: ${msg}` });
  const fields = ['image', 'env', 'onstart', 'args', 'disk', 'template_hash_id', 'template_id'];
  if (!fields.some((f) => body[f] !== undefined && body[f] !== null)) {
    return invalid(`nothing to update: give one of ${fields.join(', ')}`);
  }
  if (body.image !== undefined && (typeof body.image !== 'string' || body.image.trim() === '')) {
    return invalid('image must be a non-empty string');
  }
  if (body.onstart !== undefined && body.onstart !== null) {
    if (typeof body.onstart !== 'string' || body.onstart.length > 4048)
      return invalid('onstart must be a string of at most 4048 characters');
  }
  let disk = inst.disk;
  if (body.disk !== undefined && body.disk !== null) {
    disk = Number(body.disk);
    // A volume of the machine's disk cannot shrink under what the contract holds.
    if (!Number.isFinite(disk) || disk < inst.disk || disk > inst.offer.disk_space)
      return invalid(
        `disk must be between ${inst.disk} and ${inst.offer.disk_space} GB, got ${JSON.stringify(body.disk)}`
      );
  }
  let env = inst.env;
  try {
    if (body.env !== undefined) env = parseEnv(body.env);
  } catch (err) {
    return invalid((err as Error).message);
  }
  if (typeof body.image === 'string') inst.image = body.image;
  if (body.onstart !== undefined) inst.onstart = typeof body.onstart === 'string' ? body.onstart : null;
  inst.env = env;
  inst.disk = disk;
  world.log(`instance ${inst.id} recreated from an updated template (${inst.image})`);
  const recycled = recycleInstance(world, inst);
  // VAST's client prints `updated_instance` when the answer has it (`vastai update instance`).
  return recycled.status === 200
    ? json(200, { success: true, updated_instance: vastInstanceRow(world, inst) })
    : recycled;
}
