import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import {
  ensureKeySecret,
  keySecretFile,
  loadOrCreateKeySecret,
  readKeySecret,
} from '../../src/client/stack/key-secret';
import { tempDataDir } from './stack-test-kit';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDataDir('key-secret');
  dirs.push(dir);
  return dir;
}

describe('the stack key secret (<data>/key-secret)', () => {
  it('is created once: 64 hex characters, mode 0600, the same on every later call', () => {
    const dir = dataDir();
    expect(readKeySecret(dir)).toBeUndefined();
    const first = ensureKeySecret(dir);
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(keySecretFile(dir)).mode & 0o777).toBe(0o600);
    expect(ensureKeySecret(dir)).toEqual({ secret: first.secret, created: false });
    expect(loadOrCreateKeySecret(dir)).toBe(first.secret);
    expect(fs.readdirSync(dir)).toEqual(['key-secret']); // no temp file left behind
  });

  it('creates the data dir when it does not exist yet, and differs between data dirs', () => {
    const parent = dataDir();
    const a = loadOrCreateKeySecret(path.join(parent, 'a', 'nested'));
    const b = loadOrCreateKeySecret(path.join(parent, 'b'));
    expect(a).not.toBe(b);
  });

  it('is what DUMONT_E2E_KEY_SECRET accepts', () => {
    const secret = loadOrCreateKeySecret(dataDir());
    expect(loadConfig({ DUMONT_E2E_KEY_SECRET: secret }).keySecret).toBe(secret);
  });

  it('keeps a secret put there by hand, and tightens a readable file to 0600', () => {
    const dir = dataDir();
    const own = 'my-own-deployment-secret-of-40-characters';
    fs.writeFileSync(keySecretFile(dir), `${own}\n`, { mode: 0o644 });
    fs.chmodSync(keySecretFile(dir), 0o644);
    expect(ensureKeySecret(dir)).toEqual({ secret: own, created: false });
    expect(fs.statSync(keySecretFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('never replaces an unusable file silently (other keys would strand suites in flight)', () => {
    const dir = dataDir();
    fs.writeFileSync(keySecretFile(dir), 'short\n', { mode: 0o600 });
    expect(() => loadOrCreateKeySecret(dir)).toThrow(/key-secret holds no key secret .*delete it/);
    expect(fs.readFileSync(keySecretFile(dir), 'utf8')).toBe('short\n');
  });
});
