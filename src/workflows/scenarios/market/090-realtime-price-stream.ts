import { defineScenario } from '../../kit';

const GPU = 'RTX 3090';
/** Platform seconds of watching; the market records a sample every 300 s. */
const WATCH_SECONDS = 1000;
const MIN_UPDATES = 2;
/** The market's sampling period (`/metrics/market/summary` says so too). */
const SAMPLE_SECONDS = 300;
/** An update must follow the previous one within this many platform seconds (one sample period plus slack). */
const MAX_GAP_SECONDS = 450;

/** 90 — Live prices over a WebSocket: updates keep coming, each the market's latest, each the price recorded. */
export const realtimePriceStreamScenario = defineScenario(90, 'realtime-price-stream', async (ctx) => {
  const window = await ctx.window(WATCH_SECONDS);
  const messages = await ctx.steps.watchPrices({ gpuName: GPU, ...window });
  const snapshot = messages.find((m) => m.type === 'snapshot');
  const updates = messages.filter((m) => m.type === 'price');
  ctx.check(
    'snapshot-received',
    'the stream opens with a snapshot',
    snapshot !== undefined,
    `${messages.length} messages`
  );
  const samples = [...new Set(updates.map((u) => u.sample))];
  ctx.metric('updates', updates.length);
  ctx.check(
    'updates-received',
    `at least ${MIN_UPDATES} new samples pushed in ${WATCH_SECONDS}s of platform time`,
    samples.length >= MIN_UPDATES,
    `${samples.length} new samples pushed`
  );
  // Between consecutive updates (the first one's wait also counts the subscription's own start-up).
  const arrivals = updates.map((u) => u.arrivedAfterMs);
  const gaps = arrivals.slice(1).map((t, i) => (t - arrivals[i]) / 1000 / ctx.timeScale);
  ctx.limit({
    id: 'update-interval',
    what: 'longest wait between two price updates',
    measured: gaps.length ? Math.max(...gaps) : undefined,
    op: '<=',
    limit: MAX_GAP_SECONDS,
    unit: 's',
    note: gaps.length ? undefined : `${updates.length} update(s): no interval to measure`,
  });
  // The summary is read just after the update arrives: a new sample may have begun in between, no more.
  const stale = updates.filter((u) => u.latestAtArrival !== null && u.latestAtArrival > u.epoch + SAMPLE_SECONDS);
  ctx.check(
    'updates-fresh',
    "each update is the market's latest sample when it arrives",
    updates.length > 0 && stale.length === 0,
    stale.length
      ? `stale: ${stale.map((u) => `${u.epoch} < ${u.latestAtArrival}`).join(', ')}`
      : `${updates.length} updates`
  );
  // The recorded history is the market: every pushed price must be the one recorded for its sample.
  const history = await ctx.steps.marketHistory({ gpuName: GPU, hours: 1 });
  const wrong = updates.flatMap((u) => {
    const rec = history.find((h) => h.epoch === u.epoch);
    const pushed = u.prices.filter((p) => p.gpu_name === GPU).map((p) => p.price);
    const avg = pushed.reduce((s, x) => s + x, 0) / Math.max(1, pushed.length);
    return rec && Math.abs(avg - rec.avgPrice) <= 0.0005
      ? []
      : [`${u.epoch}: pushed avg ${avg.toFixed(4)}, recorded ${rec?.avgPrice ?? 'none'}`];
  });
  ctx.check(
    'prices-match-market',
    'every pushed price is the price the market recorded for that sample',
    updates.length > 0 && wrong.length === 0,
    wrong.length ? wrong.join('; ') : `${updates.length} updates match`
  );
});
