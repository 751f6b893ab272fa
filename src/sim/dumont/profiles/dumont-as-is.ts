/**
 * The `dumont-as-is` profile of the Dumont face: the real server's documented behaviour rather than the
 * ideal platform's (`docs/simulator.md` § Profiles). Its wire rows (`../wire-dumont.ts`, start dates of the read), one create at a time
 * behind a long blocking setup that stalls the whole face (`./event-loop.ts`), the list it makes through
 * VAST's retired v0 list, its wording of a taken offer, and its all-zero metrics.
 */
import { json } from '../../core/http/sim-http';
import type { SimWorld } from '../../world';
import { dumontInstanceRow } from '../wire-dumont';
import { BlockingEventLoop } from './event-loop';
import type { DumontProfile } from './types';

/**
 * Platform seconds a successful create blocks the server after renting, before it answers: the real
 * handler's setup waits up to 120 s for SSH with blocking sleeps.
 */
export const DUMONT_AS_IS_CREATE_SETUP_SECONDS = 120;

/** The URL the real server lists instances with (VAST's v0 list, retired: 410). */
const VAST_V0_LIST_URL = 'https://console.vast.ai/api/v0/instances/?owner=me';

/** The real server's Dumont face. */
export function dumontAsIsProfile(world: SimWorld): DumontProfile {
  const loop = new BlockingEventLoop(world.clock);
  return {
    name: 'dumont-as-is',
    wrap: (route) => {
      const handle = route.handle;
      if (!handle) return route;
      return {
        ...route,
        handle: async (req) => {
          await loop.turn();
          return handle(req);
        },
      };
    },
    // The real server's `start_date` is the time of the read (§ Profiles).
    instanceRow: (inst, read) => dumontInstanceRow(world, inst, read, 'read'),
    // Dumont lists through VAST's v0 list; when that answers 410 the error surfaces as "unreachable".
    listFailure: () =>
      world.v0ListMode === 410
        ? json(503, {
            error: `Vast.ai API unreachable: 410 Client Error: Gone for url: ${VAST_V0_LIST_URL}`,
            details: {},
          })
        : undefined,
    // VAST's 404 for a taken offer is read as reason "offline".
    offerUnavailable: (offerId) =>
      json(500, { error: `Oferta ${String(offerId)} indisponível: O host saiu do ar temporariamente` }),
    create: (rent) => loop.hold(rent, (res) => (res.status === 201 ? DUMONT_AS_IS_CREATE_SETUP_SECONDS : 0)),
    instanceRoutes: [
      {
        method: 'GET',
        path: '/instances/:id/metrics',
        // The real handler reads metrics its provider never fills: always zeros.
        handle: (inst) =>
          json(200, {
            instance_id: inst.id,
            gpu_util: 0,
            gpu_temp: 0,
            cpu_util: 0,
            ram_used: 0,
            ram_total: 0,
            status: inst.intended,
          }),
      },
    ],
  };
}
