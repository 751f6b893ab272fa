/** The scale benchmark's worker process (see scale-worker.cjs): one worker, workflows and activities together. */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

export async function main([address, taskQueue, codePath, maxCached]: string[]): Promise<void> {
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
