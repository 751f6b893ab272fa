/**
 * Transient faults at a rate, drawn from their own seeded PRNG so a seed replays the same faults.
 * HTTP kinds (429, 5xx, drop) are drawn per request; the others at their own event (an SSH connection,
 * an instance reaching running, a boot entering loading).
 */
import { createPrng, type Prng } from './prng';
import { FAULT_KINDS, type FaultKind } from '../types';

/** What to do to one HTTP request. */
export type HttpFault =
  { kind: '429'; shape: 0 | 1 | 2 } | { kind: '5xx'; status: 500 | 502 | 503 } | { kind: 'drop'; afterEffect: boolean };

/** Parses fault settings as the admin API and the CLI receive them; throws naming a bad value. */
export function parseFaultSettings(input: { rate: unknown; kinds?: unknown; seed?: unknown }): {
  rate: number;
  kinds?: FaultKind[];
  seed?: number;
} {
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

/** Stateful: the fault PRNG and the 429 body rotation. */
export class FaultInjector {
  rate = 0;
  kinds: FaultKind[] = [...FAULT_KINDS];
  seed: number;
  private prng: Prng;
  private next429: 0 | 1 | 2 = 0;

  constructor(seed: number) {
    this.seed = seed;
    this.prng = createPrng(seed);
  }

  /** Replaces the settings; a new seed restarts the fault sequence. */
  configure(settings: { rate: number; kinds?: FaultKind[]; seed?: number }): void {
    this.rate = settings.rate;
    if (settings.kinds) this.kinds = [...settings.kinds];
    if (settings.seed !== undefined) {
      this.seed = settings.seed;
      this.prng = createPrng(settings.seed);
      this.next429 = 0;
    }
  }

  /** Draws whether an event of `kind` gets its fault. */
  roll(kind: FaultKind): boolean {
    if (this.rate <= 0 || !this.kinds.includes(kind)) return false;
    return this.prng.next() < this.rate;
  }

  /** Draws the fault for one HTTP request, or null. */
  httpFault(): HttpFault | null {
    const httpKinds = this.kinds.filter((k): k is '429' | '5xx' | 'drop' => k === '429' || k === '5xx' || k === 'drop');
    if (this.rate <= 0 || httpKinds.length === 0 || this.prng.next() >= this.rate) return null;
    const kind = this.prng.pick(httpKinds);
    if (kind === '429') {
      const shape = this.next429;
      this.next429 = ((shape + 1) % 3) as 0 | 1 | 2;
      return { kind, shape };
    }
    if (kind === '5xx') return { kind, status: this.prng.pick([500, 502, 503] as const) };
    return { kind, afterEffect: this.prng.next() < 0.5 };
  }

  settings(): { rate: number; kinds: FaultKind[]; seed: number } {
    return { rate: this.rate, kinds: [...this.kinds], seed: this.seed };
  }
}
