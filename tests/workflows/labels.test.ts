import { describe, expect, it } from 'vitest';
import { parseLabel, scenarioPrefix, stepLabel, suiteLabelPart } from '../../src/labels';

describe('labels', () => {
  it('keeps a short suite id readable and round-trips', () => {
    const label = stepLabel('e2e-20261123-213216-s7ep', 7, 'main');
    expect(label).toBe('dumont-e2e/e2e-20261123-213216-s7ep/s007/main');
    expect(parseLabel(label)).toEqual({ suite: 'e2e-20261123-213216-s7ep', scenarioId: 7, step: 'main' });
  });

  it('hashes long or odd suite ids so labels stay within 60 characters and unique', () => {
    const a = suiteLabelPart('a-very-long-workflow-id-started-by-hand-from-the-temporal-cli');
    const b = suiteLabelPart('a-very-long-workflow-id-started-by-hand-from-the-temporal-clj');
    expect(a).toMatch(/^h-[0-9a-z]+$/);
    expect(a).not.toBe(b);
    expect(stepLabel('x'.repeat(200), 100, 'batch-3').length).toBeLessThanOrEqual(60);
    expect(scenarioPrefix('suite/with/slashes', 1)).toMatch(/^dumont-e2e\/h-[0-9a-z]+\/s001\/$/);
  });

  it('refuses a label over the VAST limit instead of letting VAST truncate it', () => {
    expect(() => stepLabel('short', 1, 'x'.repeat(60))).toThrow(/longer than 60/);
  });

  it('ignores labels that are not ours', () => {
    expect(parseLabel('sdk-test-1234')).toBeUndefined();
    expect(parseLabel(null)).toBeUndefined();
  });
});
