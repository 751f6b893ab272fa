/**
 * Per-run SSH key pairs. A fresh ed25519 key per suite run means a leaked key opens nothing after the
 * run's instances are destroyed, and the fingerprint lets reports name the key without showing it.
 */
import { createHash } from 'node:crypto';
import { utils } from 'ssh2';

/** A generated key pair; the private half stays in the worker's memory and environment only. */
export interface RunKeyPair {
  /** OpenSSH one-line form: `ssh-ed25519 AAAA... <comment>`. */
  publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` text, as ssh2 and OpenSSH parse it. */
  privateKey: string;
}

/**
 * Generates an ed25519 key pair in OpenSSH formats.
 *
 * @param comment appended to the public key; it shows in `authorized_keys` and tells whose key it is.
 * @default comment `dumont-e2e`
 */
export function generateRunKeyPair(comment = 'dumont-e2e'): RunKeyPair {
  // ssh2's encoder now and then (about 1 key in 200) writes a private key its own parser rejects as
  // "Malformed OpenSSH private key"; such a key would make every SSH login of the run fail, so draw again.
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error))
      return { publicKey: pair.public.trim(), privateKey: pair.private };
  }
  throw new Error('could not generate a parseable ed25519 key pair');
}

/**
 * The SHA256 fingerprint of an OpenSSH public key line, as `ssh-keygen -l` prints it: `SHA256:<base64,
 * unpadded>` over the decoded key blob.
 *
 * @throws TypeError when the text is not `<type> <base64> [comment]`.
 */
export function keyFingerprint(publicKey: string): string {
  const [type, b64] = publicKey.trim().split(/\s+/);
  const blob = b64 && /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : undefined;
  // The blob starts with its own key type as an SSH string; checking it rejects arbitrary base64.
  if (!type || !blob || blob.length < 4 || blob.toString('latin1', 4, 4 + blob.readUInt32BE(0)) !== type) {
    throw new TypeError('keyFingerprint: expected an OpenSSH public key line "<type> <base64> [comment]"');
  }
  const digest = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
