/**
 * Renting an interruptible (spot) instance through Dumont: `POST /spot/instances` (an extension — Dumont's
 * provider has `create_instance_bid` but no route exposes it, see `docs/platform-contract.md` § Market). The
 * instance bids `bid_price` on the offer and is billed at its bid; under the spot-billed-as-on-demand defect it is
 * billed at the offer's on-demand price.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { DUMONT_ERRORS, validationError } from '../../dumont/dumont-errors';
import { dumontInstanceRow } from '../../dumont/wire-dumont';
import { createInstance } from '../../instances/instance-create';
import type { FeatureContext, FeatureRoute } from '../types';
import type { MarketState } from './market-store';

const DEFAULT_IMAGE = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';

function createSpot(req: SimRequest, { world }: FeatureContext<MarketState>): SimResponse {
  // An extension: the real server has no such route.
  if (world.profile === 'dumont-as-is') return DUMONT_ERRORS.notFound(req);
  const body = jsonBody(req);
  const offerId = Number(body.offer_id);
  const bid = Number(body.bid_price);
  const label = typeof body.label === 'string' ? body.label : null;
  const details = [
    ...(Number.isInteger(offerId)
      ? []
      : [{ loc: ['body', 'offer_id'], msg: 'Input should be a valid integer', type: 'int_parsing' }]),
    ...(Number.isFinite(bid) && bid > 0
      ? []
      : [{ loc: ['body', 'bid_price'], msg: 'Input should be greater than 0', type: 'greater_than' }]),
  ];
  if (details.length) return validationError(details);
  const offer = world.offerById.get(offerId);
  if (offer && bid < offer.min_bid) {
    return json(400, { error: `Lance ${bid} abaixo do mínimo ${offer.min_bid} da oferta ${offerId}` });
  }
  const inst = createInstance(world, {
    offerId,
    image: typeof body.image === 'string' && body.image.trim() ? body.image.trim() : DEFAULT_IMAGE,
    disk: Number(body.disk_size ?? 100) || 100,
    label,
    env: [],
    onstart: null,
    runtype: 'ssh',
    price: bid,
    via: 'dumont',
  });
  if (inst === 'no_such_ask') return json(500, { error: `Oferta ${offerId} indisponível: no_such_ask` });
  // The defect: the contract is a bid, but the meter runs at the on-demand price.
  if (world.has('spot-billed-as-on-demand', label)) inst.dphTotal = inst.offer.dph_total;
  return json(201, {
    ...dumontInstanceRow(world, inst, 'create', 'start'),
    dph_total: bid,
    machine_type: 'interruptible',
    bid_price: bid,
  });
}

/** The spot route. */
export const SPOT_ROUTES: FeatureRoute<MarketState>[] = [
  { method: 'POST', path: '/spot/instances', handle: createSpot },
];
