import type { ResourceKind } from './types';

/** The label of an account key is the comment of its public line: `ssh-ed25519 AAAA… <label>`. */
export function keyComment(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(2).join(' ');
}

/**
 * A suite's SSH public key registered with the account (VAST applies account keys to new instances). Released by
 * the suite's final sweep, by a scenario started alone, and swept by the reaper like any other labelled resource.
 */
export const sshKeyKind: ResourceKind = {
  name: 'ssh-key',
  destroyOrder: 3,
  async list(deps, prefix) {
    const keys = await deps.vast.listSshKeys();
    return keys
      .filter((k) => keyComment(k.publicKey).startsWith(prefix))
      .map((k) => ({ kind: 'ssh-key', id: k.id, label: keyComment(k.publicKey), seenAt: ['vast' as const] }));
  },
  async destroy(deps, found) {
    await deps.vast.deleteSshKey(found.id);
    return {};
  },
};
