/**
 * The scale benchmark's worker, in its own process so its memory is its own: one worker, workflows and activities
 * together. `node --require tsx/cjs bench/scale-worker.ts <address> <taskQueue> <bundle.js>`; prints `ready`, then
 * `activities <count>` lines.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main([address, taskQueue, codePath, maxCached]: string[]): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let count = 0;
  const connection = await NativeConnection.connect({ address: address! });
  const worker = await Worker.create({
    connection,
    taskQueue: taskQueue!,
    workflowBundle: { codePath: codePath! },
    activities: {
      async emptyActivity() {
        count += 1;
        return 1;
      },
    },
    ...(maxCached ? { maxCachedWorkflows: Number(maxCached) } : {}),
  });
  const report = setInterval(() => process.stdout.write(`activities ${count}\n`), 200);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  process.stdout.write('ready\n');
  await worker.run();
  clearInterval(report);
  await connection.close();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
