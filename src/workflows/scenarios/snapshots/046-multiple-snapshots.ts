import { ANY_GPU, boot, defineScenario } from '../../kit';
import {
  compareManifests,
  DATASET_FILES,
  describeDiff,
  listedWithTags,
  readManifest,
  restore,
  takeSnapshot,
  writeFiles,
  type Manifest,
  type Taken,
} from './helpers';

const ROUNDS = 3;

/** 46 — Three sequential snapshots are all kept, distinct, listed in order, each with its own contents. */
export const multipleSnapshotsScenario = defineScenario(46, 'multiple-snapshots', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const taken: { step: string; snap: Taken; files: Manifest }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Each round rewrites one file, so every snapshot has contents of its own.
    await writeFiles(ctx, inst, [{ path: 'models/weights-b.bin', bytes: 1000 * round }], `data-round-${round}`);
    const files = await readManifest(ctx, inst);
    const step = `snap-${round}`;
    taken.push({ step, snap: await takeSnapshot(ctx, inst, step), files });
  }
  const ids = taken.map((t) => t.snap.snapshot.id);
  ctx.check(
    'snapshots-distinct',
    `the ${ROUNDS} snapshots have distinct ids`,
    new Set(ids).size === ROUNDS,
    ids.map((i) => i.slice(0, 8)).join(', ')
  );
  const listed = await listedWithTags(
    ctx,
    taken.map((t) => ctx.label(t.step))
  );
  const listedIds = listed.map((s) => s.id);
  ctx.check(
    'snapshots-kept',
    `all ${ROUNDS} snapshots are kept and listed once each`,
    ids.every((id) => listedIds.filter((l) => l === id).length === 1) && listedIds.length === ROUNDS,
    `listed: ${listedIds.map((i) => i.slice(0, 8)).join(', ') || 'none'}; taken: ${ids.map((i) => i.slice(0, 8)).join(', ')}`
  );
  const times = ids.map((id) => listed.find((s) => s.id === id)?.timeMs ?? NaN);
  ctx.check(
    'listed-in-order',
    'their times follow the order they were taken',
    times.every((t, i) => Number.isFinite(t) && (i === 0 || t > times[i - 1])),
    times.map((t) => (Number.isFinite(t) ? new Date(t).toISOString() : 'missing')).join(' < ')
  );
  const diffs: string[] = [];
  for (const [i, t] of taken.entries()) {
    if (!listedIds.includes(t.snap.snapshot.id)) {
      diffs.push(`${t.step}: not listed`);
      continue;
    }
    const dir = `restore-${i + 1}`;
    await restore(ctx, inst, t.snap.snapshot, `${t.step}-restored`, { targetPath: `/workspace/${dir}` });
    const d = compareManifests(t.files, await readManifest(ctx, inst, dir));
    if (d.missing.length + d.extra.length + d.changed.length > 0) diffs.push(`${t.step}: ${describeDiff(d)}`);
  }
  ctx.check(
    'each-own-contents',
    'each snapshot restores the contents it was taken with',
    diffs.length === 0,
    diffs.join('; ') || 'all match'
  );
});
