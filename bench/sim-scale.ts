/**
 * Benchmark 3, second half: the simulator (`dumont-e2e sim`, its own process) holding N live instances created
 * through the Dumont face, as scenarios create them: its resident memory, and the latency of reads (one instance,
 * the whole list) with N live, against the same reads with none.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDumontClient } from '../src/platform/dumont/client';
import { MAX_CATALOGUE_SCALE } from '../src/sim/core/offers-catalogue';
import type { BenchSizes } from './lib/options';
import { memoryOf, REPO_ROOT, stopChild } from './lib/proc';
import { distribution, mib, ratio, type Distribution } from './lib/stats';

export interface SimScaleResult {
  requested: number;
  /** Instances live at the measurement (creates the simulator refused are counted apart). */
  live: number;
  refused: number;
  firstRefusal?: string;
  rssIdleMiB: number;
  rssLoadedMiB: number;
  peakRssMiB: number;
  getIdleMs: Distribution;
  getLoadedMs: Distribution;
  listIdleMs: Distribution;
  listLoadedMs: Distribution;
  /** loaded ÷ idle at p99. */
  getSlowdownP99: number;
  listSlowdownP99: number;
  createMs: Distribution;
}

/** Consecutive refused creates after which the simulator is taken to be full. */
const MAX_REFUSED_IN_A_ROW = 16;

const USER = { email: 'bench@dumont.test', password: 'bench-password-1' };

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function benchSim(sizes: BenchSizes, log: (line: string) => void): Promise<SimScaleResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bench-sim-'));
  const ready = path.join(dir, 'ready.json');
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'dumont-e2e.cjs'),
      'sim',
      '--dumont-port',
      '0',
      '--vast-port',
      '0',
      '--api-key',
      'bench-vast-key-0123456789',
      '--user',
      `${USER.email}:${USER.password}`,
      // Enough offers for every instance asked for (68 at scale 1; an offer once rented is gone).
      '--catalogue-scale',
      String(Math.min(MAX_CATALOGUE_SCALE, Math.ceil(sizes.simInstances / 60))),
      '--data-dir',
      path.join(dir, 'data'),
      '--ready-file',
      ready,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => void (stderr = (stderr + b.toString()).slice(-4000)));
  try {
    const deadline = Date.now() + 60_000;
    while (!existsSync(ready)) {
      if (child.exitCode !== null) throw new Error(`simulator exited ${child.exitCode}: ${stderr}`);
      if (Date.now() > deadline) throw new Error('simulator not ready after 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const { dumontUrl } = JSON.parse(readFileSync(ready, 'utf8')) as { dumontUrl: string };
    const dumont = createDumontClient({ baseUrl: dumontUrl, ...USER }, { timeoutMs: 60_000 });
    // The Dumont face answers at most 100 offers a search, and a rented offer leaves the market: creates take offers
    // from one search until it is used up, then search again (as many renters would).
    let pool = await dumont.searchOffers({ limit: 100 });
    if (!pool.length) throw new Error('the simulator offers nothing');
    let searching: Promise<void> | undefined;
    const nextOffer = async () => {
      while (!pool.length) {
        searching ??= dumont.searchOffers({ limit: 100 }).then((found) => {
          pool = found;
          searching = undefined;
        });
        await searching;
        if (!pool.length) return undefined;
      }
      return pool.shift();
    };
    const reads = async () => {
      const anyId = (await dumont.listInstances())[0]?.id ?? 1;
      const get: number[] = [];
      const list: number[] = [];
      for (let i = 0; i < 50; i++) {
        get.push(await timed(() => dumont.getInstance(anyId)));
        if (i % 5 === 0) list.push(await timed(() => dumont.listInstances()));
      }
      return { get, list };
    };
    const idle = await reads();
    const rssIdle = memoryOf(child.pid!)?.current ?? NaN;
    const createMs: number[] = [];
    let refused = 0;
    let firstRefusal: string | undefined;
    let next = 0;
    // The catalogue is finite (an offer once rented is gone): stop asking once the simulator keeps refusing.
    let refusedInARow = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < sizes.simInstances && refusedInARow < MAX_REFUSED_IN_A_ROW) {
          const i = next++;
          const offer = await nextOffer();
          if (!offer) break;
          const t = performance.now();
          try {
            await dumont.createInstance({ offer_id: offer.id, label: `bench-sim/${i}`, skip_standby: true });
            createMs.push(performance.now() - t);
            refusedInARow = 0;
          } catch (err) {
            refused += 1;
            refusedInARow += 1;
            firstRefusal ??= (err as Error).message.slice(0, 200);
          }
        }
      })
    );
    const live = (await dumont.listInstances()).length;
    const loaded = await reads();
    const mem = memoryOf(child.pid!);
    const result: SimScaleResult = {
      requested: sizes.simInstances,
      live,
      refused,
      ...(firstRefusal ? { firstRefusal } : {}),
      rssIdleMiB: mib(rssIdle),
      rssLoadedMiB: mem ? mib(mem.current) : NaN,
      peakRssMiB: mem ? mib(mem.peak) : NaN,
      getIdleMs: distribution(idle.get),
      getLoadedMs: distribution(loaded.get),
      listIdleMs: distribution(idle.list),
      listLoadedMs: distribution(loaded.list),
      getSlowdownP99: 0,
      listSlowdownP99: 0,
      createMs: distribution(createMs),
    };
    result.getSlowdownP99 = ratio(result.getLoadedMs.p99, result.getIdleMs.p99);
    result.listSlowdownP99 = ratio(result.listLoadedMs.p99, result.listIdleMs.p99);
    log(
      `  ${live} live (${refused} refused): sim RSS ${result.rssIdleMiB} → ${result.rssLoadedMiB} MiB; get p99 ×${result.getSlowdownP99}, list p99 ×${result.listSlowdownP99}`
    );
    return result;
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
