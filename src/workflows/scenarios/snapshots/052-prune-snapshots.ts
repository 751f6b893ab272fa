import { ANY_GPU, boot, defineScenario } from '../../kit';
import { DATASET_FILES, listedWithTags, takeSnapshot, writeFiles, type Taken } from './helpers';

const SNAPSHOTS = 6;
/** Keep the newest three (and the one marked keep-forever); none is old enough for the age limit. */
const POLICY = { retention_days: 30, min_snapshots_to_keep: 1, max_snapshots_per_instance: 3, cleanup_enabled: true };

const short = (ids: string[]): string => ids.map((i) => i.slice(0, 8)).join(', ') || 'none';

/** 52 — Several snapshots, a retention policy, a dry-run prune, then a real one: exactly the right ones remain. */
export const pruneSnapshotsScenario = defineScenario(52, 'prune-snapshots', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const taken: Taken[] = [];
  for (let i = 1; i <= SNAPSHOTS; i++) {
    await writeFiles(ctx, inst, [{ path: 'data/eval.bin', bytes: 1000 * i }], `data-round-${i}`);
    taken.push(await takeSnapshot(ctx, inst, `snap-${i}`));
  }
  const tags = taken.map((_, i) => ctx.label(`snap-${i + 1}`));
  const forever = taken[0].snapshot.id;
  await ctx.steps.keepSnapshotForever({ snapshotId: forever, keep: true });
  await ctx.steps.setRetentionPolicy({ instanceId: inst.instanceId, policy: POLICY });
  // What the policy keeps: the keep-forever one and the newest `max_snapshots_per_instance` of the others.
  const others = taken
    .map((t) => t.snapshot.id)
    .filter((id) => id !== forever)
    .reverse();
  const keep = new Set([
    forever,
    ...others.slice(0, Math.max(POLICY.max_snapshots_per_instance, POLICY.min_snapshots_to_keep)),
  ]);
  const doomed = others.filter((id) => !keep.has(id));

  const dry = await ctx.steps.cleanupSnapshots({ dryRun: true, instanceId: inst.instanceId });
  const afterDry = (await listedWithTags(ctx, tags)).map((s) => s.id);
  ctx.check(
    'dry-run-deletes-nothing',
    'the dry run deletes nothing',
    dry.snapshots_deleted === 0 && taken.every((t) => afterDry.includes(t.snapshot.id)),
    `${dry.snapshots_deleted} deleted; ${afterDry.length} of ${SNAPSHOTS} still listed`
  );
  ctx.check(
    'dry-run-identifies',
    'the dry run identifies what the policy deletes',
    dry.snapshots_identified === doomed.length,
    `identified ${dry.snapshots_identified}; the policy deletes ${doomed.length}`
  );
  const real = await ctx.steps.cleanupSnapshots({ dryRun: false, instanceId: inst.instanceId });
  ctx.metric('pruneStorageFreedBytes', real.storage_freed_bytes);
  const left = (await listedWithTags(ctx, tags)).map((s) => s.id);
  const lost = [...keep].filter((id) => !left.includes(id));
  ctx.check(
    'retention-kept',
    'every snapshot the policy retains is still there',
    lost.length === 0,
    `lost: ${short(lost)}; kept ${short(left)}`
  );
  const stayed = doomed.filter((id) => left.includes(id));
  // The list decides, not the answer's count: a cleanup retried after a lost answer finds nothing left to delete.
  ctx.check(
    'prune-deleted',
    'the snapshots beyond the policy were deleted',
    stayed.length === 0,
    `still there: ${short(stayed)}; the cleanup answered ${real.snapshots_deleted} deleted`
  );
});
