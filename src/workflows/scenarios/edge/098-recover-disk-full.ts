import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { diskUse, smallWrite } from './disk';

/** The smallest disk Dumont rents (GB): the quickest to fill. */
const DISK_GB = 10;

/** 98 — Fill the disk: writes fail and df shows it full; clean it: the space and the instance's writes come back. */
export const recoverDiskFullScenario = defineScenario(98, 'recover-disk-full', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU, diskGb: DISK_GB });
  const before = await diskUse(ctx, inst);
  // Writes until the disk refuses: dd ends with an error once nothing more fits.
  const fill = await ctx.run(inst, 'dd if=/dev/zero of="$HOME/fill.bin" bs=1M', 1800);
  ctx.check(
    'fill-refused',
    'filling the disk ends in a write error',
    fill.outcome === 'completed' && fill.code !== 0,
    `${fill.outcome}, exit ${fill.code}: ${fill.stderr.trim().split('\n').slice(-1)[0] ?? ''}`
  );
  const full = await diskUse(ctx, inst);
  ctx.metric('diskUsePercentFull', full ?? -1);
  ctx.check(
    'full-visible',
    'df shows the disk full',
    full !== null && full >= 99,
    `df ${full ?? '?'}% (before ${before ?? '?'}%)`
  );
  const refused = await smallWrite(ctx, inst, 'while-full.txt');
  ctx.check(
    'write-fails-when-full',
    'a small write fails while the disk is full',
    !refused.ok,
    refused.detail || 'written'
  );
  // Idempotent, so a probe: a run could not record its outcome on a full disk.
  await ctx.probe(inst, 'rm -f "$HOME/fill.bin" "$HOME/while-full.txt"');
  const after = await diskUse(ctx, inst);
  ctx.metric('diskUsePercentAfterCleanup', after ?? -1);
  ctx.check(
    'space-recovered',
    'df shows the space back after cleanup',
    after !== null && before !== null && after <= before + 1,
    `df ${after ?? '?'}% (before ${before ?? '?'}%)`
  );
  const works = await smallWrite(ctx, inst, 'after-cleanup.txt');
  ctx.check('works-after-cleanup', 'the instance writes again after cleanup', works.ok, works.detail || 'nothing');
  await destroyAndVerify(ctx, inst);
});
