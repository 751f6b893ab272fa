import { boot, defineScenario, destroyAndVerify } from '../../kit';
import { usd } from './helpers';
import { costOfWork, rentSpot } from './spot';

const GPU = 'RTX 3090';
/** Platform seconds of GPU work run on both. */
const WORK_SECONDS = 600;
/** The bid over the offer's minimum, so the spot instance runs. */
const MARKUP = 1.1;
/** How far the billed rate may be from the price agreed (billing granularity, clock rounding). */
const RATE_TOLERANCE = 0.03;

/** 89 — The same GPU rented spot and on-demand, the same work on both, and what each really cost. */
export const spotVsOnDemandScenario = defineScenario(89, 'spot-vs-on-demand', async (ctx) => {
  const onDemand = await boot(ctx, 'on-demand', { query: { gpu_name: GPU, num_gpus: 1 } });
  const { inst: spot, bid } = await rentSpot(ctx, GPU, MARKUP);
  await ctx.waitRunning(spot, { check: 'spot-running', name: 'spot: instance running and reachable over SSH' });
  ctx.check('spot-running', 'spot: instance running and reachable over SSH', true, `bid ${usd(bid)}/h`);
  const seconds = Math.max(1, Math.round(WORK_SECONDS * ctx.timeScale));
  const work = `gpu-stress ${seconds} 100 >/dev/null 2>&1 && echo done`;
  const [od, sp] = await Promise.all([
    costOfWork(ctx, onDemand, work, WORK_SECONDS * 3),
    costOfWork(ctx, spot, work, WORK_SECONDS * 3),
  ]);
  ctx.check('work-completed', 'the same work completed on both', od.ok && sp.ok, `on-demand ${od.how}; spot ${sp.how}`);
  ctx.metric('onDemandCostUsd', od.costUsd);
  ctx.metric('spotCostUsd', sp.costUsd);
  ctx.metric('onDemandRate', od.rate);
  ctx.metric('spotRate', sp.rate);
  ctx.check(
    'on-demand-billed-at-price',
    `on-demand is billed at its price (±${RATE_TOLERANCE * 100}%)`,
    Math.abs(od.rate / onDemand.dphTotal - 1) <= RATE_TOLERANCE,
    `billed ${usd(od.rate)}/h for ${Math.round(od.gpuSeconds)} GPU-s, price ${usd(onDemand.dphTotal)}/h`
  );
  ctx.check(
    'spot-billed-at-bid',
    `spot is billed at its bid (±${RATE_TOLERANCE * 100}%)`,
    Math.abs(sp.rate / bid - 1) <= RATE_TOLERANCE,
    `billed ${usd(sp.rate)}/h for ${Math.round(sp.gpuSeconds)} GPU-s, bid ${usd(bid)}/h`
  );
  const savings = od.rate > 0 ? (1 - sp.rate / od.rate) * 100 : NaN;
  ctx.metric('spotSavingsPercent', savings);
  ctx.check(
    'spot-cheaper',
    'the same work cost less per GPU-hour on spot',
    sp.rate < od.rate,
    `spot ${usd(sp.costUsd)} (${usd(sp.rate)}/h) vs on-demand ${usd(od.costUsd)} (${usd(od.rate)}/h): ${savings.toFixed(1)}% saved`
  );
  await destroyAndVerify(ctx, spot, { check: 'spot-destroyed', what: 'spot instance' });
  await destroyAndVerify(ctx, onDemand, { what: 'on-demand instance' });
});
