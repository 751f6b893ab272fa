/**
 * A passive observation (the live price stream of scenario 90) retried after its worker died watches a whole window
 * again: the chaos campaign found that a retry watching only what was left of the first window (nothing, after a
 * 20 s outage on the compressed clock) failed the scenario with "0 new samples pushed", a false failure made by the
 * harness's own window logic.
 */
import { describe, expect, it } from 'vitest';
import { observationWindow } from '../../src/activities/market';

describe('observationWindow', () => {
  const window = { startedAtMs: 1_000, deadlineMs: 21_000, timeScale: 0.02 };

  it('a first attempt watches the workflow window as it is', () => {
    expect(observationWindow(window, 1)).toEqual({ startedAtMs: 1_000, deadlineMs: 21_000 });
  });

  it('a retry watches a whole window from now, however much of the first one an outage ate', () => {
    const before = Date.now();
    const w = observationWindow(window, 2);
    expect(w.startedAtMs).toBeGreaterThanOrEqual(before);
    expect(w.deadlineMs - w.startedAtMs).toBe(20_000);
  });
});
