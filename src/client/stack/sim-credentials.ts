import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { writeJsonAtomic } from './stack-file';

const credentialsSchema = z.object({
  apiKey: z.string().min(16),
  email: z.string().includes('@'),
  password: z
    .string()
    .min(12)
    .refine((p) => !p.includes(':'), 'no colon (SIM_USER is EMAIL:PASSWORD)'),
});

/** The simulator account shared by the simulator and the worker (`.data/sim-credentials.json`, mode 0600). */
export type SimCredentials = z.infer<typeof credentialsSchema>;

/** Fresh random credentials: a 64-hex API key like VAST's, a random mailbox and a base64url password (no colon). */
export function generateSimCredentials(): SimCredentials {
  return {
    apiKey: randomBytes(32).toString('hex'),
    email: `e2e-${randomBytes(4).toString('hex')}@sim.dumont.test`,
    password: randomBytes(24).toString('base64url'),
  };
}

/**
 * The stack's simulator credentials, created once and kept: the same account survives restarts of the simulator and
 * the worker. The file is (re)set to mode 0600 because it holds secrets.
 *
 * @returns the credentials and whether they were just created (a running simulator then has other ones).
 */
export function loadOrCreateSimCredentials(file: string): { credentials: SimCredentials; created: boolean } {
  if (fs.existsSync(file)) {
    const parsed = credentialsSchema.safeParse(readJson(file));
    if (parsed.success) {
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
      return { credentials: parsed.data, created: false };
    }
    // Unreadable or hand-edited: new credentials are as good, and the caller restarts the simulator with them.
  }
  const credentials = generateSimCredentials();
  writeJsonAtomic(file, credentials, 0o600);
  return { credentials, created: true };
}

/** The stack's simulator credentials as they are, or undefined when the file is missing or unusable. Creates nothing. */
export function readSimCredentials(file: string): SimCredentials | undefined {
  const parsed = credentialsSchema.safeParse(readJson(file));
  return parsed.success ? parsed.data : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
