/**
 * The simulator's edge features over real HTTP and SSH: the host blacklist and the offer search that honours it,
 * the per-instance disk quota (a disk that really fills and recovers), spot rents billed at their bid, and the
 * create-edge defects (a refused create that still rents, simultaneous creates that collide, a stuck create that
 * ignores destroy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { market } from '../../src/sim/features/market';
import { takeListing } from '../../src/sim/features/market/market-store';
import { createRunning, SSH_KEY, startServerlessSim, type ServerlessSim } from './serverless-helpers';
import { sshExec } from './sim-client';

let s: ServerlessSim;
beforeAll(async () => {
  s = await startServerlessSim({ timeScale: 0.002, seed: 97 });
});
afterAll(async () => {
  await s?.sim.stop();
});

const offersOf = async (query: string) =>
  (await s.d('GET', `/api/v1/instances/offers?${query}`)).body.offers as { id: number; machine_id: string }[];

describe('blacklist', () => {
  it('lists an entry, leaves its machine out of the search (unless asked), and removes it', async () => {
    const [first] = await offersOf('gpu_name=RTX%203090&num_gpus=1');
    const machine = first.machine_id;
    expect((await s.d('POST', `/api/v1/instances/blacklist/${machine}?reason=test/bl`)).status).toBe(200);
    const status = (await s.d('GET', '/api/v1/instances/blacklist/status')).body;
    expect(status.blacklist.entries).toEqual([expect.objectContaining({ machine_id: machine, reason: 'test/bl' })]);
    expect((await offersOf('gpu_name=RTX%203090&limit=100')).some((o) => o.machine_id === machine)).toBe(false);
    const all = await offersOf('gpu_name=RTX%203090&limit=100&include_blacklisted=true');
    expect(all.find((o) => o.machine_id === machine)).toMatchObject({ is_blacklisted: true });
    s.sim.addDefects(['blacklist-not-applied']);
    try {
      expect((await offersOf('gpu_name=RTX%203090&limit=100')).some((o) => o.machine_id === machine)).toBe(true);
    } finally {
      s.sim.removeDefects(['blacklist-not-applied']);
    }
    expect((await s.d('DELETE', `/api/v1/instances/blacklist/${machine}`)).status).toBe(200);
    expect((await s.d('DELETE', `/api/v1/instances/blacklist/${machine}`)).status).toBe(404);
    expect((await offersOf('gpu_name=RTX%203090&limit=100')).some((o) => o.machine_id === machine)).toBe(true);
  });
});

describe('disk quota', () => {
  it('fills (writes fail, df shows 100 %), then recovers once cleaned', async () => {
    const { id } = await createRunning(s, 'edge/disk');
    const port = s.world.instances.get(id)!.sshPort!;
    const run = (cmd: string) => sshExec(port, SSH_KEY.privateKey, cmd);
    const fill = await run('dd if=/dev/zero of=fill.bin bs=1M');
    expect(fill.code).not.toBe(0);
    expect(fill.stderr).toMatch(/File too large/);
    expect((await run('df -P "$HOME" | tail -1')).stdout).toMatch(/ 100% \//);
    expect((await run('echo x > small.txt')).code).not.toBe(0);
    await run('rm -f fill.bin small.txt');
    expect(await run('echo x > small.txt && cat small.txt')).toMatchObject({ code: 0, stdout: 'x\n' });
    await s.d('DELETE', `/api/v1/instances/${id}`);
  });
});

describe('spot rents', () => {
  it('rent at a bid, are billed at it, and refuse a bid under the minimum', async () => {
    const offers = (
      await s.d('GET', '/api/v1/instances/offers?gpu_name=RTX%204090&num_gpus=1&machine_type=interruptible')
    ).body.offers as { id: number; dph_total: number }[];
    const low = await s.d('POST', '/api/v1/spot/instances', {
      offer_id: offers[0].id,
      bid_price: offers[0].dph_total / 2,
    });
    expect(low.status).toBe(400);
    const bid = Number((offers[0].dph_total * 1.1).toFixed(4));
    const made = await s.d('POST', '/api/v1/spot/instances', {
      offer_id: offers[0].id,
      bid_price: bid,
      label: 'edge/spot',
    });
    expect(made.status).toBe(201);
    expect(s.world.instances.get(made.body.id)).toMatchObject({ isBid: true, dphTotal: bid });
    await s.d('DELETE', `/api/v1/instances/${made.body.id}`);
  });
});

describe('create-edge defects', () => {
  it('failed-create-leaks-instance rents on an offer that left the market while answering 500', async () => {
    const state = s.world.features.stateOf(market);
    // An offer another renter takes off the market, as the market's churn does.
    const gone = [...state.listings.values()].find((l) => !l.hangs && l.takenAt === null)!;
    takeListing(s.world, gone);
    const healthy = await s.d('POST', '/api/v1/instances', { offer_id: gone.offer.id, label: 'edge/leak-a' });
    expect(healthy.status).toBe(500);
    expect(healthy.body.error).toMatch(/indisponível/);
    expect([...s.world.instances.values()].some((i) => i.label === 'edge/leak-a')).toBe(false);
    s.sim.addDefects([{ name: 'failed-create-leaks-instance', labelPrefix: 'edge/leak-b' }]);
    try {
      const leaky = await s.d('POST', '/api/v1/instances', { offer_id: gone.offer.id, label: 'edge/leak-b' });
      expect(leaky.status).toBe(500);
      const leaked = [...s.world.instances.values()].find((i) => i.label === 'edge/leak-b');
      expect(leaked).toBeDefined();
      await s.d('DELETE', `/api/v1/instances/${leaked!.id}`);
    } finally {
      s.sim.removeDefects([{ name: 'failed-create-leaks-instance', labelPrefix: 'edge/leak-b' }]);
    }
  });

  it('concurrent-creates-conflict answers simultaneous creates with the first instance', async () => {
    s.sim.addDefects([{ name: 'concurrent-creates-conflict', labelPrefix: 'edge/cc' }]);
    try {
      const offers = await offersOf('gpu_name=RTX%203090&num_gpus=1');
      const made = await Promise.all(
        [0, 1].map((k) => s.d('POST', '/api/v1/instances', { offer_id: offers[k].id, label: `edge/cc${k}` }))
      );
      expect(made.map((m) => m.status)).toEqual([201, 201]);
      expect(made[1].body.id).toBe(made[0].body.id);
      await s.d('DELETE', `/api/v1/instances/${made[0].body.id}`);
    } finally {
      s.sim.removeDefects([{ name: 'concurrent-creates-conflict', labelPrefix: 'edge/cc' }]);
    }
  });
});
