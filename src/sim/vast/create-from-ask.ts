/** `PUT /api/v0/asks/{id}/`: renting an offer, with VAST's validation and error bodies (`docs/simulator.md`). */
import { json, type SimResponse } from '../core/http/sim-http';
import { createInstance } from '../instances/instance-create';
import type { CreateRequest } from '../instances/instance-record';
import { BASE_IMAGE } from '../instances/timings';
import { attachVolume, storageVolumes, volumeToAttach } from '../features/storage-volumes';
import type { SimWorld } from '../world';
import type { Row } from './vast-query';

/** `env` as VAST takes it: an object (docker flags such as "-p 8000:8000" as keys are not env) or a flag string. */
export function parseEnv(raw: unknown): [string, string][] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') {
    const pairs: [string, string][] = [];
    const re = /-e\s+([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) pairs.push([m[1], m[2].replace(/^["']|["']$/g, '')]);
    return pairs;
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    return Object.entries(raw as Row)
      .filter(([k]) => !k.startsWith('-'))
      .map(([k, v]) => [k, String(v)]);
  }
  throw new Error('env must be an object or a string');
}

/** Validates the create body and rents the offer `rawId`. */
export function createFromAsk(world: SimWorld, rawId: string, body: Row): SimResponse {
  const askId = Number(rawId);
  const invalid = (msg: string, error = 'invalid_args'): SimResponse =>
    json(400, { success: false, error, msg: `error 400/3467: Invalid args: ${msg}`, ask_id: askId });
  if (!Number.isInteger(askId) || askId <= 0) return invalid('invalid ask id');
  if (typeof body.image !== 'string' || body.image.trim() === '') {
    if (body.template_hash_id === undefined) return invalid('image is required');
  }
  let price: number | undefined;
  if (body.price !== undefined && body.price !== null) {
    price = Number(body.price);
    if (!Number.isFinite(price) || price < 0.001 || price > 128) {
      return json(400, {
        success: false,
        error: 'invalid_price',
        msg: 'Please set a bid price >= 0.001.',
        ask_id: askId,
      });
    }
  }
  const disk = body.disk === undefined || body.disk === null ? 10 : Number(body.disk);
  if (!Number.isFinite(disk) || disk <= 0)
    return invalid(`disk must be a positive number, got ${JSON.stringify(body.disk)}`);
  if (body.label !== undefined && body.label !== null && typeof body.label !== 'string')
    return invalid('label must be a string');
  if (
    body.onstart !== undefined &&
    body.onstart !== null &&
    (typeof body.onstart !== 'string' || body.onstart.length > 4048)
  ) {
    return invalid('onstart must be a string of at most 4048 characters');
  }
  let env: [string, string][];
  try {
    env = parseEnv(body.env);
  } catch (err) {
    return invalid((err as Error).message);
  }
  const req: CreateRequest = {
    offerId: askId,
    image: typeof body.image === 'string' && body.image.trim() !== '' ? body.image.trim() : BASE_IMAGE,
    disk,
    label: typeof body.label === 'string' ? body.label : null,
    env,
    onstart: typeof body.onstart === 'string' ? body.onstart : null,
    runtype: typeof body.runtype === 'string' ? body.runtype : 'ssh',
    price,
    via: 'vast',
  };
  // volume_info is checked before the rent, so a bad one rents nothing (vast-api.md §3.2, §3.8).
  const volumes = world.features.stateOf(storageVolumes);
  const offer = world.availableOffers().find((o) => o.id === askId);
  const attach = offer ? volumeToAttach(volumes, offer, body.volume_info) : undefined;
  if (attach && 'status' in attach) return attach;
  const result = createInstance(world, req);
  if (result !== 'no_such_ask' && attach) attachVolume(world, volumes, result, attach);
  if (result === 'no_such_ask') {
    return json(404, {
      success: false,
      error: 'invalid_args',
      msg: `error 404/3603: no_such_ask Instance type by id ${askId} is not available.`,
      ask_id: askId,
    });
  }
  if (result.isBid && result.intended === 'stopped') {
    // VAST's partial success: the contract exists (stopped) although the call reports failure.
    return json(200, {
      success: false,
      error: 'bid_too_low',
      msg: `Bid ${result.dphTotal} is below the current minimum ${result.offer.min_bid}; instance created stopped.`,
      new_contract: result.id,
      instance_api_key: result.instanceApiKey,
    });
  }
  return json(200, { success: true, new_contract: result.id, instance_api_key: result.instanceApiKey });
}
