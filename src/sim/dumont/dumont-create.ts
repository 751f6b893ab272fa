/**
 * Dumont's `POST /instances`: Pydantic-like validation (422 details), then a rent on the account's VAST
 * key, run and answered as the face's profile says (`./profiles/`). The custom-image-ignored defect hooks in
 * here.
 */
import { json, type SimResponse } from '../core/http/sim-http';
import { conflictingCreate, createdThroughDumont, leakOnUnavailable } from '../features/create-edges';
import { createInstance } from '../instances/instance-create';
import { BASE_IMAGE } from '../instances/timings';
import type { SimWorld } from '../world';
import { validationError, type ValidationDetail } from './dumont-errors';
import type { DumontProfile } from './profiles';

/** The image Dumont rents when the body names none. */
const DEFAULT_IMAGE = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';

/** Validates the create body and rents the offer. */
export function createDumontInstance(
  world: SimWorld,
  profile: DumontProfile,
  body: Record<string, unknown>
): SimResponse | Promise<SimResponse> {
  const details: ValidationDetail[] = [];
  // Pydantic's lax mode: numeric strings are accepted for numbers, as the real API does.
  const numeric = (value: unknown): number =>
    typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
  const offerId = numeric(body.offer_id);
  if (body.offer_id === undefined || body.offer_id === null) {
    details.push({ loc: ['body', 'offer_id'], msg: 'Field required', type: 'missing' });
  } else if (!Number.isInteger(offerId)) {
    details.push({ loc: ['body', 'offer_id'], msg: 'Input should be a valid integer', type: 'int_parsing' });
  }
  if (body.image !== undefined && body.image !== null && typeof body.image !== 'string') {
    details.push({ loc: ['body', 'image'], msg: 'Input should be a valid string', type: 'string_type' });
  }
  const disk = body.disk_size === undefined || body.disk_size === null ? 100 : numeric(body.disk_size);
  if (!Number.isFinite(disk) || disk < 10) {
    details.push({
      loc: ['body', 'disk_size'],
      msg: 'Input should be greater than or equal to 10',
      type: 'greater_than_equal',
    });
  }
  if (body.label !== undefined && body.label !== null && typeof body.label !== 'string') {
    details.push({ loc: ['body', 'label'], msg: 'Input should be a valid string', type: 'string_type' });
  }
  if (details.length > 0) return validationError(details);
  const requested = typeof body.image === 'string' && body.image.trim() !== '' ? body.image.trim() : DEFAULT_IMAGE;
  const label = typeof body.label === 'string' ? body.label : null;
  return profile.create(() => {
    const earlier = conflictingCreate(world, label);
    if (earlier) return json(201, profile.instanceRow(earlier, 'create'));
    const rent = () =>
      createInstance(world, {
        offerId,
        image: world.has('custom-image-ignored', label) ? BASE_IMAGE : requested,
        disk,
        label,
        env: [],
        onstart: typeof body.onstart_cmd === 'string' ? body.onstart_cmd : null,
        runtype: 'jupyter',
        via: 'dumont',
        // Pydantic accepts both spellings; the real default (false) asks for the auto-standby when one is configured.
        standby: ![true, 'true', 1].includes((body.skip_standby ?? body['skip-standby'] ?? false) as never),
      });
    const result = rent();
    if (result === 'no_such_ask') {
      leakOnUnavailable(world, offerId, label, rent);
      return profile.offerUnavailable(offerId);
    }
    createdThroughDumont(world, result);
    return json(201, profile.instanceRow(result, 'create'));
  });
}
