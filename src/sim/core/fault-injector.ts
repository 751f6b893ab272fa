/**
 * Transient faults at a rate, drawn from their own seeded PRNG so a seed replays the same faults.
 * HTTP kinds (429, 5xx, drop) are drawn per faultable request; the others at their own event (an SSH
 * connection, an SSH command started, an instance reaching running, a boot entering loading, a DELETE of an
 * instance or volume). Every fault injected is counted by kind, for `sim state`.
 */
import { FAULT_KINDS, HTTP_FAULT_KINDS, type FaultKind } from './fault-kinds';
import { createPrng, type Prng } from './prng';

/** What to do to one HTTP request. */
export type HttpFault =
  { kind: '429'; shape: 0 | 1 | 2 } | { kind: '5xx'; status: 500 | 502 | 503 } | { kind: 'drop'; afterEffect: boolean };

/** Fault settings as the admin API, `RunningSim.setFaults` and the CLI give them. */
export interface FaultSettings {
  rate: number;
  kinds?: FaultKind[];
  seed?: number;
}

/** Parses fault settings as the admin API and the CLI receive them; throws naming a bad value. */
export function parseFaultSettings(input: { rate: unknown; kinds?: unknown; seed?: unknown }): FaultSettings {
  const rate = Number(input.rate);
  if (typeof input.rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`fault rate must be a number in [0, 1], got ${JSON.stringify(input.rate)}`);
  }
  let kinds: FaultKind[] | undefined;
  if (input.kinds !== undefined && input.kinds !== null) {
    if (!Array.isArray(input.kinds)) throw new Error(`fault kinds must be a list, got ${JSON.stringify(input.kinds)}`);
    kinds = input.kinds.map((k: unknown) => {
      if (!FAULT_KINDS.includes(k as FaultKind)) {
        throw new Error(`unknown fault kind ${JSON.stringify(k)} (known: ${FAULT_KINDS.join(', ')})`);
      }
      return k as FaultKind;
    });
  }
  let seed: number | undefined;
  if (input.seed !== undefined && input.seed !== null) {
    if (typeof input.seed !== 'number' || !Number.isFinite(input.seed)) {
      throw new Error(`fault seed must be a number, got ${JSON.stringify(input.seed)}`);
    }
    seed = input.seed;
  }
  return { rate, kinds, seed };
}

/** Subjects kept per kind: enough for any suite, bounded for a simulator left running for days. */
const MAX_SUBJECTS = 10_000;

const zeroCounts = (): Record<FaultKind, number> =>
  Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;

/** Stateful: the fault PRNG, the 429 body rotation and the count of faults injected. */
export class FaultInjector {
  rate = 0;
  kinds: FaultKind[] = [...FAULT_KINDS];
  seed: number;
  /** Faults injected since the simulator started, by kind (a new seed does not reset them). */
  readonly injected = zeroCounts();
  /**
   * What each per-resource fault hit (an instance's label, or its id when unlabelled), oldest first: a scenario that
   * failed a time limit on a host booted slow on purpose can be told from one the harness failed.
   */
  readonly hitOn: Partial<Record<FaultKind, string[]>> = {};
  private prng: Prng;
  private next429: 0 | 1 | 2 = 0;

  constructor(seed: number) {
    this.seed = seed;
    this.prng = createPrng(seed);
  }

  /** Replaces the settings; a new seed restarts the fault sequence. */
  configure(settings: FaultSettings): void {
    this.rate = settings.rate;
    if (settings.kinds) this.kinds = [...settings.kinds];
    if (settings.seed !== undefined) {
      this.seed = settings.seed;
      this.prng = createPrng(settings.seed);
      this.next429 = 0;
    }
  }

  /** Draws whether an event of `kind` gets its fault (and counts it, and what it hit, when it does). */
  roll(kind: FaultKind, subject?: string): boolean {
    if (this.rate <= 0 || !this.kinds.includes(kind)) return false;
    const hit = this.prng.next() < this.rate;
    if (hit) {
      this.injected[kind]++;
      if (subject !== undefined) {
        const list = (this.hitOn[kind] ??= []);
        if (list.length >= MAX_SUBJECTS) list.shift();
        list.push(subject);
      }
    }
    return hit;
  }

  /** Draws the fault for one HTTP request, or null. */
  httpFault(): HttpFault | null {
    const httpKinds = HTTP_FAULT_KINDS.filter((k) => this.kinds.includes(k));
    if (this.rate <= 0 || httpKinds.length === 0 || this.prng.next() >= this.rate) return null;
    const kind = this.prng.pick(httpKinds);
    this.injected[kind]++;
    if (kind === '429') {
      const shape = this.next429;
      this.next429 = ((shape + 1) % 3) as 0 | 1 | 2;
      return { kind, shape };
    }
    if (kind === '5xx') return { kind, status: this.prng.pick([500, 502, 503] as const) };
    return { kind, afterEffect: this.prng.next() < 0.5 };
  }

  /** The settings (what `GET /_sim/faults` answers). */
  settings(): { rate: number; kinds: FaultKind[]; seed: number } {
    return { rate: this.rate, kinds: [...this.kinds], seed: this.seed };
  }

  /** A copy of what each per-resource fault hit. */
  subjects(): Partial<Record<FaultKind, string[]>> {
    return Object.fromEntries(Object.entries(this.hitOn).map(([k, v]) => [k, [...v]]));
  }

  /** A copy of the per-kind counts. */
  injectedCounts(): Record<FaultKind, number> {
    return { ...this.injected };
  }
}
