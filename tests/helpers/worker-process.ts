import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from './harness';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * A worker as its own OS process (`dumont-e2e worker`) serving `sim` for the Temporal server at `temporalAddress`,
 * resolved once it printed `worker ready`. Every worker gets the same key secret through its environment only, as
 * the workers of one deployment do. Output lines go to `logs`.
 */
export async function spawnWorker(
  sim: RunningSim,
  opts: { temporalAddress: string; dataDir: string; logs?: string[]; keySecret?: string }
): Promise<ChildProcess> {
  const logs = opts.logs ?? [];
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'dumont-e2e.cjs'), 'worker'], {
    cwd: REPO,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      DUMONT_E2E_TARGET: 'sim',
      DUMONT_API_URL: sim.dumontUrl,
      DUMONT_EMAIL: SIM_USER.email,
      DUMONT_PASSWORD: SIM_USER.password,
      VAST_API_URL: sim.vastUrl,
      VAST_API_KEY: SIM_API_KEY,
      DUMONT_E2E_DATA_DIR: opts.dataDir,
      DUMONT_E2E_KEY_SECRET: opts.keySecret ?? SIM_KEY_SECRET,
      DUMONT_E2E_S3_ENDPOINT: sim.objectStore.url,
      DUMONT_E2E_S3_BUCKET: sim.objectStore.bucket,
      DUMONT_E2E_S3_REGION: sim.objectStore.region,
      DUMONT_E2E_S3_ACCESS_KEY_ID: sim.objectStore.accessKeyId,
      DUMONT_E2E_S3_SECRET_ACCESS_KEY: sim.objectStore.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      logs.push(d.toString());
      if (out.includes('worker ready')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before ready:\n${logs.join('')}`)));
  });
  return child;
}

/** Stops worker processes and waits until they are gone. */
export async function stopWorkers(procs: ChildProcess[]): Promise<void> {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
}
