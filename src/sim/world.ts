/**
 * The simulator's shared state: one account (VAST API key, SSH keys), the market, the instances (live and
 * destroyed, for the charges), volumes, active defects and fault settings, the platform clock, and the
 * per-instance SSH hosts and process groups. Both faces and the admin API act on this one object.
 */
import { SimClock } from './core/clock';
import type { DefectName } from './defects';
import { FaultInjector } from './core/fault-injector';
import { buildOffers } from './core/offers-catalogue';
import { ProcessGroups } from './instances/process-groups';
import { createPrng, type Prng } from './core/prng';
import type { SshHost } from './instances/ssh-host';
import type { Offer, SimInstance, SimVolume } from './types';

export interface WorldOptions {
  timeScale: number;
  seed: number;
  apiKey: string;
  dataDir: string;
  hostKey: string;
  v0ListMode: 200 | 410;
  log: (line: string) => void;
}

/** An account SSH key (`POST /api/v0/ssh/`). */
export interface AccountKey {
  id: number;
  key: string;
  createdAt: number;
}

/** Stateful infrastructure: everything the simulator holds. */
export class SimWorld {
  readonly clock: SimClock;
  readonly prng: Prng;
  readonly faults: FaultInjector;
  readonly apiKey: string;
  readonly dataDir: string;
  readonly hostKey: string;
  readonly v0ListMode: 200 | 410;
  readonly accountId: number;
  defects = new Set<DefectName>();
  readonly offers: Offer[];
  readonly offerById = new Map<number, Offer>();
  /** Offer ids off the market (rented, or kept by the offer-not-released defect). */
  readonly rented = new Set<number>();
  /** Live instances. */
  readonly instances = new Map<number, SimInstance>();
  /** Every instance ever created, for the charges. */
  readonly allInstances: SimInstance[] = [];
  /** Every volume ever created (deleted ones keep `deletedAt`). */
  readonly volumes: SimVolume[] = [];
  readonly sshKeys: AccountKey[] = [];
  readonly hosts = new Map<number, SshHost>();
  readonly groups = new Map<number, ProcessGroups>();
  /** When the last Dumont DELETE arrived (concurrent-destroy-dropped). */
  lastDumontDestroy: { platform: number; realMs: number } | null = null;
  nextInstanceId: number;
  nextVolumeId: number;
  nextKeyId = 7_001;
  private readonly logLine: (line: string) => void;

  constructor(opts: WorldOptions) {
    this.clock = new SimClock(opts.timeScale);
    this.prng = createPrng(opts.seed);
    this.faults = new FaultInjector(opts.seed);
    this.apiKey = opts.apiKey;
    this.dataDir = opts.dataDir;
    this.hostKey = opts.hostKey;
    this.v0ListMode = opts.v0ListMode;
    this.logLine = opts.log;
    this.accountId = 300_000 + this.prng.int(0, 99_999);
    this.nextInstanceId = 24_000_000 + this.prng.int(0, 999_999);
    this.nextVolumeId = 880_000 + this.prng.int(0, 9_999);
    const contractEnd = this.clock.platformNow() + 90 * 86_400;
    this.offers = buildOffers(opts.seed).map((o) => ({ ...o, end_date: Math.floor(contractEnd) }));
    for (const offer of this.offers) this.offerById.set(offer.id, offer);
  }

  has(defect: DefectName): boolean {
    return this.defects.has(defect);
  }

  /** Offers on the market now. */
  availableOffers(): Offer[] {
    return this.offers.filter((o) => !this.rented.has(o.id));
  }

  liveVolumes(): SimVolume[] {
    return this.volumes.filter((v) => v.deletedAt === null);
  }

  log(line: string): void {
    this.logLine(line);
  }
}
