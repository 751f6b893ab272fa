/** The account's SSH keys and the per-instance keys: records, validation and wire rows. */
import { parsePublicKeys } from '../../instances/ssh-host';

/** An account SSH key (`POST /api/v0/ssh/`). */
export interface AccountKey {
  id: number;
  key: string;
  createdAt: number;
}

/** The feature's per-world state. */
export interface SshKeyState {
  keys: AccountKey[];
  /** One id sequence for account and instance keys, as VAST numbers them. */
  nextId: number;
}

/** The trimmed key when `raw` is one OpenSSH public key ssh2 can parse, else undefined. */
export function validKey(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const key = raw.trim();
  return parsePublicKeys([key]).length > 0 ? key : undefined;
}

/** An account key as VAST shows it. */
export function accountKeyRow(accountId: number, k: AccountKey): Record<string, unknown> {
  return {
    id: k.id,
    user_id: accountId,
    public_key: k.key,
    created_at: new Date(k.createdAt * 1000).toISOString(),
    deleted_at: null,
  };
}
