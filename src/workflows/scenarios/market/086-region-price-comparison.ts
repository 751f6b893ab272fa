import { defineScenario } from '../../kit';
import { inRegion, mean, REGION_COUNTRIES, usd, witnessAround, type Region } from './helpers';

const GPU = 'RTX 3090';

/** 86 — Prices of one GPU in US, EU and Asia, from Dumont's region filter, each checked against VAST's market. */
export const regionPriceComparisonScenario = defineScenario(86, 'region-price-comparison', async (ctx) => {
  const rows = [];
  for (const region of Object.keys(REGION_COUNTRIES) as Region[]) {
    const filter = { gpu_name: { eq: GPU }, num_gpus: { eq: 1 }, type: 'on-demand', limit: 1000 };
    const seen = await witnessAround(ctx, filter, () =>
      ctx.steps.searchOffers({ gpu_name: GPU, num_gpus: 1, region, limit: 100 })
    );
    const prices = seen.result.map((o) => o.dph_total);
    const atVast = seen.throughout.filter((o) => inRegion(o.geolocation, region)).map((o) => o.dph_total);
    const outside = seen.result.filter((o) => !inRegion(o.geolocation, region)).map((o) => o.geolocation);
    rows.push({
      region,
      n: prices.length,
      cheapest: Math.min(...prices),
      avg: mean(prices),
      vast: Math.min(...atVast),
      outside,
    });
    ctx.metric(`cheapest${region}`, Math.min(...prices));
    ctx.metric(`average${region}`, mean(prices));
  }
  const strays = rows.filter((r) => r.outside.length > 0);
  ctx.check(
    'regions-partitioned',
    'every offer of a region is hosted in that region',
    strays.length === 0,
    strays.length
      ? strays
          .map((r) => `${r.region}: ${r.outside.length} of ${r.n} elsewhere (${[...new Set(r.outside)].join('; ')})`)
          .join(' | ')
      : rows.map((r) => `${r.region} ${r.n}`).join(', ')
  );
  ctx.check(
    'regions-have-offers',
    `each region has ${GPU} offers`,
    rows.every((r) => r.n > 0),
    rows.map((r) => `${r.region} ${r.n}`).join(', ')
  );
  // Offers VAST listed throughout the reads were there: Dumont's cheapest in a region cannot be dearer.
  ctx.check(
    'cheapest-matches-vast',
    "each region's cheapest at Dumont is no dearer than VAST's cheapest there",
    rows.every((r) => r.n > 0 && !(r.cheapest > r.vast)),
    rows.map((r) => `${r.region} Dumont ${usd(r.cheapest)} / VAST ${usd(r.vast)}`).join(', ')
  );
  ctx.check(
    'regions-compared',
    `${GPU} prices compared across US, EU and Asia`,
    true,
    rows.map((r) => `${r.region} ${usd(r.cheapest)} (avg ${usd(r.avg)})`).join('; ')
  );
});
