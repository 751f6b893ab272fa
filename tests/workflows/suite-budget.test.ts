/**
 * The budget cap's rules, as pure functions: a running scenario commits the larger of its estimate and its bill,
 * a scenario is admitted only if everything fits, it waits while something runs, and a plan over the budget is
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { admit, committedUsd, estimateOf, planVerdict } from '../../src/workflows/suite-budget';

describe('suite budget', () => {
  it('counts a running scenario at the larger of its estimate and what it bills now', () => {
    expect(committedUsd(0.1, [])).toBeCloseTo(0.1);
    // Just started (billed 0): its estimate is reserved.
    expect(committedUsd(0.1, [{ estimateUsd: 0.05, billedUsd: 0 }])).toBeCloseTo(0.15);
    // Overran its estimate: counted at its bill.
    expect(committedUsd(0.1, [{ estimateUsd: 0.05, billedUsd: 0.08 }])).toBeCloseTo(0.18);
    // One under and one over do not cancel out.
    expect(
      committedUsd(0, [
        { estimateUsd: 0.05, billedUsd: 0.01 },
        { estimateUsd: 0.05, billedUsd: 0.09 },
      ])
    ).toBeCloseTo(0.14);
  });

  it('admits a scenario only when spent + committed + its estimate fits', () => {
    const running = [{ estimateUsd: 0.05, billedUsd: 0 }];
    expect(admit(0.1, 0, running, 0.05)).toEqual({ admit: true, committedUsd: 0.05 });
    const no = admit(0.1, 0.01, running, 0.05);
    expect(no.admit).toBe(false);
    // Something runs: wait for it rather than skip.
    expect(no).toMatchObject({ wait: true });
    expect(!no.admit && no.reason).toMatch(/budget of \$0\.10: \$0\.01 spent \+ \$0\.05 committed by 1 running/);
  });

  it('skips (does not wait) when nothing runs and the scenario still does not fit', () => {
    const verdict = admit(0.1, 0.08, [], 0.05);
    expect(verdict).toMatchObject({ admit: false, wait: false });
    expect(!verdict.admit && verdict.reason).toMatch(/leaves no room for its estimate of \$0\.05/);
  });

  it('admits exactly at the budget despite floating-point sums', () => {
    // 0.1 + 0.2 is 0.30000000000000004.
    expect(admit(0.3, 0.1, [], 0.2).admit).toBe(true);
    expect(admit(0.3, 0.1, [], 0.2001).admit).toBe(false);
  });

  it('refuses a plan whose estimates exceed the budget', () => {
    expect(planVerdict(0.2, [0.05, 0.05, 0.1])).toEqual({ fits: true, planUsd: 0.2 });
    const refused = planVerdict(0.19, [0.05, 0.05, 0.1]);
    expect(refused.fits).toBe(false);
    expect(!refused.fits && refused.reason).toMatch(/estimate of \$0\.20 exceeds the budget of \$0\.19/);
  });

  it('prefers a refined estimate to the catalogue', () => {
    expect(estimateOf(3, 0.05, undefined)).toBe(0.05);
    expect(estimateOf(3, 0.05, { '4': 0.2 })).toBe(0.05);
    expect(estimateOf(3, 0.05, { '3': 0.02 })).toBe(0.02);
    expect(estimateOf(3, 0.05, { '3': 0 })).toBe(0);
  });
});
