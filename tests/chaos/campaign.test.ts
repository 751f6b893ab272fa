/**
 * The campaign's own logic, without a stack: flags, seeded selections from every category, the outcome of a row and
 * the table's sums. (The trials themselves run in `npm run chaos`; `.ci/run` runs `--short`.)
 */
import { describe, expect, it } from 'vitest';
import { outageCause } from '../../chaos/parts/crash-trial';
import { isFatal, parseChaosFlags } from '../../chaos/run';
import { mixedSelection } from '../../chaos/suites';
import { formatTable } from '../../chaos/table';
import { outcomeOf, type ChaosRow } from '../../chaos/types';
import { SCENARIOS } from '../../src/catalog';
import { createPrng } from '../../src/sim/core/prng';

const categories = [...new Set(SCENARIOS.filter((s) => s.workflowType).map((s) => s.category))];

describe('chaos campaign', () => {
  it('draws one implemented scenario per category, the same ones for the same seed', () => {
    const a = mixedSelection(createPrng(7), 1);
    expect(a).toEqual(mixedSelection(createPrng(7), 1));
    expect(a).not.toEqual(mixedSelection(createPrng(8), 1));
    const specs = a.map((id) => SCENARIOS.find((s) => s.id === id)!);
    expect(specs.every((s) => s.workflowType)).toBe(true);
    expect(new Set(specs.map((s) => s.category))).toEqual(new Set(categories));
    expect(mixedSelection(createPrng(7), 3)).toHaveLength(
      categories.reduce(
        (n, c) => n + Math.min(3, SCENARIOS.filter((s) => s.category === c && s.workflowType).length),
        0
      )
    );
  });

  it('refuses bad flags naming the value', () => {
    expect(parseChaosFlags(['--seed', '42', '--short'])).toMatchObject({ seed: 42, short: true });
    expect(() => parseChaosFlags(['--seed=-1'])).toThrow(/--seed .* got '-1'/);
    expect(() => parseChaosFlags(['--seed', 'x'])).toThrow(/got 'x'/);
    expect(() => parseChaosFlags(['--only', 'worker-crash,typo'])).toThrow(/unknown part 'typo'/);
    expect(() => parseChaosFlags(['--frobnicate'])).toThrow(/frobnicate/);
  });

  it('a row is ok only with nothing lost, leaked or falsely failed; the table sums per part', () => {
    const ff = [{ scenario: 's065-deploy-llama-3-2-1b', why: 'deadline' }];
    expect(outcomeOf({ lost: 0, leaked: 0, falseFailures: [] })).toBe('ok');
    expect(outcomeOf({ lost: 1, leaked: 1, falseFailures: ff })).toBe('lost');
    expect(outcomeOf({ lost: 0, leaked: 2, falseFailures: ff })).toBe('leaked');
    expect(outcomeOf({ lost: 0, leaked: 0, falseFailures: ff })).toBe('false-failure');
    const row = (trial: string, over: Partial<ChaosRow>): ChaosRow => ({
      part: 'worker-crash',
      trial,
      seed: 1,
      outcome: 'ok',
      lost: 0,
      leaked: 0,
      falseFailures: [],
      detail: 'd|x',
      ...over,
    });
    const table = formatTable([row('1', {}), row('2', { outcome: 'false-failure', falseFailures: ff, leaked: 3 })], {
      seed: 1,
      short: false,
      minutes: 1,
    });
    expect(table).toContain('| worker-crash | 2 | 1 | 0 | 3 | 1 |');
    expect(table).toContain('d\\|x'); // a pipe in a detail does not break the table
    expect(table).toContain('- worker-crash #2 (seed 1) s065-deploy-llama-3-2-1b: deadline');
  });

  it('lost, leaked and errors fail the campaign; false failures only where a part allows none', () => {
    const r = (part: string, outcome: ChaosRow['outcome']): ChaosRow => ({
      part,
      trial: '1',
      seed: 1,
      outcome,
      lost: 0,
      leaked: 0,
      falseFailures: [],
      detail: '',
    });
    expect(isFatal(r('worker-crash', 'ok'))).toBe(false);
    expect(isFatal(r('worker-crash', 'false-failure'))).toBe(false);
    expect(isFatal(r('worker-crash', 'lost'))).toBe(true);
    expect(isFatal(r('server-crash', 'leaked'))).toBe(true);
    expect(isFatal(r('cli-crash', 'error'))).toBe(true);
    expect(isFatal(r('soak-20', 'false-failure'))).toBe(true);
    expect(isFatal(r('termination', 'false-failure'))).toBe(true);
    expect(isFatal(r('hostile-platform', 'false-failure'))).toBe(true);
  });

  it('states an outage in real and platform time, at least the heartbeat timeout', () => {
    expect(outageCause('worker-crash', 18, 0.02)).toBe(
      'worker-crash: back after 18.0 s, and activities in flight retried after their 10 s heartbeat timeout: ' +
        "18 s real = 15 platform min at timeScale 0.02, which the scenario's platform-time deadline, limits and " +
        'observations count'
    );
    expect(outageCause('worker-crash', 2.5, 0.02)).toContain('10 s real = 8 platform min');
  });
});
