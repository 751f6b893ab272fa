/**
 * `dumont-e2e contract` against the simulator: every route present; with a feature module switched off, exactly the
 * contract routes that module declares are missing and exactly the scenarios that need them are blocked; the probe
 * creates nothing; the route map in docs/platform-contract.md is the data's rendering.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import { probeContract, scenarioReadiness } from '../../src/platform/contract/probe';
import { renderRouteMap, withRouteMap } from '../../src/platform/contract/render';
import { CONTRACT_ROUTES, routeNeededBy, type ContractRoute } from '../../src/platform/contract/routes';
import { startSimulator, SWITCHABLE_FEATURES, type RunningSim } from '../../src/sim';
import { FEATURES } from '../../src/sim/features';

const ROOT = path.resolve(__dirname, '..', '..');
const API_KEY = 'contract-test-key';
let sim: RunningSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const shape = (p: string) => p.replace(/\{\w+\}|:\w+/g, ':p');
/** The contract routes a feature module declares (Dumont paths under /api/v1; VAST's either slash form). */
function contractRoutesOf(feature: string): ContractRoute[] {
  const module = FEATURES.find((f) => f.name === feature);
  const declared = [
    ...(module?.routes?.dumont ?? []).map((r) => `dumont ${r.method} ${shape(`/api/v1${r.path}`)}`),
    ...(module?.routes?.vast ?? []).map((r) => `vast ${r.method} ${shape(r.path).replace(/\/$/, '')}`),
  ];
  return CONTRACT_ROUTES.filter((r) => {
    const p = r.face === 'vast' ? shape(r.path).replace(/\/$/, '') : shape(r.path);
    return declared.includes(`${r.face} ${r.method} ${p}`);
  });
}

describe('contract on the simulator', () => {
  it('finds every route present, every scenario runnable, and creates nothing', async () => {
    sim = await startSimulator({ apiKey: API_KEY });
    const before = await sim.state();
    const probes = await probeContract({ dumontUrl: sim.dumontUrl, vastUrl: sim.vastUrl, vastApiKey: API_KEY });
    expect(probes.filter((p) => p.verdict !== 'present').map((p) => `${p.route.method} ${p.route.path}`)).toEqual([]);
    expect(probes).toHaveLength(CONTRACT_ROUTES.length);
    expect(scenarioReadiness(probes, SCENARIOS).filter((s) => !s.canRun)).toEqual([]);
    const after = await sim.state();
    expect(after.instances).toEqual(before.instances);
    expect(after.volumes).toEqual(before.volumes);
    // Every feature's resources are unchanged; the market's view is its live price feed, which moves with time alone.
    const resources = (state: typeof before) => ({ ...state.features, market: undefined });
    expect(resources(after)).toEqual(resources(before));
    // A handler's 404 (an id that names nothing) is a present route, not "no route".
    const vastInstance = probes.find((p) => p.route.face === 'vast' && p.route.path === '/api/v0/instances/{id}/');
    expect(vastInstance).toMatchObject({ status: 404, verdict: 'present' });
  });

  // Every switchable module that declares contract routes, each one switched off in turn.
  const switchable = SWITCHABLE_FEATURES.filter((name) => contractRoutesOf(name).length > 0);
  it.each(switchable)(
    'without the %s module: exactly its routes are missing, and the scenarios needing them',
    async (name) => {
      const expected = contractRoutesOf(name);
      sim = await startSimulator({ apiKey: API_KEY, withoutFeatures: [name] });
      const probes = await probeContract({ dumontUrl: sim.dumontUrl, vastUrl: sim.vastUrl, vastApiKey: API_KEY });
      const missing = probes.filter((p) => p.verdict === 'missing').map((p) => p.route);
      expect(missing).toEqual(expected);
      expect(probes.filter((p) => p.verdict === 'unreachable')).toEqual([]);
      const blocked = scenarioReadiness(probes, SCENARIOS)
        .filter((s) => !s.canRun)
        .map((s) => s.id);
      expect(blocked).toEqual(SCENARIOS.filter((s) => expected.some((r) => routeNeededBy(r, s.id))).map((s) => s.id));
      expect(blocked.length).toBeGreaterThan(0);
    }
  );

  it('blocks exactly the jobs category without the jobs module (catalog, not the route data)', async () => {
    sim = await startSimulator({ apiKey: API_KEY, withoutFeatures: ['jobs'] });
    const probes = await probeContract({ dumontUrl: sim.dumontUrl, vastUrl: sim.vastUrl, vastApiKey: API_KEY });
    const blocked = scenarioReadiness(probes, SCENARIOS).filter((s) => !s.canRun);
    expect(blocked.map((s) => s.id)).toEqual(SCENARIOS.filter((s) => s.category === 'jobs').map((s) => s.id));
  });
});

describe('the route map', () => {
  it('docs/platform-contract.md holds the rendering of the route data (npx tsx scripts/update-route-map.ts)', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'platform-contract.md'), 'utf8');
    expect(doc).toContain(renderRouteMap());
    expect(withRouteMap(doc)).toBe(doc);
  });
});

describe('dumont-e2e contract (the CLI)', () => {
  const CLI = path.join(ROOT, 'bin', 'dumont-e2e.cjs');
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DUMONT_|VAST_|TEMPORAL_)/.test(k))
  ) as Record<string, string>;
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, 'contract', ...args], {
      env: { ...clean, ...env },
      encoding: 'utf8',
      timeout: 90_000,
    });

  it('exits 1 with the gap map as JSON when a module is off, 0 when all is present', () => {
    const gap = run(['--without-feature', 'jobs', '--json']);
    expect(gap.status).toBe(1);
    const report = JSON.parse(gap.stdout);
    expect(report.summary).toMatchObject({ routes: CONTRACT_ROUTES.length, missing: contractRoutesOf('jobs').length });
    expect(
      report.routes.filter((r: { verdict: string }) => r.verdict === 'missing').map((r: { path: string }) => r.path)
    ).toEqual(contractRoutesOf('jobs').map((r) => r.path));
    const full = run([]);
    expect(full.status).toBe(0);
    expect(full.stdout).toContain(`${CONTRACT_ROUTES.length} present, 0 missing, 0 unreachable`);
    expect(full.stdout).toContain(`${SCENARIOS.length} can run, 0 cannot`);
  });

  it('exits 2 on bad input, naming it', () => {
    const unknown = run(['--without-feature', 'no-such-module']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('"no-such-module"');
    const essential = run(['--without-feature', 'ssh-keys']);
    expect(essential.status).toBe(2);
    expect(essential.stderr).toContain('cannot be switched off');
    const noUrl = run(['--target', 'dumont']);
    expect(noUrl.status).toBe(2);
    expect(noUrl.stderr).toContain('DUMONT_API_URL');
    expect(
      run(['--target', 'dumont', '--without-feature', 'jobs'], { DUMONT_API_URL: 'http://127.0.0.1:1' }).status
    ).toBe(2);
  });

  it('reports an unreachable platform as unreachable (exit 1), not as missing routes', () => {
    const res = run(['--target', 'dumont', '--json'], {
      DUMONT_API_URL: 'http://127.0.0.1:1',
      VAST_API_URL: 'http://127.0.0.1:1',
    });
    expect(res.status).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.summary).toMatchObject({ present: 0, missing: 0, unreachable: CONTRACT_ROUTES.length });
  });
});
