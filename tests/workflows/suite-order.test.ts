import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import { expectedMinutes, longestFirst, optDurationHints } from '../../src/workflows/suite-order';

const byId = (...ids: number[]) => ids.map((id) => SCENARIOS.find((s) => s.id === id)!);

describe('longest-first order', () => {
  it('orders by the catalogue estimate when no run is known, longest first', () => {
    const order = longestFirst(SCENARIOS);
    expect(order).toHaveLength(SCENARIOS.length);
    expect(new Set(order.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (let i = 1; i < order.length; i++)
      expect(order[i - 1]!.estimate.gpuMinutes).toBeGreaterThanOrEqual(order[i]!.estimate.gpuMinutes);
    // The catalogue is not already in that order, so this test would fail on an identity "sort".
    expect(order.map((s) => s.id)).not.toEqual(SCENARIOS.map((s) => s.id));
  });

  it('lets measured durations override the estimate', () => {
    const [a, b] = byId(1, 6);
    expect(longestFirst([a!, b!], { [a!.id]: 1, [b!.id]: 50 }).map((s) => s.id)).toEqual([6, 1]);
    expect(longestFirst([a!, b!], { [a!.id]: 50, [b!.id]: 1 }).map((s) => s.id)).toEqual([1, 6]);
  });

  it('scales estimates of unmeasured scenarios by how measured ones compare with theirs', () => {
    const specs = byId(1, 2, 3);
    // 1 and 2 ran 10x their estimate: 3 (unmeasured) is expected at 10x its estimate, not at its raw estimate.
    const hints = { 1: specs[0]!.estimate.gpuMinutes * 10, 2: specs[1]!.estimate.gpuMinutes * 10 };
    expect(expectedMinutes(specs, hints).get(3)).toBeCloseTo(specs[2]!.estimate.gpuMinutes * 10);
  });

  it('is deterministic on ties (catalogue order) and leaves its input alone', () => {
    const specs = byId(1, 2, 3, 4);
    const copy = specs.map((s) => s.id);
    const hints = { 1: 5, 2: 5, 3: 5, 4: 5 };
    const tied = longestFirst(specs, hints).map((s) => s.id);
    expect(longestFirst([...specs].reverse(), hints).map((s) => s.id)).toEqual(
      // equal minutes: longer deadline first, then catalogue position of the input given
      [...specs]
        .reverse()
        .sort((x, y) => y.deadlineMinutes - x.deadlineMinutes)
        .map((s) => s.id)
    );
    expect(tied).toEqual(longestFirst(specs, hints).map((s) => s.id));
    expect(specs.map((s) => s.id)).toEqual(copy);
  });

  it.each([
    [[1, 2], /expected an object/],
    [{ x: 1 }, /scenario ids/],
    [{ 6: -1 }, /≥ 0/],
    [{ 6: 'long' }, /≥ 0/],
  ])('rejects durationHints %j with a ValidationError', (hints, message) => {
    expect(() => optDurationHints({ durationHints: hints })).toThrow(message);
  });

  it('accepts absent or well-formed hints', () => {
    expect(optDurationHints({})).toBeUndefined();
    expect(optDurationHints({ durationHints: { 6: 2.5 } })).toEqual({ 6: 2.5 });
  });
});
