import { boot, defineScenario, destroyAndVerify } from '../../kit';
import { pauseByIdleness, wakeAndMeasure } from './helpers';

const PAUSED_SECONDS = 600;
/** Our own view of the paused time may lag the platform's by our polling and request latency. */
const TOLERANCE = 0.25;
/** Savings must be the price actually paid for the paused time, within this share. */
const PRICE_TOLERANCE = 0.05;

/** 24 — Ten minutes of serverless: the savings reported are the paused time we saw times the price we pay. */
export const savingsMetricsScenario = defineScenario(24, 'savings-metrics', async (ctx) => {
  // A GPU priced well away from $0.30/h, the constant a platform might use instead of the real price.
  const inst = await boot(ctx, 'main', { query: { gpu_name: 'RTX 3090', num_gpus: 1, max_price: 0.2 } });
  const before = await ctx.steps.instanceSavings({ instanceId: inst.instanceId });
  ctx.check(
    'no-savings-before',
    'nothing saved before any pause',
    (before.total_savings_usd ?? 0) === 0,
    `$${before.total_savings_usd}`
  );
  await pauseByIdleness(ctx, inst, 'economic', 'auto-paused');
  const pausedAt = await ctx.steps.now();
  await ctx.sleep(PAUSED_SECONDS);
  const woke = await wakeAndMeasure(ctx, inst);
  const wokeAt = await ctx.steps.now();
  const observed = (wokeAt - pausedAt) / 1000 / ctx.timeScale;
  const reported = await ctx.steps.instanceSavings({ instanceId: inst.instanceId });
  const saved = reported.total_savings_usd ?? 0;
  // The platform's own paused time is the precise one (ours includes our polling lag); it must agree with ours.
  const pausedSeconds = reported.paused_seconds ?? observed;
  const expected = (inst.dphTotal * pausedSeconds) / 3600;
  ctx.metric('pausedSeconds', observed);
  ctx.metric('savingsUsd', saved);
  ctx.metric('expectedSavingsUsd', expected);
  ctx.check(
    'paused-time-matches',
    'the paused time the platform counts matches the pause we saw',
    pausedSeconds >= PAUSED_SECONDS && Math.abs(pausedSeconds - observed) <= TOLERANCE * observed + 30,
    `platform ${reported.paused_seconds ?? 'not reported'}s, seen ${Math.round(observed)}s`
  );
  ctx.check(
    'savings-measured',
    `savings are the paused time times the price paid (±${PRICE_TOLERANCE * 100}%)`,
    expected > 0 && Math.abs(saved - expected) <= PRICE_TOLERANCE * expected,
    `reported $${saved.toFixed(6)}; ${Math.round(pausedSeconds)}s paused × $${inst.dphTotal}/h = $${expected.toFixed(6)}; wake ${woke.status}`
  );
  await destroyAndVerify(ctx, inst);
});
