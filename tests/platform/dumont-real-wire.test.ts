/**
 * The Dumont client reads the real server's wire (docs/platform-contract.md): response bodies in the shape the real
 * server sends them, one test per quirk. Fixtures under fixtures/dumont/ follow the documented InstanceResponse.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDumontClient, PlatformUnavailableError, type DumontClient } from '../../src/platform';
import { startFixtureServer, type FixtureServer } from './fixture-server';

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'dumont', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;

let server: FixtureServer;
let dumont: DumontClient;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  dumont = createDumontClient(
    { baseUrl: server.baseUrl, token: 'jwt' },
    { retry: { attempts: 2, sleep: async () => {} }, unavailableAfterMs: 300 }
  );
});

describe('the real InstanceResponse', () => {
  it('reads a row whose start_date is an ISO string (the time of the read) and whose gpu_ram is in MB', async () => {
    server.on('GET', '/api/v1/instances/24311907', { body: fixture('instance-running') });
    const inst = await dumont.getInstance(24311907);
    expect(inst).toMatchObject({
      id: 24311907,
      actual_status: 'running',
      ssh_host: 'ssh4.vast.ai',
      ssh_port: 31907,
      label: 'dumont-e2e/nightly/s001/main',
    });
    // The read time says nothing about age: it is dropped, never mistaken for a start.
    expect(inst?.start_date).toBeUndefined();
  });

  it('reads numbers sent as numeric strings and nulls for fields not known yet (a fresh create)', async () => {
    server.on('POST', '/api/v1/instances', { status: 201, body: fixture('instance-created') });
    const inst = await dumont.createInstance({ offer_id: 1, label: 'dumont-e2e/nightly/s002/main' });
    expect(inst).toMatchObject({ id: 24311908, num_gpus: 1, disk_space: 50, dph_total: 0.2211, ssh_port: null });
  });

  it('stays strict on what the harness checks: a state that is not text is a protocol error', async () => {
    server.on('GET', '/api/v1/instances/5', { body: { ...fixture('instance-running'), id: 5, actual_status: 3 } });
    await expect(dumont.getInstance(5)).rejects.toThrow(/actual_status/);
  });
});

describe('the list as cleanup reads it', () => {
  it('keeps every row with an id and a label, whatever else is odd in it, and counts rows it cannot read', async () => {
    server.on('GET', '/api/v1/instances', {
      body: {
        instances: [
          fixture('instance-running'),
          { id: '24311908', label: 'dumont-e2e/nightly/s002/main', actual_status: 7, start_date: 'yesterday' },
          { label: 'dumont-e2e/nightly/s003/main' },
          'garbage',
        ],
        count: 4,
      },
    });
    await expect(dumont.listInstances()).rejects.toThrow(/validation/);
    const read = await dumont.listLabelled();
    expect(read.rows.map((r) => [r.id, r.label])).toEqual([
      [24311907, 'dumont-e2e/nightly/s001/main'],
      [24311908, 'dumont-e2e/nightly/s002/main'],
    ]);
    expect(read.unreadable).toBe(2);
  });
});

describe('errors classified', () => {
  it('a 503 with the same body past the bound becomes "platform unavailable", not retried without end', async () => {
    const body = { error: 'Failed to list instances: 410 Gone (use /api/v1/instances/)' };
    server.on('GET', '/api/v1/instances', { status: 503, body });
    const first = await dumont.listInstances().catch((e: Error) => e);
    expect(first).not.toBeInstanceOf(PlatformUnavailableError);
    await new Promise((r) => setTimeout(r, 350));
    const later = await dumont.listInstances().catch((e: Error) => e);
    expect(later).toBeInstanceOf(PlatformUnavailableError);
    expect((later as Error).message).toMatch(
      /^platform unavailable: GET \/api\/v1\/instances: HTTP 503: Failed to list/
    );
    // A success resets it.
    server.on('GET', '/api/v1/instances', { body: { instances: [], count: 0 } }, { status: 503, body });
    await expect(dumont.listInstances()).resolves.toEqual([]);
    await expect(dumont.listInstances()).rejects.not.toBeInstanceOf(PlatformUnavailableError);
  });
});
