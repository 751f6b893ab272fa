/**
 * Steps the migration scenarios (91–95) share: migrate with Dumont's route and check it completed (the new instance
 * found by the source's label, the source gone), and compare the dataset before and after. The dataset helpers are
 * the snapshot scenarios' (a migration is a snapshot and a restore).
 */
import type { InstanceRef } from '../../../activities/instances';
import type { MigrateBody, MigrationOutcome } from '../../../activities/migration';
import { patched } from '@temporalio/workflow';
import { BOOT_BUDGET_SECONDS, DESTROY_BUDGET_SECONDS, must, type ScenarioContext } from '../../kit';
import { compareManifests, describeDiff, readManifest, type Manifest } from '../snapshots/helpers';

export { DATASET_FILES, readManifest, writeFiles } from '../snapshots/helpers';

/**
 * Migrates `source`; checks `migrated` (completed onto a new instance) and `source-gone`; returns the new one, ready
 * (its SSH address shown and our key logging in), and the SSH endpoint the platform shows for it.
 */
export async function migrateAndVerify(
  ctx: ScenarioContext,
  source: InstanceRef,
  body: MigrateBody
): Promise<{
  target: InstanceRef;
  outcome: MigrationOutcome;
  seconds: number;
  endpoint: { host: string | null; port: number | null };
}> {
  const outcome = await ctx.steps.migrateInstance({ instanceId: source.instanceId, label: source.label, body });
  const seconds = outcome.realMs / 1000 / ctx.timeScale;
  const target = outcome.target;
  must(
    ctx.check(
      'migrated',
      'the migration completed onto a new instance',
      outcome.success && target !== null && target.instanceId !== source.instanceId,
      outcome.success
        ? `instance ${target?.instanceId ?? 'none'} after ${Math.round(seconds)}s; steps ${outcome.steps.join(', ') || '(adopted)'}`
        : `failed: ${outcome.error ?? 'no error given'}; steps ${outcome.steps.join(', ')}`
    ),
    'not migrated'
  );
  if (outcome.adopted) ctx.warn('the migration answer was lost; the migrated instance was adopted by its label');
  ctx.metric('migrationSeconds', seconds);
  // The migrated instance is used as any rented one: once the platform shows its SSH address (VAST maps the port a
  // moment after `running`) and our key logs in.
  const ready = patched('migration-ready-before-use')
    ? await ctx.steps.waitForRunning({
        instanceId: target!.instanceId,
        suiteId: ctx.suiteId,
        ...(await ctx.window(BOOT_BUDGET_SECONDS)),
      })
    : undefined;
  const endpoint = ready
    ? { host: ready.sshHost, port: ready.sshPort }
    : { host: outcome.sshHost, port: outcome.sshPort };
  const gone = await ctx.steps.waitUntilGone({
    instanceId: source.instanceId,
    ...(await ctx.window(DESTROY_BUDGET_SECONDS)),
  });
  ctx.check(
    'source-gone',
    'the source instance is destroyed (no longer billing)',
    gone.gone,
    gone.gone ? `${source.instanceId} gone` : `${source.instanceId} still listed at ${gone.seenAt.join(' and ')}`
  );
  return { target: target!, outcome, seconds, endpoint };
}

/** Checks (`data-migrated`) that every file of `before` is on `target` with its MD5. */
export async function checkDataMigrated(ctx: ScenarioContext, target: InstanceRef, before: Manifest): Promise<void> {
  const diff = compareManifests(before, await readManifest(ctx, target));
  ctx.check(
    'data-migrated',
    'every file of the workspace arrived with its MD5',
    diff.missing.length + diff.changed.length === 0,
    `${Object.keys(before).length} file(s): ${describeDiff(diff)}`
  );
}
