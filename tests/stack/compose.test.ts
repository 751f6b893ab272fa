import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';

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
}

function loadCompose(): { services: Record<string, Service>; volumes?: Record<string, unknown> } {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { uniqueKeys: true });
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
  it('has PostgreSQL, Temporal (auto-setup), the Web UI, a one-shot setup and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
    expect(services.postgresql!.image).toMatch(/^postgres:16(\.|$|-)/);
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(envOf(services.temporal!).DB).toBe('postgres12');
  });

  it('pins every image to a version tag (no latest, no untagged) or builds it', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (svc.build) continue;
      expect(svc.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/);
      expect(svc.image, name).not.toMatch(/:latest$/);
    }
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
    expect(dependsOn(services.temporal!)).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn(services.worker!)).toMatchObject({
      temporal: 'service_healthy',
      'temporal-setup': 'service_completed_successfully',
    });
  });

  it('has healthchecks on the long-running infrastructure', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui']) {
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
    // Secrets go to the worker only: no other service sees the platform credentials.
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'worker') continue;
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
    expect(script).toMatch(/temporal operator namespace update --namespace default --retention 720h/);
    expect(envOf(services.temporal!).DEFAULT_NAMESPACE_RETENTION).toBe('720h');
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
