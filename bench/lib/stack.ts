/**
 * A private local stack for the bench: its own data dir and free ports, so it never meets the user's stack (or
 * another bench) on 7233. The CLI starts it (the first `run` does, as `npm start` would) and stops it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, runCli } from './proc';

/** The bench's stack: the environment its CLI runs share, and how to reach and stop it. */
export interface BenchStack {
  env: Record<string, string>;
  dataDir: string;
  temporalAddress: string;
  /** The stack's worker and simulator pids, once it runs. */
  pids(): Promise<{ worker?: number; sim?: number; temporal?: number }>;
  down(): Promise<void>;
}

/**
 * Chooses a data dir and free ports; starts nothing. The stack's simulator gets `catalogueScale` times the default
 * offers, so `catalogueScale` copies of the catalogue running at once (the growth point) do not exhaust its market:
 * a real market has thousands of offers, and a run that fails for want of one measures nothing.
 */
export async function benchStack(catalogueScale = 1): Promise<BenchStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bench-'));
  const temporalPort = await freePort();
  const uiPort = await freePort();
  const simPortBase = await freePort(true);
  const env = {
    DUMONT_E2E_DATA_DIR: dataDir,
    DUMONT_E2E_TEMPORAL_PORT: String(temporalPort),
    DUMONT_E2E_TEMPORAL_UI_PORT: String(uiPort),
    DUMONT_E2E_SIM_PORT_BASE: String(simPortBase),
    DUMONT_E2E_SIM_CATALOGUE_SCALE: String(catalogueScale),
  };
  return {
    env,
    dataDir,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    async pids() {
      try {
        const stack = JSON.parse(readFileSync(path.join(dataDir, 'stack.json'), 'utf8')) as Record<
          string,
          { pid?: number } | undefined
        >;
        return { worker: stack.worker?.pid, sim: stack.sim?.pid, temporal: stack.temporal?.pid };
      } catch {
        return {};
      }
    },
    async down() {
      await runCli(['stack', 'down'], env, { timeoutMs: 60_000 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
