import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, logsOf, recordJobMetrics, submitJob } from './helpers';

/** GPUs the distributed job asks for (the seed: 2). */
const GPUS = 2;

/** One rank of the training: which GPU it holds, then that it finished. */
const TRAIN = `cat > train.py <<'PY'
import os, sys, torch
rank = int(os.environ["LOCAL_RANK"])
world = int(os.environ["WORLD_SIZE"])
name = torch.cuda.get_device_name(rank)
# One write per line: the ranks share the job's output, and print() writes the line and its newline apart.
sys.stdout.write(f"rank {rank} world {world} device cuda:{rank} {name}\\n")
sys.stdout.flush()
sys.stdout.write(f"rank {rank} finished\\n")
sys.stdout.flush()
PY
torchrun --standalone --nproc_per_node=${GPUS} train.py`;

/** 61 — A distributed job on two GPUs runs two ranks, each on its own GPU, and both finish. */
export const jobMultiGpuScenario = defineScenario(61, 'job-multi-gpu', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', { command: TRAIN, num_gpus: GPUS });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  const logs = await logsOf(ctx, job);
  const ranks = new Map<number, string>();
  for (const l of logs.split('\n')) {
    const m = /^rank (\d+) world (\d+) device (cuda:\d+)/.exec(l.trim());
    if (m && Number(m[2]) === GPUS) ranks.set(Number(m[1]), m[3]);
  }
  const finished = [...ranks.keys()].filter((r) => logs.includes(`rank ${r} finished`));
  const devices = new Set(ranks.values());
  ctx.check(
    'two-ranks-two-gpus',
    `${GPUS} ranks ran, each on its own GPU, and all finished`,
    ranks.size === GPUS && devices.size === GPUS && finished.length === GPUS,
    `${ranks.size} rank(s) of world ${GPUS} on ${[...devices].join(', ') || 'no GPU'}; ${finished.length} finished`
  );
  recordJobMetrics(ctx, job);
});
