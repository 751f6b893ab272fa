import { boot, defineScenario, listGpus } from '../../kit';
import {
  compareManifests,
  DATASET_FILES,
  describeDiff,
  readManifest,
  restore,
  takeSnapshot,
  writeFiles,
} from './helpers';

const SOURCE_GPU = 'RTX 3080';
const TARGET_GPU = 'RTX 4090';

/** 49 — A snapshot taken on an RTX 3080 restores completely onto an RTX 4090. */
export const restoreDifferentGpuScenario = defineScenario(49, 'restore-different-gpu', async (ctx) => {
  const source = await boot(ctx, 'source', { query: { gpu_name: SOURCE_GPU, num_gpus: 1 } });
  const target = await boot(ctx, 'target', { query: { gpu_name: TARGET_GPU, num_gpus: 1 } });
  const [seen, seenTarget] = [await listGpus(ctx, source), await listGpus(ctx, target)];
  ctx.check(
    'gpu-models',
    `the source shows an ${SOURCE_GPU} and the target an ${TARGET_GPU}`,
    seen.some((l) => l.includes(SOURCE_GPU)) && seenTarget.some((l) => l.includes(TARGET_GPU)),
    `source: ${seen.join('; ') || 'none'} | target: ${seenTarget.join('; ') || 'none'}`
  );
  await writeFiles(ctx, source, DATASET_FILES);
  const files = await readManifest(ctx, source);
  const taken = await takeSnapshot(ctx, source, 'snap');
  await restore(ctx, target, taken.snapshot, 'restore-accepted');
  const diff = compareManifests(files, await readManifest(ctx, target));
  ctx.check(
    'files-restored',
    `every file is on the ${TARGET_GPU} with its MD5`,
    diff.missing.length + diff.changed.length === 0,
    describeDiff(diff)
  );
});
