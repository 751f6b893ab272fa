/** The `ideal` profile of the Dumont face: the platform as it should behave (`docs/simulator.md` § Dumont face). */
import { json } from '../../core/http/sim-http';
import type { SimWorld } from '../../world';
import { dumontInstanceRow } from '../wire-dumont';
import type { DumontProfile } from './types';

/** The ideal Dumont face: the real wire's rows (with the true start date), no stalls. */
export function idealProfile(world: SimWorld): DumontProfile {
  return {
    name: 'ideal',
    wrap: (route) => route,
    instanceRow: (inst, read) => dumontInstanceRow(world, inst, read, 'start'),
    listFailure: () => undefined,
    offerUnavailable: (offerId) =>
      json(500, {
        error: `Oferta ${String(offerId)} indisponível: error 404/3603: no_such_ask Instance type by id ${String(offerId)} is not available.`,
      }),
    create: (rent) => rent(),
    instanceRoutes: [],
  };
}
