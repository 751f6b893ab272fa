import { promises as fs } from 'node:fs';
import path from 'node:path';
import { generateRunKeyPair } from '../platform/keys';
import type { VastClient } from '../platform/types';

interface StoredKey {
  publicKey: string;
  privateKey: string;
  vastKeyId?: number;
}

/**
 * One fresh ed25519 key per suite run. The private key lives only in a 0600 file in the worker's data
 * directory — never in workflow inputs, results or logs — so a worker restarted after a crash (same machine,
 * same data dir) still reaches the instances the dead one created.
 */
export interface RunKeyStore {
  /** Creates and registers the suite's key with the platform on first use; returns the public key. */
  ensure(suiteId: string): Promise<{ publicKey: string; privateKey: string }>;
  /** Unregisters and deletes the suite's key (idempotent). */
  release(suiteId: string): Promise<void>;
}

export function createRunKeyStore(dir: string, vast: VastClient): RunKeyStore {
  const inFlight = new Map<string, Promise<StoredKey>>();
  const fileOf = (suiteId: string) => path.join(dir, `${suiteId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

  async function read(file: string): Promise<StoredKey | undefined> {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as StoredKey;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async function write(file: string, key: StoredKey): Promise<void> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(key), { mode: 0o600 });
    await fs.rename(tmp, file);
  }

  async function load(suiteId: string): Promise<StoredKey> {
    const file = fileOf(suiteId);
    let key = await read(file);
    if (!key) {
      key = generateRunKeyPair();
      await write(file, key);
    }
    if (key.vastKeyId === undefined) {
      key.vastKeyId = await vast.addSshKey(key.publicKey);
      await write(file, key);
    }
    return key;
  }

  return {
    async ensure(suiteId) {
      let pending = inFlight.get(suiteId);
      if (!pending) {
        pending = load(suiteId);
        inFlight.set(suiteId, pending);
        pending.catch(() => inFlight.delete(suiteId));
      }
      const key = await pending;
      return { publicKey: key.publicKey, privateKey: key.privateKey };
    },
    async release(suiteId) {
      inFlight.delete(suiteId);
      const file = fileOf(suiteId);
      const key = await read(file);
      if (!key) return;
      if (key.vastKeyId !== undefined) await vast.deleteSshKey(key.vastKeyId);
      await fs.rm(file, { force: true });
    },
  };
}
