/**
 * The result envelope of activities that retried platform errors in place (src/workflows/retry-envelope.ts): made by
 * `mapFailures` only inside an activity and only when something was retried, and read back losslessly.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { mapFailures } from '../../src/activities/failures';
import { noteRetry } from '../../src/activities/retry-notes';
import { MAX_NOTES, retriesOf, unwrapRetried, wrapRetried } from '../../src/workflows/retry-envelope';

const acts = mapFailures({
  async retriesThenSucceeds(times: number) {
    for (let i = 0; i < times; i++) noteRetry(`GET /instances/: HTTP 429: rate limited (${i})`);
    return { instanceId: 7 };
  },
});

describe('activity results with in-place retries', () => {
  it('are wrapped with every retry inside an activity, and unwrap to the plain value', async () => {
    const result = await new MockActivityEnvironment().run(acts.retriesThenSucceeds, 2);
    expect(retriesOf(result)).toEqual({
      retried: ['GET /instances/: HTTP 429: rate limited (0)', 'GET /instances/: HTTP 429: rate limited (1)'],
      count: 2,
    });
    expect(unwrapRetried(result)).toEqual({ instanceId: 7 });
  });

  it('keep the last notes but count them all', async () => {
    const times = MAX_NOTES + 5;
    const retries = retriesOf(await new MockActivityEnvironment().run(acts.retriesThenSucceeds, times));
    expect(retries?.count).toBe(times);
    expect(retries?.retried).toHaveLength(MAX_NOTES);
    expect(retries?.retried.at(-1)).toContain(`(${times - 1})`);
  });

  it('are plain without retries, and outside an activity', async () => {
    expect(await new MockActivityEnvironment().run(acts.retriesThenSucceeds, 0)).toEqual({ instanceId: 7 });
    expect(await acts.retriesThenSucceeds(3)).toEqual({ instanceId: 7 });
  });

  it('leave every other value alone', () => {
    for (const v of [undefined, null, 0, 'x', [1], { value: 1 }, { retried: [] }])
      expect([retriesOf(v), unwrapRetried(v)]).toEqual([undefined, v]);
    expect(unwrapRetried(wrapRetried(undefined, ['503']))).toBeUndefined();
    expect(wrapRetried(5, [])).toBe(5);
  });
});
