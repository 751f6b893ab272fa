/**
 * The host blacklist on Dumont's routes (`docs/simulator.md` § Blacklist): `GET /instances/blacklist/status`,
 * `POST /instances/blacklist/{machine_id}?reason=` and `DELETE /instances/blacklist/{machine_id}`, an in-memory
 * list with Dumont's TTL (1 h, doubled by each new failure of the machine, at most 24 h) that the offer search
 * honours unless asked `include_blacklisted=true` (`isBlacklisted`, called by `dumont/dumont-offers.ts`). Under
 * `dumont-as-is` the search ignores it, as the real one does (it reads the DB blacklist instead).
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { SimWorld } from '../../world';
import { defineFeature, type FeatureContext } from '../types';
import { BLACKLIST_DEFECTS } from './defects';

interface Entry {
  machineId: number;
  reason: string;
  addedAt: number;
  expiresAt: number;
  failures: number;
}

export interface BlacklistState {
  readonly entries: Map<number, Entry>;
}

type Ctx = FeatureContext<BlacklistState>;

const BASE_TTL = 3600;
const MAX_TTL = 86_400;
const iso = (t: number): string => new Date(t * 1000).toISOString();

/** The live entry of a machine (expired ones are dropped as they are found). */
function live(world: SimWorld, state: BlacklistState, machineId: number): Entry | undefined {
  const e = state.entries.get(machineId);
  if (e && e.expiresAt <= world.clock.platformNow()) state.entries.delete(machineId);
  return state.entries.get(machineId);
}

function machineParam(req: SimRequest): number | SimResponse {
  const id = Number(req.params.machine_id);
  return Number.isInteger(id) && id > 0
    ? id
    : validationError([{ loc: ['path', 'machine_id'], msg: 'Input should be a valid integer', type: 'int_parsing' }]);
}

const row = (e: Entry) => ({
  machine_id: String(e.machineId),
  reason: e.reason,
  added_at: iso(e.addedAt),
  expires_at: iso(e.expiresAt),
  failures: e.failures,
});

function status(_req: SimRequest, { world, state }: Ctx): SimResponse {
  const entries = [...state.entries.keys()].flatMap((m) => live(world, state, m) ?? []);
  return json(200, {
    success: true,
    blacklist: { count: entries.length, entries: entries.map(row) },
    message: `${entries.length} machines blacklisted`,
  });
}

function add(req: SimRequest, { world, state }: Ctx): SimResponse {
  const id = machineParam(req);
  if (typeof id !== 'number') return id;
  const now = world.clock.platformNow();
  const before = live(world, state, id);
  const failures = (before?.failures ?? 0) + 1;
  const entry: Entry = {
    machineId: id,
    reason: req.query.get('reason') ?? before?.reason ?? 'manual',
    addedAt: now,
    expiresAt: now + Math.min(MAX_TTL, BASE_TTL * 2 ** (failures - 1)),
    failures,
  };
  state.entries.set(id, entry);
  return json(200, {
    success: true,
    message: `Machine ${id} blacklisted until ${iso(entry.expiresAt)}`,
    entry: row(entry),
  });
}

function remove(req: SimRequest, { world, state }: Ctx): SimResponse {
  const id = machineParam(req);
  if (typeof id !== 'number') return id;
  if (!live(world, state, id)) return json(404, { error: `Machine ${id} is not blacklisted` });
  state.entries.delete(id);
  return json(200, { success: true, message: `Machine ${id} removed from the blacklist` });
}

/** The blacklist feature module. */
export const blacklist = defineFeature<BlacklistState>({
  name: 'blacklist',
  createState: () => ({ entries: new Map() }),
  defects: BLACKLIST_DEFECTS,
  routes: {
    dumont: [
      { method: 'GET', path: '/instances/blacklist/status', handle: status },
      { method: 'POST', path: '/instances/blacklist/:machine_id', handle: add },
      { method: 'DELETE', path: '/instances/blacklist/:machine_id', handle: remove, destroys: true },
    ],
  },
  view: ({ state }) => ({ entries: [...state.entries.values()].map(row) }),
});

/** Whether the offer search leaves out `machineId` (blacklisted, and the search honours the list). */
export function isBlacklisted(world: SimWorld, machineId: number): boolean {
  if (world.has('blacklist-not-applied') || !world.features.names().includes(blacklist.name)) return false;
  // The real offer search filters by Dumont's DB blacklist (`/machines/history/blacklist`), not by this one.
  if (world.profile === 'dumont-as-is') return false;
  return live(world, world.features.stateOf(blacklist), machineId) !== undefined;
}
