import { ANY_GPU, boot, defineScenario } from '../../kit';
import { DATASET_FILES, DATASET_PATH, listedWithTags, takeSnapshot, writeFiles } from './helpers';

/** Snapshots of different paths, so each listed row can be told apart by its path as well as its tag. */
const SOURCES = [`${DATASET_PATH}/models`, `${DATASET_PATH}/data`, DATASET_PATH];

/** 51 — The snapshot list holds every snapshot taken, once, with its tag and path. */
export const listSnapshotsScenario = defineScenario(51, 'list-snapshots', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const taken = [];
  for (const [i, sourcePath] of SOURCES.entries()) {
    const step = `snap-${i + 1}`;
    taken.push({ step, sourcePath, snap: await takeSnapshot(ctx, inst, step, { sourcePath }) });
  }
  const listed = await listedWithTags(
    ctx,
    taken.map((t) => ctx.label(t.step))
  );
  const problems = taken.flatMap((t) => {
    const rows = listed.filter((s) => s.id === t.snap.snapshot.id);
    if (rows.length !== 1) return [`${t.step} listed ${rows.length} times`];
    const row = rows[0];
    const bad = [];
    if (!row.tags.includes(ctx.label(t.step))) bad.push(`${t.step} lacks its tag`);
    if (!row.paths.includes(t.sourcePath)) bad.push(`${t.step} paths ${row.paths.join(',')} ≠ ${t.sourcePath}`);
    return bad;
  });
  if (listed.length !== taken.length) problems.push(`${listed.length} row(s) for ${taken.length} snapshot(s)`);
  ctx.check(
    'list-complete',
    'every snapshot is listed once, with its tag and path',
    problems.length === 0,
    problems.join('; ') || `${listed.length} row(s), all correct`
  );
});
