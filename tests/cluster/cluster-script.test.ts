import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../src/catalog';
import { binariesDir, ensureBinaries, goInstallArgs } from '../../scripts/cluster/build';
import { disruptionPoints } from '../../scripts/cluster/disrupt';
import { MIN_SCENARIOS, parseClusterFlags, SHORT_SELECT } from '../../scripts/cluster/flags';
import { postgresMajor } from '../../scripts/cluster/postgres';
import { freePorts, MAX_SERVER_PORT } from '../../scripts/cluster/ports';
import {
  renderDynamicConfig,
  renderServerConfig,
  SERVER_PORT_COUNT,
  serverPorts,
} from '../../scripts/cluster/server-config';
import { TEMPORAL_SERVER_MODULE, TEMPORAL_SERVER_VERSION } from '../../scripts/cluster/versions';

// The cluster itself runs in `npm run cluster` (and `.ci/run`), never in `npm test`: these are its pure parts.

describe('cluster flags', () => {
  it('defaults to every scenario on three workers', () => {
    const o = parseClusterFlags([]);
    expect(o.select).toBe('all');
    expect(o.selected.length).toBe(scenarioById(o.selected.at(-1)!)!.id);
    expect(o.workers).toBe(3);
    expect(o.keep).toBe(false);
  });

  it('--short spans at least five categories', () => {
    const o = parseClusterFlags(['--short']);
    expect(o.select).toBe(SHORT_SELECT);
    const categories = new Set(o.selected.map((id) => scenarioById(id)!.category));
    expect(categories.size).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad values, naming them', () => {
    expect(() => parseClusterFlags(['--workers', '1'])).toThrow(/--workers must be an integer in 2\.\.8, got '1'/);
    expect(() => parseClusterFlags(['--workers', 'x'])).toThrow(/got 'x'/);
    expect(() => parseClusterFlags(['--max-parallel', '0'])).toThrow(/--max-parallel .* got '0'/);
    expect(() => parseClusterFlags(['--time-scale=-1'])).toThrow(/--time-scale must be in \(0, 10\], got '-1'/);
    expect(() => parseClusterFlags(['--select', 'nonsense-category'])).toThrow(/--select/);
    expect(() => parseClusterFlags(['--select', '1,2'])).toThrow(new RegExp(`at least ${MIN_SCENARIOS}`));
    expect(() => parseClusterFlags(['--short', '--select', '1-5'])).toThrow(/exclude each other/);
    expect(() => parseClusterFlags(['--bogus'])).toThrow(/bogus/);
  });
});

describe('disruption points', () => {
  it('fire while scenarios still run, the kill before the restart, for every selection size allowed', () => {
    for (let total = MIN_SCENARIOS; total <= 100; total++) {
      const p = disruptionPoints(total);
      expect(p.killWorkerAt, `total ${total}`).toBeGreaterThanOrEqual(1);
      expect(p.restartServerAt, `total ${total}`).toBeGreaterThan(p.killWorkerAt);
      expect(p.restartServerAt, `total ${total}`).toBeLessThan(total);
    }
  });
});

describe('server config', () => {
  const pg = { port: 5599, user: 'temporal', password: 'pw-not-a-real-one' };

  it('puts every service on its own loopback port and both stores on the private PostgreSQL', async () => {
    const free = await freePorts(SERVER_PORT_COUNT);
    expect(new Set(free).size).toBe(SERVER_PORT_COUNT);
    // Temporal keeps ports in a smallint column: anything above fails the server at start.
    for (const port of free) expect(port).toBeLessThanOrEqual(MAX_SERVER_PORT);
    expect(MAX_SERVER_PORT).toBe(2 ** 15 - 1);
    const ports = serverPorts(free);
    const cfg = parse(renderServerConfig({ ports, pg, dynamicConfigFile: '/x/dc.yaml' })) as {
      persistence: {
        defaultStore: string;
        visibilityStore: string;
        datastores: Record<string, { sql: Record<string, unknown> }>;
      };
      services: Record<
        string,
        { rpc: { grpcPort: number; membershipPort: number; bindOnIP: string; httpPort?: number } }
      >;
      clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
      dynamicConfigClient: { filepath: string };
    };
    const used = Object.values(cfg.services).flatMap((s) => [
      s.rpc.grpcPort,
      s.rpc.membershipPort,
      ...(s.rpc.httpPort ? [s.rpc.httpPort] : []),
    ]);
    expect(used.sort()).toEqual([...free].sort());
    for (const s of Object.values(cfg.services)) expect(s.rpc.bindOnIP).toBe('127.0.0.1');
    expect(Object.keys(cfg.services).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    const stores = cfg.persistence.datastores;
    expect(stores[cfg.persistence.defaultStore]!.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal',
      connectAddr: '127.0.0.1:5599',
      password: pg.password,
    });
    expect(stores[cfg.persistence.visibilityStore]!.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal_visibility',
    });
    expect(cfg.clusterMetadata.clusterInformation.active.rpcAddress).toBe(`127.0.0.1:${ports.frontend}`);
    expect(cfg.dynamicConfigClient.filepath).toBe('/x/dc.yaml');
  });

  it('asks for fewer ports than it needs: refused', () => {
    expect(() => serverPorts([1, 2, 3])).toThrow(/need 9 ports, got 3/);
  });

  it('dynamic config makes new search attributes usable at once', () => {
    expect(parse(renderDynamicConfig())).toMatchObject({
      'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
    });
  });
});

describe('build and prerequisites', () => {
  it('builds the pinned server and its SQL tool from the module', () => {
    expect(goInstallArgs()).toEqual([
      'install',
      '-trimpath',
      `${TEMPORAL_SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
      `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
    ]);
  });

  it('reuses cached binaries without Go, and says how to get Go when it must build', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-build-'));
    const savedPath = process.env.PATH;
    process.env.PATH = root; // no go here: a cache hit must not need it
    try {
      const args = { repoRoot: root, logFile: path.join(root, 'build.log'), log: () => undefined };
      await expect(ensureBinaries(args)).rejects.toThrow(/go not found on PATH.*Go ≥ 1\.26\.8/);
      const dir = binariesDir(root);
      fs.mkdirSync(dir, { recursive: true });
      for (const name of ['temporal-server', 'temporal-sql-tool']) {
        fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 });
      }
      await expect(ensureBinaries(args)).resolves.toEqual({
        server: path.join(dir, 'temporal-server'),
        sqlTool: path.join(dir, 'temporal-sql-tool'),
      });
      expect(dir).toBe(path.join(root, '.tools', 'cluster', `v${TEMPORAL_SERVER_VERSION}`, 'bin'));
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads the PostgreSQL major version, and refuses output it cannot read', () => {
    expect(postgresMajor('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe(15);
    expect(postgresMajor('postgres (PostgreSQL) 9.6.24')).toBe(9);
    expect(() => postgresMajor('something else')).toThrow(/cannot read the PostgreSQL version from "something else"/);
  });
});
