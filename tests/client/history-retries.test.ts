/**
 * Readers of histories whose activity results carry in-place retries (src/workflows/retry-envelope.ts): the counts
 * come out of the envelopes, and the report of a cancelled suite reads its final sweep and audit through them.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { suiteCleanupFromHistory } from '../../src/client/cancelled-suite';
import type { History } from '../../src/client/history-events';
import { inPlaceRetriesIn, retriedAttemptsIn } from '../../src/client/history-retries';
import { wrapRetried } from '../../src/workflows/retry-envelope';

const PREFIX = 'dumont-e2e/suite-1/';
const payloads = (value: unknown) => ({ payloads: [defaultPayloadConverter.toPayload(value)] });

/** A suite's last two activities, each completed after `retried` in-place retries (none: a plain result). */
function historyOf(retried: string[]): History {
  const sweep = { destroyed: ['instance 7 dumont-e2e/suite-1/s001/main'], warnings: [] };
  const audit = { lines: ['volume 9 dumont-e2e/suite-1/s002/data'], warnings: [] };
  return {
    events: [
      {
        eventId: 5,
        activityTaskScheduledEventAttributes: {
          activityType: { name: 'destroyByLabel' },
          input: payloads({ labelPrefix: PREFIX }),
        },
      },
      { eventId: 6, activityTaskStartedEventAttributes: { attempt: 3 } },
      {
        eventId: 7,
        activityTaskCompletedEventAttributes: { scheduledEventId: 5, result: payloads(wrapRetried(sweep, retried)) },
      },
      {
        eventId: 8,
        activityTaskScheduledEventAttributes: {
          activityType: { name: 'listByLabel' },
          input: payloads({ labelPrefix: PREFIX }),
        },
      },
      {
        eventId: 9,
        activityTaskCompletedEventAttributes: { scheduledEventId: 8, result: payloads(wrapRetried(audit, retried)) },
      },
    ],
  } as unknown as History;
}

describe('histories with in-place retries', () => {
  const retried = ['GET /instances/: HTTP 429: slow down', 'DELETE /instances/7/: HTTP 503: unavailable'];

  it('count the retries each completed activity recorded, with its type', () => {
    expect(inPlaceRetriesIn(historyOf(retried))).toEqual([
      { activityType: 'destroyByLabel', eventId: 7, count: 2, retried },
      { activityType: 'listByLabel', eventId: 9, count: 2, retried },
    ]);
    expect(inPlaceRetriesIn(historyOf([]))).toEqual([]);
    expect(retriedAttemptsIn(historyOf([]))).toBe(2);
  });

  it("give a cancelled suite's report the same sweep and audit as plain results do", () => {
    const plain = suiteCleanupFromHistory(historyOf([]), PREFIX);
    expect(plain.leaked).toEqual(['volume 9 dumont-e2e/suite-1/s002/data']);
    expect(plain.finalSweep.destroyed).toEqual(['instance 7 dumont-e2e/suite-1/s001/main']);
    expect(suiteCleanupFromHistory(historyOf(retried), PREFIX)).toEqual(plain);
  });
});
