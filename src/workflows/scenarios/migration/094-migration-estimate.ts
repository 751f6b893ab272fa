import { patched } from '@temporalio/workflow';
import { ANY_GPU, boot, defineScenario, must } from '../../kit';
import { DATASET_FILES, migrateAndVerify, writeFiles } from './helpers';

/** Relative error allowed between the estimate and what the migration really took. */
const TOLERANCE = 0.5;

/** 94 — Estimate a migration's time and cost, then migrate as estimated and compare with what it really took. */
export const migrationEstimateScenario = defineScenario(94, 'migration-estimate', async (ctx) => {
  const source = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, source, DATASET_FILES);
  const body = { target_type: 'gpu' as const, gpu_name: source.gpuName, max_price: 2.0 };
  const market = { gpu_name: source.gpuName, num_gpus: source.numGpus };
  // The market just before the estimate: the offer it names may be rented by someone else before it can be read
  // after it, and then only this listing still shows the price the quote must match.
  const before = patched('s094-market-before-estimate') ? await ctx.steps.searchOffers(market) : [];
  const est = await ctx.steps.estimateMigration({ instanceId: source.instanceId, body });
  const quoted = est.target?.cost_per_hour;
  const minutes = est.estimated_time_minutes;
  must(
    ctx.check(
      'estimate-available',
      'the platform estimates a time and a target price',
      est.available && quoted != null && minutes != null,
      est.available ? `${minutes} min at $${quoted}/h` : (est.error ?? 'unavailable')
    ),
    'no estimate'
  );
  // The offer the estimate names, read at once from the market: other renters may take it before the migration.
  const named = [...(await ctx.steps.searchOffers(market)), ...before].find((o) => o.id === est.target?.offer_id);
  const row = await ctx.steps.getInstance(source.instanceId);
  ctx.check(
    'nothing-moved',
    'the estimate left the source as it was',
    row?.actual_status === 'running',
    `source ${row?.actual_status ?? 'gone'}`
  );
  const estSeconds = minutes! * 60;
  const estCost = est.estimated_cost_usd ?? (estSeconds * (source.dphTotal + quoted!)) / 3600;
  const { target, seconds } = await migrateAndVerify(ctx, source, body);
  // Both instances bill while it migrates: the source until destroyed, the target from its create.
  const realCost = (seconds * (source.dphTotal + target.dphTotal)) / 3600;
  ctx.metric('estimatedSeconds', estSeconds);
  ctx.metric('estimatedCostUsd', estCost);
  ctx.metric('migrationCostUsd', realCost);
  // Requests, SSH and a simulator's own work (hashing and copying a snapshot's chunks) take real time that does not
  // shrink with its clock: two real seconds of slack, at most five platform minutes (several migrations at once on a
  // loaded 2-core machine were seen to need it; against a real platform, at timeScale 1, it is two seconds).
  const slack = Math.min(300, 2 / ctx.timeScale);
  ctx.limit({
    id: 'estimate-time',
    what: 'migration time',
    measured: seconds,
    op: '<=',
    limit: estSeconds * (1 + TOLERANCE) + slack,
    unit: 's',
    note: `estimated ${Math.round(estSeconds)} s`,
  });
  // The quote must be the named offer's price (or, were it listed neither before nor after the estimate, the price of
  // the offer rented instead).
  const offerPrice = named?.dph_total ?? target.dphTotal;
  const priceOk = Math.abs(quoted! - offerPrice) <= offerPrice * 0.01;
  // The cost's rate (dollars per second of migration, both instances billing), so that a migration slower than
  // estimated fails the time limit above, not this check too: cost = time × rate, and the time has its own check.
  const estRate = (estCost / estSeconds) * 3600;
  const realRate = source.dphTotal + target.dphTotal;
  const costOk = realRate >= estRate * (1 - TOLERANCE) && realRate <= estRate * (1 + TOLERANCE);
  ctx.check(
    'estimate-cost',
    "the estimate's price is the target's, and its cost per hour of migration is within 50 % of the real one",
    priceOk && costOk,
    `quoted $${quoted}/h for offer ${est.target?.offer_id ?? '?'} (${named ? `listed at $${named.dph_total}/h` : 'not listed'}), rented at $${target.dphTotal}/h; estimated $${estCost.toFixed(6)} ($${estRate.toFixed(4)}/h of migration), real $${realCost.toFixed(6)} ($${realRate.toFixed(4)}/h)`
  );
});
