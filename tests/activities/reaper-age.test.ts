/**
 * The reaper's age decision (`ReaperWorkflow`: reaped when `ageSeconds > ttlHours × 3600`) takes ages on the
 * platform's clock, as its answers' HTTP `Date` header gives it, never the worker's: VAST's `start_date` is on VAST's
 * clock (vast-api.md §3.3), which may be skewed from the worker's, and the simulator's runs compressed from a start in
 * the past (docs/simulator.md § Clock and timings). On the worker's clock a just-rented instance would look years
 * old here and be reaped by the TTL although its owner still runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createReaperActivities } from '../../src/activities/reaper';
import { createRunKeyStore } from '../../src/activities/run-keys';
import type { ActivityDeps } from '../../src/activities/deps';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';
import { waitFor } from '../helpers/wait-for';

const suiteId = 'reaper-age';
/** One real millisecond is half a platform second. */
const TIME_SCALE = 0.002;
let sim: RunningSim;
let dir: string;
let deps: ActivityDeps;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-reaper-age-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale: TIME_SCALE, dataDir: dir });
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  deps = {
    dumont: createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER }),
    vast,
    keys: createRunKeyStore(SIM_KEY_SECRET, vast),
  };
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The instance `label` as the reaper's scan finds it. */
async function scanned(label: string) {
  const found = await createReaperActivities(deps).findLabelled();
  return found.find((r) => r.kind === 'instance' && r.label === label);
}

describe("the reaper's instance ages", () => {
  it("are the platform's: a fresh instance is young, and it ages as platform time passes", async () => {
    const label = `dumont-e2e/${suiteId}/s001/main`;
    const created = await createActivities(deps).createInstance({ suiteId, label, query: { num_gpus: 1 } });
    const startDate = (await deps.vast.showInstance(created.instanceId))?.start_date;
    expect(typeof startDate).toBe('number');

    const fresh = await scanned(label);
    const platformAge = sim.state().now - startDate!;
    expect(fresh?.ageSeconds).toBeDefined();
    // No older than the platform says (the Date header has whole seconds, read before this state), and far below
    // the reaper's smallest TTL (0.01 h = 36 s) would not hold on the worker's clock: there, the lead of platform
    // time over real time (years at this scale) would be its age.
    expect(fresh!.ageSeconds!).toBeLessThanOrEqual(platformAge + 1);
    expect(fresh!.ageSeconds!).toBeLessThan(6 * 3600);

    // 60 platform seconds later (120 real ms), the smallest TTL has passed on the platform's clock: reaped by age.
    await waitFor(() => sim.state().now - startDate! > 60, { what: '60 platform seconds' });
    const older = await scanned(label);
    expect(older!.ageSeconds!).toBeGreaterThan(36);
    expect(older!.ageSeconds!).toBeLessThanOrEqual(sim.state().now - startDate! + 1);

    await createActivities(deps).destroyByLabel({
      labelPrefix: label,
      deadlineMs: Date.now() + 20_000,
      timeScale: TIME_SCALE,
    });
  });
});
