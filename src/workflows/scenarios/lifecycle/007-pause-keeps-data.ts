import { ANY_GPU, boot, defineScenario, destroyAndVerify, must, pauseAndVerify, resumeAndVerify } from '../../kit';

/** 7 — A file written before pause is intact (md5) after resume. */
export const pauseKeepsDataScenario = defineScenario(7, 'pause-keeps-data', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const write = await ctx.run(
    inst,
    'mkdir -p data && head -c 1048576 /dev/urandom > data/blob.bin && md5sum data/blob.bin'
  );
  const md5 = write.stdout.split(/\s+/)[0];
  must(
    ctx.check(
      'data-written',
      'wrote a 1 MiB file',
      write.code === 0 && /^[0-9a-f]{32}$/.test(md5),
      md5 || write.stderr
    ),
    'write failed'
  );
  must(await pauseAndVerify(ctx, inst), 'pause failed');
  await resumeAndVerify(ctx, inst, 'resumed', 'resume: running and reachable over SSH');
  const read = await ctx.probe(inst, 'md5sum data/blob.bin');
  const after = read.stdout.split(/\s+/)[0];
  ctx.check(
    'data-intact',
    'file survives pause/resume with the same md5',
    read.code === 0 && after === md5,
    `before ${md5}, after ${after || read.stderr.trim()}`
  );
  await destroyAndVerify(ctx, inst);
});
