import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { OperationalError } from '../operational-error';

/** Name of the key-derivation secret's file in the data dir. */
export const KEY_SECRET_FILE = 'key-secret';

/** What {@link readKeySecret} accepts: what `loadConfig` accepts for DUMONT_E2E_KEY_SECRET, without whitespace. */
const VALID = /^\S{32,}$/;

/** Path of the stack's key-derivation secret: `<dataDir>/key-secret`. */
export function keySecretFile(dataDir: string): string {
  return path.join(dataDir, KEY_SECRET_FILE);
}

/**
 * The stack's key-derivation secret (`<dataDir>/key-secret`), or undefined when there is none yet.
 *
 * @throws Error naming the file when it exists but holds no usable secret (it is never replaced silently: a new
 * secret derives other SSH keys, so suites in flight would lose their instances).
 */
export function readKeySecret(dataDir: string): string | undefined {
  const file = keySecretFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const secret = text.trim();
  if (!VALID.test(secret)) {
    throw new OperationalError(
      `${file} holds no key secret (expected at least 32 characters, no spaces); delete it to have a new one ` +
        'generated (suites running now then lose SSH access to their instances)'
    );
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return secret;
}

/**
 * The stack's key-derivation secret, created once (64 hex characters from node crypto, mode 0600 from creation) and
 * kept across restarts: every worker of the stack derives each suite's SSH key from it, so a worker started later
 * (after `kill -9`, say) reaches the instances of the suites in flight. It reaches workers through their environment
 * (`DUMONT_E2E_KEY_SECRET`) only, never argv or logs.
 *
 * @throws Error naming the file when it exists but is unusable (see {@link readKeySecret}).
 */
export function loadOrCreateKeySecret(dataDir: string): string {
  return ensureKeySecret(dataDir).secret;
}

/**
 * {@link loadOrCreateKeySecret}, also saying whether the secret was just created (a worker already running then has
 * none, or another one, and must be restarted).
 */
export function ensureKeySecret(dataDir: string): { secret: string; created: boolean } {
  const existing = readKeySecret(dataDir);
  if (existing !== undefined) return { secret: existing, created: false };
  const file = keySecretFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600); // writeFileSync's mode is filtered by the umask
  try {
    // Exclusive: when two commands create it at once, the first one's secret wins and both use it.
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = readKeySecret(dataDir);
    if (winner !== undefined) return { secret: winner, created: false };
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { secret, created: true };
}
