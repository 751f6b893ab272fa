/**
 * The feature module interface. A platform feature (volumes, SSH keys, snapshots, jobs, ...) is one folder
 * under `src/sim/features/` whose `index.ts` exports a {@link SimFeature}, registered by one line in
 * `features/index.ts`. The simulator gives it its own state per world, mounts its routes on the faces
 * (with the face's auth, errors, trailing-slash policy and faults), calls its reactions to instance events,
 * shows its view in `sim state`, adds its charges to the bill, and shuts it down on stop.
 */
import type { WebSocket } from 'ws';
import type { HttpMethod } from '../core/http/face-server';
import type { SimRequest, SimResponse } from '../core/http/sim-http';
import type { DefectDeclaration } from '../defect-types';
import type { InstanceEventOf } from '../instances/instance-events';
import type { SimUsageRow } from '../types';
import type { SimWorld } from '../world';

/** What every hook of a feature receives: the shared world and the feature's own state. */
export interface FeatureContext<S> {
  readonly world: SimWorld;
  readonly state: S;
}

/** One route a feature declares on a face. Exactly one of `handle` and `websocket` is given. */
export interface FeatureRoute<S> {
  method: HttpMethod;
  /**
   * Fastify path syntax (`:id` params). On the VAST face the full path (`/api/v0/volumes/`; both slash
   * forms answer). On the Dumont face the path under the API root (`/jobs/`), mounted under `/api/v1` and
   * `/api`; declare it as the real API does: the other slash form gets a 307 to it.
   */
  path: string;
  /**
   * `account` (default): the face's credentials are required (VAST API key; Dumont JWT, its email in
   * `req.user`), and a bad one gets the face's 401. `public`: anyone may call.
   */
  auth?: 'account' | 'public';
  /** False for routes transient faults never touch. @default true */
  faultable?: boolean;
  /** A DELETE that destroys a rented resource: the destroy-fails fault may answer the face's 500 instead. */
  destroys?: boolean;
  /** `multipart`: the handler gets `req.form` (`@fastify/multipart`). @default 'json' (read with `jsonBody`) */
  body?: 'json' | 'multipart';
  handle?(req: SimRequest, ctx: FeatureContext<S>): SimResponse | Promise<SimResponse>;
  /** A WebSocket route (`@fastify/websocket`), called once the upgrade is done; never faulted. */
  websocket?(socket: WebSocket, req: SimRequest, ctx: FeatureContext<S>): void;
}

/** Reactions to the instance state machine's events (`instances/instance-events.ts`), run synchronously. */
export interface FeatureReactions<S> {
  create?(event: InstanceEventOf<'create'>, ctx: FeatureContext<S>): void;
  boot?(event: InstanceEventOf<'boot'>, ctx: FeatureContext<S>): void;
  pause?(event: InstanceEventOf<'pause'>, ctx: FeatureContext<S>): void;
  resume?(event: InstanceEventOf<'resume'>, ctx: FeatureContext<S>): void;
  destroy?(event: InstanceEventOf<'destroy'>, ctx: FeatureContext<S>): void;
  'host-failure'?(event: InstanceEventOf<'host-failure'>, ctx: FeatureContext<S>): void;
}

/** One line of the bill a feature adds (a row of `billing` in `sim state` and of `GET /api/v0/charges/`). */
export interface FeatureCharge {
  usage: SimUsageRow;
  /** Platform epoch seconds the charge covers. */
  start: number;
  end: number;
  description: string;
}

/** A platform feature module. `S` is its per-world state. */
export interface SimFeature<S = unknown> {
  /** Kebab-case; the key of its view in `sim state` (`features[name]`). */
  readonly name: string;
  /** Creates the feature's state for one simulator. */
  createState(world: SimWorld): S;
  /** Its routes, by face. */
  readonly routes?: { vast?: readonly FeatureRoute<S>[]; dumont?: readonly FeatureRoute<S>[] };
  /** The defects it implements: its `defects.ts` (also listed in `features/feature-defects.ts`). */
  readonly defects?: readonly DefectDeclaration[];
  /** Its reactions to instance events. */
  readonly on?: FeatureReactions<S>;
  /** Its part of `sim state --json`, under `features[name]`: plain JSON. */
  view?(ctx: FeatureContext<S>): unknown;
  /** What it bills, up to platform time `now`. */
  charges?(ctx: FeatureContext<S>, now: number): FeatureCharge[];
  /** Called once when the simulator stops, before the faces close. */
  shutdown?(ctx: FeatureContext<S>): void | Promise<void>;
}

/** Declares a feature with its state type inferred (an identity function, for type checking). */
export function defineFeature<S>(feature: SimFeature<S>): SimFeature<S> {
  return feature;
}
