/**
 * Create edges (`docs/simulator.md` § Create edges): the Dumont create and destroy hooks of what goes wrong around a
 * create — an offer that expired between search and create, an instance stuck in loading, simultaneous creates.
 * The healthy behaviour lives in the state machine and the market (offers leave, hosts hang); this feature holds
 * the defects that break it (`./defects.ts`) and the little state they need.
 */
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { market } from '../market';
import { defineFeature } from '../types';
import { CREATE_EDGE_DEFECTS } from './defects';

export interface CreateEdgesState {
  /** Per defect scope: the last Dumont create and when it came. */
  readonly lastCreate: Map<string, { instance: SimInstance; platform: number; realMs: number }>;
}

/** The create-edges feature module. */
export const createEdges = defineFeature<CreateEdgesState>({
  name: 'create-edges',
  createState: () => ({ lastCreate: new Map() }),
  defects: CREATE_EDGE_DEFECTS,
  view: ({ state }) => ({ scopes: state.lastCreate.size }),
});

/** Platform seconds, and at least real ms, within which two creates count as simultaneous. */
const WINDOW_PLATFORM_SECONDS = 5;
const WINDOW_MIN_REAL_MS = 250;

/**
 * Before a Dumont create labelled `label`: under concurrent-creates-conflict, the instance of a create that came
 * within the window in the same scope (answered again instead of renting), else undefined.
 */
export function conflictingCreate(world: SimWorld, label: string | null): SimInstance | undefined {
  if (!world.features.names().includes(createEdges.name)) return undefined;
  const state = world.features.stateOf(createEdges);
  const now = { platform: world.clock.platformNow(), realMs: Date.now() };
  for (const scope of world.defects.scopesCovering('concurrent-creates-conflict', label)) {
    const last = state.lastCreate.get(scope);
    const recent =
      last &&
      last.instance.destroyedAt === null &&
      (now.platform - last.platform < WINDOW_PLATFORM_SECONDS || now.realMs - last.realMs < WINDOW_MIN_REAL_MS);
    if (recent) return last.instance;
  }
  return undefined;
}

/** After a Dumont create rented `inst`: remembered per scope for {@link conflictingCreate}. */
export function createdThroughDumont(world: SimWorld, inst: SimInstance): void {
  if (!world.features.names().includes(createEdges.name)) return;
  const state = world.features.stateOf(createEdges);
  for (const scope of world.defects.scopesCovering('concurrent-creates-conflict', inst.label)) {
    state.lastCreate.set(scope, { instance: inst, platform: world.clock.platformNow(), realMs: Date.now() });
  }
}

/**
 * A Dumont create of an offer that is off the market: under failed-create-leaks-instance the instance is rented
 * anyway on the offer's last known record (the caller still answers the 500).
 */
export function leakOnUnavailable(world: SimWorld, offerId: number, label: string | null, rent: () => unknown): void {
  if (!world.has('failed-create-leaks-instance', label)) return;
  const known =
    world.offerById.get(offerId) ??
    (world.features.names().includes(market.name)
      ? world.features.stateOf(market).listings.get(offerId)?.offer
      : undefined) ??
    world.allInstances.find((i) => i.offer.id === offerId)?.offer;
  if (!known) return;
  // Put the record back for one rent, then take it off the market again.
  const wasListed = world.offerById.has(offerId);
  const wasRented = world.rented.delete(offerId);
  world.offerById.set(offerId, known);
  try {
    rent();
  } finally {
    if (!wasListed) world.offerById.delete(offerId);
    if (wasRented) world.rented.add(offerId);
  }
}

/** Whether Dumont's DELETE of `inst` is ignored: under stuck-create-not-cancellable, while it is stuck loading. */
export function destroyIgnored(world: SimWorld, inst: SimInstance): boolean {
  return world.has('stuck-create-not-cancellable', inst.label) && inst.actual === 'loading';
}
