import type { CheckOutcome } from '../types';

/** A limit from the seed, checked by comparing the measured value with it (never by a wait that succeeded). */
export interface LimitCheck {
  /** Stable check id (what defects name). */
  id: string;
  /** What is measured, e.g. `cold start`. */
  what: string;
  /** The measured value; `undefined` when it could not be measured (the detail then says why). */
  measured: number | undefined;
  op: '<=' | '>=';
  limit: number;
  unit: string;
  /** Why nothing was measured, or anything worth adding. */
  note?: string;
}

const SYMBOL = { '<=': '≤', '>=': '≥' } as const;

/** Rounds for display: whole numbers from 100 up, two significant decimals below. */
export function shown(value: number): string {
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(Math.round(value * 100) / 100);
}

/** The check outcome of a limit: `cold start 212 s ≤ 300 s`, or why it failed. */
export function limitOutcome(c: LimitCheck): CheckOutcome {
  const name = `${c.what} ${SYMBOL[c.op]} ${shown(c.limit)} ${c.unit}`;
  if (c.measured === undefined || !Number.isFinite(c.measured)) {
    return { id: c.id, name, ok: false, detail: `not measured${c.note ? `: ${c.note}` : ''}` };
  }
  const ok = c.op === '<=' ? c.measured <= c.limit : c.measured >= c.limit;
  const relation = ok ? SYMBOL[c.op] : c.op === '<=' ? '>' : '<';
  return {
    id: c.id,
    name,
    ok,
    detail: `${c.what} ${shown(c.measured)} ${c.unit} ${relation} ${shown(c.limit)} ${c.unit}${c.note ? `; ${c.note}` : ''}`,
    measured: { value: Math.round(c.measured * 100) / 100, limit: c.limit, unit: c.unit, op: c.op },
  };
}

/** A failed check ends the scenario body; the checks already recorded say why. */
export class CheckFailed extends Error {}

/** Stops the body when a check that later steps depend on failed. */
export function must(ok: boolean, what: string): void {
  if (!ok) throw new CheckFailed(what);
}
