/**
 * The simulator's shared state: one account (its VAST API key), the profile, the market, the instances (live
 * and destroyed, for the charges), active defects and fault settings, the platform clock, the per-instance
 * SSH hosts and process groups, the instance event bus, and the feature modules' states. Both faces, the
 * admin API and every feature act on this one object.
 */
import path from 'node:path';
import { objectStoreCredentials } from './core/object-store/credentials';
import { ActiveDefects } from './core/active-defects';
import { SimClock } from './core/clock';
import { EventBus } from './core/event-bus';
import { FaultInjector } from './core/fault-injector';
import { HostileSwitch } from './core/hostile';
import type { Offer } from './core/offer';
import { ObjectStore } from './core/object-store';
import { buildOffers } from './core/offers-catalogue';
import { createPrng, type Prng } from './core/prng';
import type { DefectName } from './defect-registry';
import { FeatureHost } from './features/feature-host';
import type { SimFeature } from './features/types';
import type { InstanceEvent } from './instances/instance-events';
import type { SimInstance } from './instances/instance-record';
import type { ProcessGroups } from './instances/process-groups';
import type { SshHost } from './instances/ssh-host';
import type { SimProfile } from './profiles';

/** What a world is made from (see `start-simulator.ts`). */
export interface WorldOptions {
  timeScale: number;
  seed: number;
  /** Multiplies the offers of every shape (`buildOffers`). */
  catalogueScale: number;
  apiKey: string;
  dataDir: string;
  hostKey: string;
  v0ListMode: 200 | 410;
  /** Which platform the faces imitate (`profiles.ts`). */
  profile: SimProfile;
  log: (line: string) => void;
  /** The feature modules to run (`features/index.ts`). */
  features: readonly SimFeature[];
}

/** Stateful infrastructure: everything the simulator holds. */
export class SimWorld {
  readonly clock: SimClock;
  readonly prng: Prng;
  readonly faults: FaultInjector;
  readonly defects = new ActiveDefects();
  /** Hostile answers on demand (`docs/hostile.md`). */
  readonly hostile = new HostileSwitch();
  readonly apiKey: string;
  readonly dataDir: string;
  readonly hostKey: string;
  readonly v0ListMode: 200 | 410;
  /**
   * The profile this simulator runs (`profiles.ts`): the Dumont face reads it once (`dumont/profiles/`), and a
   * feature module whose real counterpart is a stub or behaves differently reads it to answer accordingly.
   */
  readonly profile: SimProfile;
  readonly accountId: number;
  readonly offers: Offer[];
  readonly offerById = new Map<number, Offer>();
  /** Offer ids off the market (rented, or kept by the offer-not-released defect). */
  readonly rented = new Set<number>();
  /** Live instances. */
  readonly instances = new Map<number, SimInstance>();
  /** Every instance ever created, for the charges. */
  readonly allInstances: SimInstance[] = [];
  readonly hosts = new Map<number, SshHost>();
  readonly groups = new Map<number, ProcessGroups>();
  /** The instance state machine's events; feature modules subscribe through {@link FeatureHost}. */
  readonly events: EventBus<InstanceEvent>;
  readonly features: FeatureHost;
  /** The user's bucket (B2/R2 stand-in): snapshots, job outputs and fine-tune artefacts go here (`core/object-store/`). */
  readonly objectStore: ObjectStore;
  nextInstanceId: number;
  private readonly logLine: (line: string) => void;

  constructor(opts: WorldOptions) {
    this.clock = new SimClock(opts.timeScale);
    this.prng = createPrng(opts.seed);
    this.faults = new FaultInjector(opts.seed);
    this.apiKey = opts.apiKey;
    this.dataDir = opts.dataDir;
    this.hostKey = opts.hostKey;
    this.v0ListMode = opts.v0ListMode;
    this.profile = opts.profile;
    this.logLine = opts.log;
    this.accountId = 300_000 + this.prng.int(0, 99_999);
    this.nextInstanceId = 24_000_000 + this.prng.int(0, 999_999);
    const contractEnd = this.clock.platformNow() + 90 * 86_400;
    this.offers = buildOffers(opts.seed, opts.catalogueScale).map((o) => ({ ...o, end_date: Math.floor(contractEnd) }));
    for (const offer of this.offers) this.offerById.set(offer.id, offer);
    this.events = new EventBus<InstanceEvent>((type, err) =>
      this.log(`a feature's ${type} listener failed: ${(err as Error).message}`)
    );
    this.objectStore = new ObjectStore({
      dir: path.join(opts.dataDir, 'object-store'),
      ...objectStoreCredentials(opts.apiKey),
    });
    // Last: feature states may read anything above (and draw from the PRNG, after the ids above).
    this.features = new FeatureHost(this, opts.features);
  }

  /** Whether defect `name` applies to a resource labelled `label` (see {@link ActiveDefects.has}). */
  has(name: DefectName, label?: string | null): boolean {
    return this.defects.has(name, label);
  }

  /** Offers on the market now. */
  availableOffers(): Offer[] {
    return this.offers.filter((o) => !this.rented.has(o.id));
  }

  log(line: string): void {
    this.logLine(line);
  }
}
