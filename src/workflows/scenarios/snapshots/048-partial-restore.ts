import { ANY_GPU, boot, defineScenario } from '../../kit';
import {
  compareManifests,
  DATASET_FILES,
  describeDiff,
  readManifest,
  restore,
  takeSnapshot,
  writeFiles,
  type Manifest,
} from './helpers';

/** The directory restored; everything else must stay as the instance has it. */
const RESTORED_DIR = 'models';

const under = (m: Manifest, inside: boolean): Manifest =>
  Object.fromEntries(Object.entries(m).filter(([p]) => p.startsWith(`${RESTORED_DIR}/`) === inside));

/** 48 — Restore one directory of a snapshot: it comes back, and nothing else in the workspace is written. */
export const partialRestoreScenario = defineScenario(48, 'partial-restore', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const snapped = await readManifest(ctx, inst);
  const taken = await takeSnapshot(ctx, inst, 'snap');
  // Change files inside and outside the directory after the snapshot.
  await writeFiles(
    ctx,
    inst,
    [
      { path: `${RESTORED_DIR}/weights-a.bin`, bytes: 1_000 },
      { path: 'data/eval.bin', bytes: 1_000 },
    ],
    'data-modified'
  );
  const local = await readManifest(ctx, inst);
  await restore(ctx, inst, taken.snapshot, 'restore-succeeded', { include: [RESTORED_DIR] });
  const after = await readManifest(ctx, inst);
  const inside = compareManifests(under(snapped, true), under(after, true));
  ctx.check(
    'dir-restored',
    `${RESTORED_DIR}/ is back as it was in the snapshot`,
    inside.missing.length + inside.changed.length + inside.extra.length === 0,
    describeDiff(inside)
  );
  const outside = compareManifests(under(local, false), under(after, false));
  ctx.check(
    'others-untouched',
    `nothing outside ${RESTORED_DIR}/ was written by the restore`,
    outside.missing.length + outside.changed.length + outside.extra.length === 0,
    describeDiff(outside)
  );
});
