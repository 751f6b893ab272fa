import { createHash } from 'node:crypto';

/**
 * The simulator bucket's name, region and keys, derived from the account's API key: stable for one simulator, so the
 * stack can hand them to its workers, and never equal to the API key itself.
 */
export function objectStoreCredentials(apiKey: string): {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
} {
  const digest = (what: string): string => createHash('sha256').update(`${what}:${apiKey}`).digest('hex');
  return {
    bucket: 'dumont-sim-bucket',
    region: 'us-east-1',
    accessKeyId: `SIM${digest('access-key-id').slice(0, 17).toUpperCase()}`,
    secretAccessKey: digest('secret-access-key').slice(0, 40),
  };
}
