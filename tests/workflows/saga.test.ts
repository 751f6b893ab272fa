import { describe, expect, it } from 'vitest';
import { createSaga, failureTypeOf, messageOf } from '../../src/workflows/kit/saga';

describe('saga', () => {
  it('runs every compensation newest first, even after one fails, and returns the failures', async () => {
    const saga = createSaga();
    const ran: string[] = [];
    saga.add('first', async () => void ran.push('first'));
    saga.add('second', async () => {
      ran.push('second');
      throw new Error('boom');
    });
    saga.add('third', async () => void ran.push('third'));
    expect(await saga.compensate()).toEqual(['second: boom']);
    expect(ran).toEqual(['third', 'second', 'first']);
    expect(saga.size).toBe(0);
    expect(await saga.compensate()).toEqual([]);
  });

  it('registers a compensation once per name (a retried step reuses its label)', async () => {
    const saga = createSaga();
    let runs = 0;
    saga.add('destroy x', async () => void runs++);
    saga.add('destroy x', async () => void runs++);
    expect(saga.size).toBe(1);
    await saga.compensate();
    expect(runs).toBe(1);
  });

  it('reads the innermost message and failure type of wrapped failures', () => {
    const err = { message: 'Activity task failed', cause: { message: 'offer 7 is gone', type: 'NoOffer' } };
    expect(messageOf(err)).toBe('offer 7 is gone');
    expect(failureTypeOf(err)).toBe('NoOffer');
  });
});
