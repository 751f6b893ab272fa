import { boot, defineScenario, inEurope } from '../../kit';
import { checkDataMigrated, DATASET_FILES, migrateAndVerify, readManifest, writeFiles } from './helpers';

const GPU = 'RTX 3090';

/** 92 — An instance in the US migrates to the EU with all its data. */
export const migrateToOtherRegionScenario = defineScenario(92, 'migrate-to-other-region', async (ctx) => {
  const source = await boot(ctx, 'main', { query: { gpu_name: GPU, num_gpus: 1, region: 'US' } });
  ctx.check('source-in-us', 'the source runs in the US', /,\s*US$/.test(source.geolocation), source.geolocation);
  await writeFiles(ctx, source, DATASET_FILES);
  const before = await readManifest(ctx, source);
  const { target } = await migrateAndVerify(ctx, source, {
    target_type: 'gpu',
    gpu_name: GPU,
    max_price: 2.0,
    region: 'EU',
  });
  ctx.check('target-in-eu', 'the new instance runs in Europe', inEurope(target.geolocation), target.geolocation);
  await checkDataMigrated(ctx, target, before);
});
