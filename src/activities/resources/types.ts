import type { ActivityDeps } from '../deps';

/** Where a resource was seen: at the platform under test, or at VAST (the provider behind it). */
export type Witness = 'dumont' | 'vast';

/** One labelled resource, as cleanup, the leak audits and the reaper see it. Plain JSON. */
export interface FoundResource {
  /** The registry entry it belongs to (`instance`, `volume`, `ssh-key`, …). */
  kind: string;
  /** Its id where it lives (VAST instance id, volume id, key id, …). */
  id: number;
  label: string;
  seenAt: Witness[];
  /** Seconds since it was created, when the platform says. */
  ageSeconds?: number;
  /** Ids of resources that must be gone first (a volume is deletable only once its instances are). */
  blockedBy?: number[];
}

/**
 * One kind of thing the platform rents. Every rented kind has an entry in the registry (`./index.ts`), so
 * cleanup, each scenario's leak audit, the suite's final sweep and the reaper all know it without being told.
 * Create activities adopt what already carries their label (found through {@link ResourceKind.list}), so a
 * create retried after a lost answer never rents a second one.
 */
export interface ResourceKind {
  readonly name: string;
  /** Lower first: instances before the volumes they hold and the keys that reach them. */
  readonly destroyOrder: number;
  /**
   * Everything of this kind whose label starts with `prefix`, at the platform AND at VAST where the kind exists
   * there. Reads only what it needs (id, label, age) so that a quirky answer elsewhere in a row cannot make cleanup
   * fail closed; a witness whose answer is unusable is skipped with a warning when another one answered.
   */
  list(deps: ActivityDeps, prefix: string, warn: (message: string) => void): Promise<FoundResource[]>;
  /**
   * One destroy attempt (`attempt` counts from 1 for this resource). "Already gone" is success. Returns a warning
   * when it had to go around the platform (e.g. straight to VAST after Dumont kept failing).
   */
  destroy(deps: ActivityDeps, found: FoundResource, attempt: number): Promise<{ warning?: string }>;
}

/** `instance 24000123 dumont-e2e/suite/s001/main (at dumont, vast)` */
export function describeResource(r: FoundResource): string {
  return `${r.kind} ${r.id} ${r.label} (at ${r.seenAt.join(', ')})`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
