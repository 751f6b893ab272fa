/**
 * The failover scenarios' "same data" comparison: a manifest (`path sha256` lines) equals another only with the same
 * files and checksums, and an unreadable one never passes; the detail names what differs, or why it was unreadable.
 */
import { describe, expect, it } from 'vitest';
import { manifestDiff, sameManifest } from '../../src/workflows/scenarios/failover/helpers';

const written = ['data/a.txt 11', 'data/sub/b.txt 22'];

describe('sameManifest and manifestDiff', () => {
  it('pass the same files with the same checksums, in any order', () => {
    expect(sameManifest(written, [...written].reverse())).toBe(true);
    expect(manifestDiff(written, [...written].reverse())).toBe('2 files identical');
  });

  it('fail a missing, changed or unexpected file, naming it', () => {
    expect(sameManifest(written, [written[0]])).toBe(false);
    expect(manifestDiff(written, [written[0]])).toBe('missing or different: data/sub/b.txt');
    expect(sameManifest(written, [written[0], 'data/sub/b.txt 99'])).toBe(false);
    expect(sameManifest(written, [...written, 'data/x 33'])).toBe(false);
    expect(manifestDiff(written, [...written, 'data/x 33'])).toBe('unexpected: data/x');
  });

  it('fail a manifest that could not be read, saying why', () => {
    const why = 'the service endpoint did not answer over SSH: connect failed (ECONNREFUSED)';
    expect(sameManifest(written, why)).toBe(false);
    expect(manifestDiff(written, why)).toBe(`not readable: ${why}`);
  });
});
