/**
 * Item 8 in the campaign: after every other part ran (crashes, the fault soak), the secret scan over the whole
 * Temporal server, the campaign's files (reports, logs, the Temporal database) and the simulator's state. Then a
 * canary: the password planted in one more file must be found, or the scan proves nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readKeySecret, KEY_SECRET_FILE } from '../../src/client/stack/key-secret';
import { objectStoreCredentials } from '../../src/sim/core/object-store/credentials';
import { fileSources, findSecrets, suiteKeyNeedles, temporalSources, type Needle, type Source } from '../secret-scan';
import type { ChaosStack } from '../stack';
import type { ChaosOptions, ChaosRow } from '../types';

/** The files whose job is to hold a secret (mode 0600 in the data dir): not outputs, so not scanned. */
const SECRET_FILES = [KEY_SECRET_FILE, 'sim-credentials.json'];

/** A Dumont token as the worker gets one (the simulator signs every login with the same key). */
async function dumontToken(stack: ChaosStack, email: string): Promise<string> {
  const res = await fetch(`${stack.dumontUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: stack.simPassword }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** The scan over everything the campaign left; one row. */
export async function runSecretScan(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow> {
  const t0 = Date.now();
  const credentials = JSON.parse(fs.readFileSync(stack.cfg.credentialsFile, 'utf8')) as { email: string };
  const keySecret = readKeySecret(stack.cfg.dataDir);
  if (!keySecret) throw new Error(`no key secret in ${stack.cfg.dataDir}`);
  const token = await dumontToken(stack, credentials.email);
  const { sources: temporal, ids } = await temporalSources(stack.client);
  const suites = ids.filter((id) => id.startsWith('chaos-') || id.startsWith('e2e-')).filter((id) => !id.includes('/'));
  const needles: Needle[] = [
    { name: 'the VAST API key', value: stack.simApiKey },
    { name: 'the Dumont password', value: stack.simPassword },
    { name: 'a Dumont token signature', value: token.split('.')[2]! },
    { name: 'the key-derivation secret', value: keySecret },
    { name: 'the object-store secret key', value: objectStoreCredentials(stack.simApiKey).secretAccessKey },
    ...suiteKeyNeedles(keySecret, suites),
  ];
  const files = fileSources([opts.workDir], SECRET_FILES);
  const simState: Source = { where: 'simulator state', text: JSON.stringify(await stack.simState()) };
  const sources = [...temporal, ...files, simState];
  const hits = findSecrets(sources, needles);
  // The canary: the same scan over one more file holding the password must find it.
  const canary = path.join(opts.workDir, 'canary.log');
  fs.writeFileSync(canary, `login ok for ${credentials.email} with ${stack.simPassword}\n`);
  const planted = findSecrets([...sources, ...fileSources([canary], [])], needles).length - hits.length;
  fs.rmSync(canary);
  const row: ChaosRow = {
    part: 'secrets',
    trial: '1',
    seed: opts.seed,
    outcome: hits.length === 0 && planted > 0 ? 'ok' : hits.length ? 'leaked' : 'error',
    lost: 0,
    leaked: hits.length,
    falseFailures: [],
    detail:
      `${needles.length} secrets (incl. the SSH keys of ${suites.length} suites) and 2 shapes searched in ` +
      `${temporal.length / 2} workflows (histories, search attributes, memos), ${files.length} files, the sim ` +
      `state: ${hits.length} hits${hits.length ? ` (${hits.map((h) => `${h.secret} in ${h.where}`).join('; ')})` : ''}` +
      `; a planted password was ${planted > 0 ? 'found' : 'NOT found'}`,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  opts.log(`secrets: ${row.outcome} ${row.detail}`);
  return row;
}
