import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateRunKeyPair, keyFingerprint } from '../../src/platform';
import { deriveRunKeyPair } from '../../src/platform/keys';

const SECRET = 'unit-test-key-secret-0123456789abcdef';

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

  it('derives one key per suite from the worker secret: the same on every worker, unrelated across suites', () => {
    const pair = deriveRunKeyPair(SECRET, 'suite-a', 'dumont-e2e/suite-a/s000/ssh-key');
    expect(deriveRunKeyPair(SECRET, 'suite-a', 'dumont-e2e/suite-a/s000/ssh-key')).toEqual(pair);
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* dumont-e2e\/suite-a\/s000\/ssh-key$/);
    const blob = (p: { publicKey: string }) => p.publicKey.split(' ')[1];
    expect(blob(deriveRunKeyPair(SECRET, 'suite-b', 'x'))).not.toBe(blob(pair));
    expect(blob(deriveRunKeyPair(`${SECRET}!`, 'suite-a', 'x'))).not.toBe(blob(pair));
    expect(() => deriveRunKeyPair('too short', 'suite-a', 'x')).toThrow(/at least 32 characters/);
  });

  it('writes a derived private key that ssh2 parses, signs with, and whose public half is the public line', () => {
    const pair = deriveRunKeyPair(SECRET, 'suite-a', 'comment');
    const priv = utils.parseKey(pair.privateKey);
    if (priv instanceof Error) throw priv;
    const pub = utils.parseKey(pair.publicKey);
    if (pub instanceof Error) throw pub;
    expect(priv.getPublicSSH().toString('base64')).toBe(pair.publicKey.split(' ')[1]);
    const data = Buffer.from('challenge');
    expect(pub.verify(data, priv.sign(data))).toBe(true);
    if (!hasSshKeygen()) return;
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      writeFileSync(join(dir, 'k'), pair.privateKey, { mode: 0o600 });
      const out = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'k')], { encoding: 'utf8' });
      expect(out.trim().split(' ').slice(0, 2)).toEqual(pair.publicKey.split(' ').slice(0, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
