import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';
import { DEFAULT_WORKERS } from '../../scripts/cluster/flags';
import { schemaSteps } from '../../scripts/cluster/schema';
import { COMPOSE_IMAGES, SCHEMAS, SQL_PLUGIN, TEMPORAL_SERVER_VERSION } from '../../scripts/cluster/versions';

// docker-compose.yml is for users' machines; no Docker engine runs here, so it is validated as data: structure,
// pinned images, dependencies, ports, no secrets, and a worker command that the CLI really has.

const ROOT = path.resolve(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number)[];
  healthcheck?: { test?: string | string[] };
  restart?: string;
  profiles?: string[];
  network_mode?: string;
  deploy?: { replicas?: number };
}

const text = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

function loadCompose(): { services: Record<string, Service>; volumes?: Record<string, unknown> } {
  const doc = parseDocument(text, { uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  return doc.toJS() as { services: Record<string, Service>; volumes?: Record<string, unknown> };
}

function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/);
}

/** The exec-form CMD of the Dockerfile, as a list. */
function dockerfileCmd(text: string): string[] {
  const line = text.split('\n').find((l) => /^CMD\s/.test(l));
  expect(line, 'Dockerfile has a CMD').toBeDefined();
  return JSON.parse(line!.replace(/^CMD\s+/, '')) as string[];
}

