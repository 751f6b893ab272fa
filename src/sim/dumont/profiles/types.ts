/**
 * What a profile changes on the Dumont face (`docs/simulator.md` § Profiles). The face asks its profile,
 * chosen once per simulator in `./index.ts`, instead of branching on `world.profile` in its routes.
 */
import type { FaceRoute } from '../../core/http/face-server';
import type { SimResponse } from '../../core/http/sim-http';
import type { SimInstance } from '../../instances/instance-record';
import type { SimProfile } from '../../profiles';

/** Which answer carries an `InstanceResponse` row: the create's, a list's or a single `GET /instances/{id}`. */
export type DumontRead = 'create' | 'list' | 'get';

/** An instance route only some profiles have, under the API root; it runs after auth, for a live instance. */
export interface DumontInstanceRoute {
  method: 'GET' | 'POST';
  /** Fastify syntax with `:id`, e.g. `/instances/:id/metrics`. */
  path: string;
  handle(inst: SimInstance): SimResponse;
}

/** One profile of the Dumont face. */
export interface DumontProfile {
  readonly name: SimProfile;
  /** Wraps every Dumont route (the API under both roots and `/health`; never the admin API). */
  wrap(route: FaceRoute): FaceRoute;
  /** The `InstanceResponse` of `inst` in the answer `read`. */
  instanceRow(inst: SimInstance, read: DumontRead): Record<string, unknown>;
  /** What `GET /instances` answers instead of the list, or undefined to list. */
  listFailure(): SimResponse | undefined;
  /** The create's answer when the offer is taken or unknown. */
  offerUnavailable(offerId: number): SimResponse;
  /**
   * Runs a validated create: `rent` takes effect when called and returns the answer; the profile decides
   * when `rent` runs and when its answer leaves.
   */
  create(rent: () => SimResponse): SimResponse | Promise<SimResponse>;
  /** Instance routes this profile adds. */
  readonly instanceRoutes: readonly DumontInstanceRoute[];
}
