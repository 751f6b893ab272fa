/** The bench's command line: documented defaults, and a bad value named before anything starts. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, SIZES, type BenchOptions } from '../../bench/lib/options';

describe('parseBenchArgs', () => {
  it('runs every benchmark at the full sizes by default', () => {
    const o = parseBenchArgs([]) as BenchOptions;
    expect(o.mode).toBe('full');
    expect(o.sizes).toEqual(SIZES.full);
  });

  it('--growth-copies sets the largest growth point (10 copies of the catalogue = 1,000 runs)', () => {
    const o = parseBenchArgs(['--growth-copies', '10']) as BenchOptions;
    expect(o.sizes.growthCopies).toBe(10);
    expect(SIZES.full.growthCopies).not.toBe(10); // the defaults are not changed by one run's option
  });

  it.each(['0', '21', '2.5', 'many'])('refuses --growth-copies %s, naming it', (bad) => {
    expect(() => parseBenchArgs(['--growth-copies', bad])).toThrow(`--growth-copies "${bad}"`);
  });

  it('refuses an unknown benchmark, naming it and the known ones', () => {
    expect(() => parseBenchArgs(['--only', 'suites,speed'])).toThrow(/unknown benchmark "speed" \(known: suites/);
  });
});