const compose = loadCompose();
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has the cluster topology: PostgreSQL, schema setup, server, namespace setup, UI, workers, simulator', () => {
    expect(Object.keys(services).sort()).toEqual([
      'postgresql',
      'simulator',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
      'worker-sim',
    ]);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(envOf(services.temporal!).DB).toBe(SQL_PLUGIN);
  });

  it('pins the images npm run cluster builds and runs: the same server release, its admin tools, PostgreSQL', () => {
    expect(services.temporal!.image).toBe(COMPOSE_IMAGES.server);
    expect(services['temporal-schema']!.image).toBe(COMPOSE_IMAGES.adminTools);
    expect(services['temporal-setup']!.image).toBe(COMPOSE_IMAGES.adminTools);
    expect(services.postgresql!.image).toBe(COMPOSE_IMAGES.postgres);
    for (const image of [COMPOSE_IMAGES.server, COMPOSE_IMAGES.adminTools]) {
      expect(image.split(':')[1]).toBe(TEMPORAL_SERVER_VERSION);
    }
    expect(text).toContain(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
  });

  it('sets up both schemas with exactly the temporal-sql-tool steps the cluster script runs', () => {
    const script = asList(services['temporal-schema']!.command).join('\n');
    const steps = [...script.matchAll(/^temporal-sql-tool --plugin (\S+) --db (\S+) (.+)$/gm)].map((m) => ({
      plugin: m[1],
      db: m[2],
      step: m[3]!.split(' '),
    }));
    const expected = (Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[]).flatMap((db) =>
      schemaSteps(db).map((step) => ({ plugin: SQL_PLUGIN, db, step }))
    );
    expect(steps).toEqual(expected);
    expect(script).toMatch(/^set -eu$/m);
    const env = envOf(services['temporal-schema']!);
    expect(env.SQL_HOST).toBe('postgresql');
    expect(env.SQL_PASSWORD).toBe(envOf(services.postgresql!).POSTGRES_PASSWORD);
    expect(services['temporal-schema']!.restart).toBe('no');
  });

  it('runs as many workers as the cluster script, per profile; the sim workers share the simulator loopback', () => {
    expect(services.worker!.profiles).toEqual(['dumont']);
    expect(services.simulator!.profiles).toEqual(['sim']);
    expect(services['worker-sim']!.profiles).toEqual(['sim']);
    for (const name of ['postgresql', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui']) {
      expect(services[name]!.profiles, name).toBeUndefined();
    }
    expect(services.worker!.deploy?.replicas).toBe(DEFAULT_WORKERS);
    expect(services['worker-sim']!.deploy?.replicas).toBe(DEFAULT_WORKERS);
    // The simulator listens on loopback only: its workers live in its network namespace.
    expect(services['worker-sim']!.network_mode).toBe('service:simulator');
    const simArgs = asList(services.simulator!.command);
    const flag = (name: string) => simArgs[simArgs.indexOf(name) + 1];
    const env = envOf(services['worker-sim']!);
    expect(env.DUMONT_API_URL).toBe(`http://127.0.0.1:${flag('--dumont-port')}`);
    expect(env.VAST_API_URL).toBe(`http://127.0.0.1:${flag('--vast-port')}`);
    expect(env.DUMONT_E2E_TARGET).toBe('sim');
    expect(env.VAST_API_KEY).toBe(envOf(services.simulator!).SIM_API_KEY);
    expect(asList(services['worker-sim']!.command)).toEqual(asList(services.worker!.command));
  });

  it('requires only variables both profiles need (compose interpolates every service, in every profile)', () => {
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
    expect([...new Set(required)].sort()).toEqual(['DUMONT_E2E_KEY_SECRET', 'POSTGRES_PASSWORD']);
  });

  it('depends only on services that exist, with conditions their targets can satisfy', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(svc))) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        if (condition === 'service_healthy')
          expect(services[dep]!.healthcheck?.test, `${dep} healthcheck`).toBeTruthy();
        if (condition === 'service_completed_successfully') expect(services[dep]!.restart, dep).toBe('no');
        expect(['service_started', 'service_healthy', 'service_completed_successfully', undefined]).toContain(
          condition
        );
      }
    }
    expect(dependsOn(services['temporal-schema']!)).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn(services.temporal!)).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(dependsOn(services['temporal-setup']!)).toEqual({ temporal: 'service_started' });
    expect(dependsOn(services['temporal-ui']!)).toEqual({ 'temporal-setup': 'service_completed_successfully' });
    expect(dependsOn(services.worker!)).toEqual({ 'temporal-setup': 'service_completed_successfully' });
    expect(dependsOn(services['worker-sim']!)).toEqual({
      simulator: 'service_started',
      'temporal-setup': 'service_completed_successfully',
    });
    // The server has no CLI for a healthcheck: the setup waits until it reports SERVING.
    expect(asList(services['temporal-setup']!.command).join('\n')).toMatch(
      /until temporal operator cluster health \| grep -q SERVING/
    );
  });

  it('has healthchecks on the long-running infrastructure', () => {
    for (const name of ['postgresql', 'temporal-ui']) {
      expect(services[name]!.healthcheck?.test, name).toBeTruthy();
    }
  });

  it('publishes Temporal gRPC on 7233 and the Web UI on 8233, on loopback only', () => {
    const published = (svc: Service): string[] => (svc.ports ?? []).map(String);
    expect(published(services.temporal!)).toEqual(['127.0.0.1:${TEMPORAL_GRPC_PORT:-7233}:7233']);
    expect(published(services['temporal-ui']!)).toEqual(['127.0.0.1:${TEMPORAL_UI_PORT:-8233}:8080']);
    for (const [name, svc] of Object.entries(services)) {
      for (const port of published(svc)) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(services.postgresql!.ports ?? []).toEqual([]);
  });

  it('holds no secrets: credentials are ${VAR} placeholders, and the worker gets every platform variable', () => {
    const placeholder = /^\$\{([A-Z][A-Z0-9_]*)(:?[-?][^}]*)?\}$/;
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(svc))) {
        if (/PASSWORD|PWD|SECRET|TOKEN|API_KEY|EMAIL/.test(key)) {
          const m = placeholder.exec(value);
          expect(m, `${name}.${key}=${value}`).not.toBeNull();
          expect(m![2] ?? '', `${name}.${key} must have no default value`).toMatch(/^(:?\?.*|:-)?$/);
        }
      }
    }
    const worker = envOf(services.worker!);
    for (const key of ['DUMONT_API_URL', 'DUMONT_EMAIL', 'DUMONT_PASSWORD', 'VAST_API_URL', 'VAST_API_KEY']) {
      expect(worker[key], key).toMatch(new RegExp(`^\\$\\{${key}(:[-?][^}]*)?\\}$`));
    }
    // Required, with no default: the secret every worker derives suites' SSH keys from (docker compose refuses to
    // start without it rather than starting workers that cannot reach each other's instances).
    expect(worker.DUMONT_E2E_KEY_SECRET).toMatch(/^\$\{DUMONT_E2E_KEY_SECRET:\?[^}]+\}$/);
    expect(worker.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(worker.DUMONT_E2E_TARGET).toMatch(/^\$\{DUMONT_E2E_TARGET:-dumont\}$/);
    const simWorker = envOf(services['worker-sim']!);
    expect(simWorker.DUMONT_E2E_KEY_SECRET).toBe(worker.DUMONT_E2E_KEY_SECRET);
    expect(simWorker.TEMPORAL_ADDRESS).toBe('temporal:7233');
    // The simulator's account: only placeholders, the same ones its workers log in with.
    expect(envOf(services.simulator!).SIM_USER).toBe('${SIM_EMAIL:-}:${SIM_PASSWORD:-}');
    expect([simWorker.DUMONT_EMAIL, simWorker.DUMONT_PASSWORD]).toEqual(['${SIM_EMAIL:-}', '${SIM_PASSWORD:-}']);
    // Secrets go to the workers only: no other service sees the platform credentials.
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'worker' || name === 'worker-sim') continue;
      expect(
        Object.keys(envOf(svc)).filter((k) => /^(DUMONT|VAST)_/.test(k)),
        name
      ).toEqual([]);
    }
  });

  it('registers exactly our search attributes and sets 30-day retention', () => {
    const script = asList(services['temporal-setup']!.command).join('\n');
    const pairs = [...script.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => `${m[1]}=${m[2]}`);
    const expected = SEARCH_ATTRIBUTE_KEYS.map((k) => `${k.name}=${k.type === 'KEYWORD' ? 'Keyword' : k.type}`);
    expect(pairs.sort()).toEqual(expected.sort());
    expect(script).toMatch(/temporal operator namespace create --namespace default --retention 720h/);
    expect(script).toMatch(/temporal operator namespace update --namespace default --retention 720h/);
  });

  it('builds the worker from our Dockerfile, whose CMD is the command the worker service runs', () => {
    const build = services.worker!.build;
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    const text = fs.readFileSync(path.join(ROOT, context, dockerfile), 'utf8');
    expect(text).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(text).toMatch(/ca-certificates/);
    expect(text).toMatch(/npm ci/);
    const cmd = dockerfileCmd(text);
    expect(cmd).toEqual(['node', 'bin/dumont-e2e.cjs', 'worker']);
    expect(asList(services.worker!.command)).toEqual(cmd);
  });

  it('the worker command is a real CLI command (`dumont-e2e worker --help` exits 0)', () => {
    const [node, script, command] = asList(services.worker!.command);
    expect(node).toBe('node');
    const out = execFileSync(process.execPath, [path.join(ROOT, script!), command!, '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out).toMatch(/worker/i);
  });

  it('.dockerignore keeps secrets and local state out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', '.tools', '.data']) expect(ignored).toContain(entry);
  });
});
