import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateRunKeyPair, keyFingerprint } from '../../src/platform';

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // `ssh-keygen -?` exits non-zero after printing usage; only a missing binary is ENOENT.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

describe('run keys', () => {
  it('generates an ed25519 pair in OpenSSH formats that ssh2 parses', () => {
    const pair = generateRunKeyPair('suite-42');
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* suite-42$/);
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const parsed = utils.parseKey(pair.privateKey);
    expect(parsed).not.toBeInstanceOf(Error);
    expect(generateRunKeyPair().publicKey).not.toBe(pair.publicKey);
  });

  it('fingerprints like ssh-keygen -l', () => {
    const { publicKey } = generateRunKeyPair();
    const fp = keyFingerprint(publicKey);
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    if (!hasSshKeygen()) return;
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      writeFileSync(join(dir, 'k.pub'), `${publicKey}\n`);
      const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], { encoding: 'utf8' });
      expect(out.split(' ')[1]).toBe(fp);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses text that is not a public key line', () => {
    expect(() => keyFingerprint('not a key')).toThrow(TypeError);
    expect(() => keyFingerprint('')).toThrow(TypeError);
  });
});
