/**
 * Small readers of Temporal history events shared by the reports rebuilt from Temporal: payload decoding, event
 * times, and the `Long` numbers the protobuf types carry.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { unwrapRetried } from '../workflows/retry-envelope';

export type History = temporal.api.history.v1.IHistory;
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type LongLike = number | { toString(): string; toNumber?(): number } | null | undefined;

/** A protobuf `Long` (or number) as a number; 0 when absent. */
export function num(value: LongLike): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  return value.toNumber ? value.toNumber() : Number(value.toString());
}

/** The `index`th payload decoded with the default converter; `undefined` when absent or unreadable. */
export function decode(payloads: Payload[] | null | undefined, index = 0): unknown {
  const payload = payloads?.[index];
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
}

/**
 * An activity's result as workflow code received it: decoded, and unwrapped when the activity recorded in-place
 * retries with it (src/workflows/retry-envelope.ts).
 */
export function decodeResult(payloads: Payload[] | null | undefined): unknown {
  return unwrapRetried(decode(payloads));
}

/** The event's time in epoch milliseconds. */
export function timeMs(event: HistoryEvent | undefined): number | undefined {
  const t = event?.eventTime;
  return t ? num(t.seconds as LongLike) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined;
}
