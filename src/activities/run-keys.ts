import { runKeyLabel } from '../labels';
import { deriveRunKeyPair, type RunKeyPair } from '../platform/keys';
import type { VastClient } from '../platform/types';
import { keyComment } from './resources/ssh-key';

/**
 * A suite's SSH key, derived on each worker from the worker-side secret and the suite id: every worker of a
 * deployment reaches every instance of the suite, nothing is stored, and the private key never enters Temporal
 * (workflows pass only the suite id).
 */
export interface RunKeyStore {
  /** The suite's key pair (pure derivation, no I/O). */
  keyFor(suiteId: string): RunKeyPair;
  /**
   * Registers the suite's public key with the account unless a key carrying its label is there already
   * (idempotent by label; VAST applies account keys to instances created afterwards).
   */
  ensureRegistered(suiteId: string): Promise<void>;
}

export function createRunKeyStore(secret: string, vast: VastClient): RunKeyStore {
  const derived = new Map<string, RunKeyPair>();
  const inFlight = new Map<string, Promise<void>>();
  const keyFor = (suiteId: string): RunKeyPair => {
    let pair = derived.get(suiteId);
    if (!pair) {
      pair = deriveRunKeyPair(secret, suiteId, runKeyLabel(suiteId));
      derived.set(suiteId, pair);
    }
    return pair;
  };
  async function register(suiteId: string): Promise<void> {
    const pair = keyFor(suiteId);
    const label = runKeyLabel(suiteId);
    const keys = await vast.listSshKeys();
    // A key with our label but another body would be a stale one from another secret: ours is added beside it.
    if (
      keys.some(
        (k) => keyComment(k.publicKey) === label && k.publicKey.split(/\s+/)[1] === pair.publicKey.split(' ')[1]
      )
    )
      return;
    await vast.addSshKey(pair.publicKey);
  }
  return {
    keyFor,
    async ensureRegistered(suiteId) {
      // Parallel creates of one suite on one worker share one registration.
      let pending = inFlight.get(suiteId);
      if (!pending) {
        pending = register(suiteId).finally(() => inFlight.delete(suiteId));
        inFlight.set(suiteId, pending);
      }
      await pending;
    },
  };
}
