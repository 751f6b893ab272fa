/**
 * Per-run SSH key pairs. A fresh ed25519 key per suite run means a leaked key opens nothing after the
 * run's instances are destroyed, and the fingerprint lets reports name the key without showing it.
 */
import { createHash, createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
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

/** DER prefix of a PKCS#8 ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/**
 * Derives a suite's ed25519 key pair from a worker-side secret: HKDF-SHA256(secret, salt = suite id). Every worker
 * holding the same secret derives the same key for the same suite, so any number of workers reach the suite's
 * instances without sharing files, and the private key never needs to travel (least of all through Temporal).
 * A different suite id gives an unrelated key, so one leaked suite key opens nothing of another suite.
 *
 * Written in OpenSSH's own format by hand (deterministic, unlike ssh2's encoder, which also sometimes writes keys
 * its parser rejects).
 */
export function deriveRunKeyPair(secret: string, suiteId: string, comment: string): RunKeyPair {
  if (secret.length < 32) throw new Error('deriveRunKeyPair: the secret must have at least 32 characters');
  const seed = Buffer.from(hkdfSync('sha256', secret, suiteId, 'dumont-e2e ssh ed25519 v1', 32));
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const pub = spki.subarray(spki.length - 32);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  // The check integer only has to repeat itself; deriving it keeps the whole file deterministic.
  const check = createHash('sha256').update(seed).digest().readUInt32BE(0);
  let priv = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(priv),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}
