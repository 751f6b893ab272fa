/**
 * Runs the registered feature modules inside one world: creates each one's state, subscribes its reactions
 * to the instance events, and hands the faces, the bill and `sim state` what each declares.
 */
import type { SimWorld } from '../world';
import { INSTANCE_EVENT_TYPES, type InstanceEvent } from '../instances/instance-events';
import type { FeatureCharge, FeatureContext, FeatureRoute, SimFeature } from './types';

interface Running {
  feature: SimFeature;
  ctx: FeatureContext<unknown>;
}

/** A route of a feature, bound to the feature's context. */
export interface BoundFeatureRoute {
  feature: string;
  route: FeatureRoute<unknown>;
  ctx: FeatureContext<unknown>;
}

/** Stateful: the features of one world and their states. */
export class FeatureHost {
  private readonly running: Running[] = [];

  constructor(world: SimWorld, features: readonly SimFeature[]) {
    const names = new Set<string>();
    for (const feature of features) {
      if (names.has(feature.name)) throw new Error(`feature "${feature.name}" is registered twice`);
      names.add(feature.name);
      const ctx: FeatureContext<unknown> = { world, state: feature.createState(world) };
      this.running.push({ feature, ctx });
      for (const type of INSTANCE_EVENT_TYPES) {
        const reaction = feature.on?.[type] as
          ((event: InstanceEvent, ctx: FeatureContext<unknown>) => void) | undefined;
        if (reaction) world.events.on(type, (event) => reaction.call(feature.on, event, ctx));
      }
    }
  }

  /** The names of the running features, in registration order. */
  names(): string[] {
    return this.running.map((r) => r.feature.name);
  }

  /** The state of `feature` in this world; throws when it is not registered. */
  stateOf<S>(feature: SimFeature<S>): S {
    const found = this.running.find((r) => r.feature === (feature as SimFeature));
    if (!found) throw new Error(`feature "${feature.name}" is not registered`);
    return found.ctx.state as S;
  }

  /** Every feature route declared on `face`. */
  routes(face: 'vast' | 'dumont'): BoundFeatureRoute[] {
    return this.running.flatMap(({ feature, ctx }) =>
      (feature.routes?.[face] ?? []).map((route) => ({ feature: feature.name, route, ctx }))
    );
  }

  /** `sim state`'s `features`: each feature's view, by name (`{}` for a feature without one). */
  views(): Record<string, unknown> {
    return Object.fromEntries(this.running.map(({ feature, ctx }) => [feature.name, feature.view?.(ctx) ?? {}]));
  }

  /** Every feature's charges up to `now`. */
  charges(now: number): FeatureCharge[] {
    return this.running.flatMap(({ feature, ctx }) => feature.charges?.(ctx, now) ?? []);
  }

  /** Shuts every feature down (each one even if another fails); rejects with the first error. */
  async shutdown(): Promise<void> {
    const results = await Promise.allSettled(this.running.map(({ feature, ctx }) => feature.shutdown?.(ctx)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
