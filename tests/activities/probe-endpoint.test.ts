/**
 * `probeEndpoint` (the failover scenarios' read of a service endpoint or standby) against a real ssh2 server: a
 * session that drops under its command proved the address answers, so it is run again until it completes; an
 * address that never answers is reported as a finding after a few tries instead of being retried for minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities/deps';
import { createFailoverActivities } from '../../src/activities/failover';
import { generateRunKeyPair } from '../../src/platform';
import { closedPort } from '../platform/fixture-server';
import { startSshServer, type TestSshServer } from '../platform/ssh-server';

const key = generateRunKeyPair('probe-endpoint-test');
// Only the run key is read by probeEndpoint; no platform is called.
const acts = createFailoverActivities({ keys: { keyFor: () => key } } as unknown as ActivityDeps);
const probe = (port: number) =>
  acts.probeEndpoint({ suiteId: 's', endpoint: { host: '127.0.0.1', port }, command: 'echo served' });

let flaky: TestSshServer;
beforeAll(async () => {
  flaky = await startSshServer({ authorizedKey: key.publicKey, dropFirst: 5 });
});
afterAll(async () => {
  await flaky?.close();
});

describe('probeEndpoint', () => {
  it('runs a read-only command again after sessions dropped under it, until it completes', async () => {
    expect(await probe(flaky.port)).toMatchObject({ ok: true, code: 0, stdout: 'served\n' });
    expect(flaky.execs).toBe(6);
  });

  it('reports an address that never answers as not ok, with why, after a few tries', async () => {
    const res = await probe(await closedPort());
    expect(res).toMatchObject({ ok: false, code: -1 });
    expect(res.error).toMatch(/ECONNREFUSED/);
  });

  it('gives up on an address whose every session drops, saying so', async () => {
    const dropping = await startSshServer({ authorizedKey: key.publicKey, onExec: 'drop' });
    try {
      const res = await probe(dropping.port);
      expect(res).toMatchObject({ ok: false });
      expect(res.error).toMatch(/before the command finished|without an exit status|during command/);
      expect(dropping.execs).toBeGreaterThan(3);
    } finally {
      await dropping.close();
    }
  });
});
