import { ANY_GPU, boot, defineScenario } from '../../kit';
import { checkDataMigrated, DATASET_FILES, migrateAndVerify, readManifest, writeFiles } from './helpers';

/** 93 — Migrate keeping the SSH endpoint: after the move the same host and port reach the new instance. */
export const migratePreservingIpScenario = defineScenario(93, 'migrate-preserving-ip', async (ctx) => {
  const source = await boot(ctx, 'main', { query: ANY_GPU });
  const before = await ctx.steps.getInstance(source.instanceId);
  await writeFiles(ctx, source, DATASET_FILES);
  const files = await readManifest(ctx, source);
  const { target, endpoint } = await migrateAndVerify(ctx, source, {
    target_type: 'gpu',
    gpu_name: source.gpuName,
    max_price: 2.0,
    keep_ssh_endpoint: true,
  });
  const was = `${before?.ssh_host}:${before?.ssh_port}`;
  const now = `${endpoint.host}:${endpoint.port}`;
  ctx.check(
    'same-endpoint',
    'the migrated instance keeps the SSH host and port',
    was === now && !!before?.ssh_port,
    `before ${was}, after ${now}`
  );
  // Whatever answers there must be the new machine, with the data.
  const who = await ctx.probe(target, 'echo "$CONTAINER_ID"');
  ctx.check(
    'reached-new-instance',
    'the endpoint reaches the new instance',
    who.stdout.trim() === String(target.instanceId),
    `CONTAINER_ID=${who.stdout.trim() || '?'} (new ${target.instanceId})`
  );
  await checkDataMigrated(ctx, target, files);
});
