import { defineScenario } from '../../kit';
import { usd, witnessAround } from './helpers';

const MAX_PRICE = 0.2;
/** Dumont's own default filters (min_disk 50 GB, min_inet_down 100 Mb/s): the witness asks for the same. */
const WITNESS = {
  dph_total: { lte: MAX_PRICE },
  disk_space: { gte: 50 },
  inet_down: { gte: 100 },
  num_gpus: { gte: 1 },
  type: 'on-demand',
  limit: 1000,
};

/** 85 — Offers under $0.20/h: all returned are under it, and none cheaper that VAST lists was left out. */
export const offersByPriceScenario = defineScenario(85, 'offers-by-price', async (ctx) => {
  const seen = await witnessAround(ctx, WITNESS, () => ctx.steps.searchOffers({ max_price: MAX_PRICE, limit: 100 }));
  const offers = seen.result;
  ctx.metric('offersReturned', offers.length);
  ctx.metric('offersAtVast', seen.throughout.length);
  ctx.check(
    'offers-returned',
    `the search for at most ${usd(MAX_PRICE)}/h returns offers`,
    offers.length > 0,
    `${offers.length} offers`
  );
  const over = offers.filter((o) => !(o.dph_total <= MAX_PRICE));
  ctx.check(
    'all-under-max-price',
    `every offer returned costs at most ${usd(MAX_PRICE)}/h`,
    over.length === 0,
    over.length
      ? `over the limit: ${over.map((o) => `#${o.id} ${usd(o.dph_total)}`).join(', ')}`
      : `${offers.length} offers, dearest ${usd(Math.max(...offers.map((o) => o.dph_total)))}`
  );
  // Dumont answers at most `limit` offers, cheapest first: what it left out must be dearer than all it returned.
  const returned = new Set(offers.map((o) => o.id));
  const dearest = offers.length ? Math.max(...offers.map((o) => o.dph_total)) : MAX_PRICE;
  const cap = offers.length >= 100 ? dearest : MAX_PRICE;
  const missing = seen.throughout.filter((o) => !returned.has(o.id) && o.dph_total <= cap);
  ctx.check(
    'none-cheaper-left-out',
    'no offer VAST lists under the limit (and no dearer than those returned) is missing',
    missing.length === 0,
    missing.length
      ? `missing: ${missing.map((o) => `#${o.id} ${usd(o.dph_total)}`).join(', ')}`
      : `VAST lists ${seen.throughout.length} such offers throughout`
  );
  const unknown = offers.filter((o) => !seen.any.some((v) => v.id === o.id));
  ctx.check(
    'offers-real',
    'every offer returned is one VAST lists',
    unknown.length === 0,
    unknown.length ? `unknown to VAST: ${unknown.map((o) => o.id).join(', ')}` : 'all known to VAST'
  );
});
