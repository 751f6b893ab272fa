import { boot, defineScenario, must } from '../../kit';
import { checkDataMigrated, DATASET_FILES, migrateAndVerify, readManifest, writeFiles } from './helpers';

/** A model the other migration scenarios do not rent, so the offers around the median stay on the market. */
const GPU = 'RTX 4090';

/** 91 — Detect a cheaper offer of the same GPU and migrate onto it with the workspace. */
export const migrateToCheaperGpuScenario = defineScenario(91, 'migrate-to-cheaper-gpu', async (ctx) => {
  // Start on a mid-priced offer, so that both a cheaper and a dearer one exist.
  const offers = await ctx.steps.searchOffers({ gpu_name: GPU, num_gpus: 1 });
  must(
    ctx.check('offers-found', `several ${GPU} offers on the market`, offers.length >= 3, `${offers.length} offer(s)`),
    'no offers'
  );
  const mid = [...offers].sort((a, b) => a.dph_total - b.dph_total)[Math.floor(offers.length / 2)];
  const source = await boot(ctx, 'main', { offerId: mid.id });
  await writeFiles(ctx, source, DATASET_FILES);
  const before = await readManifest(ctx, source);
  const cheaper = (await ctx.steps.searchOffers({ gpu_name: GPU, num_gpus: 1 })).filter(
    (o) => o.dph_total < source.dphTotal
  );
  must(
    ctx.check(
      'cheaper-offer-found',
      `a ${GPU} offer cheaper than $${source.dphTotal}/h`,
      cheaper.length > 0,
      cheaper.length ? `from $${Math.min(...cheaper.map((o) => o.dph_total))}/h` : 'none'
    ),
    'nothing cheaper'
  );
  const { target } = await migrateAndVerify(ctx, source, {
    target_type: 'gpu',
    gpu_name: GPU,
    max_price: source.dphTotal * 0.999,
  });
  ctx.check(
    'target-cheaper',
    'the new instance costs less per hour than the source',
    target.dphTotal < source.dphTotal,
    `$${target.dphTotal}/h vs $${source.dphTotal}/h`
  );
  ctx.metric('savedUsdPerHour', source.dphTotal - target.dphTotal);
  await checkDataMigrated(ctx, target, before);
});
