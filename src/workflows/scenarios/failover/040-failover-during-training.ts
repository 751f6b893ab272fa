import { defineScenario, must, type ScenarioContext } from '../../kit';
import {
  awaitRecord,
  bootGpu,
  FAILOVER_BUDGET,
  fo,
  onEndpoint,
  onInstance,
  probeOn,
  provisionStandby,
  runOn,
  startSyncAndWait,
  syncAfterNow,
  type Machine,
} from './helpers';

/**
 * A training-like process: resumes from `checkpoints/latest.json` when there is one, then takes a step every 20 ms
 * and writes a checkpoint (a weights file and the step) every 5 steps, atomically, keeping the last three. Its log
 * says where it started, and on which kind of machine.
 */
const TRAIN = `import json, os, subprocess, time
home = os.path.expanduser('~')
ck = os.path.join(home, 'checkpoints')
os.makedirs(ck, exist_ok=True)
latest = os.path.join(ck, 'latest.json')
step = 0
if os.path.exists(latest):
    step = json.load(open(latest))['step']
gpu = subprocess.run(['sh', '-c', 'nvidia-smi -L'], capture_output=True).returncode == 0
log = open(os.path.join(home, 'train.log'), 'a')
log.write('start step=%d gpu=%s\\n' % (step, 'yes' if gpu else 'no'))
log.flush()
while True:
    time.sleep(0.02)
    step += 1
    if step % 5 == 0:
        weights = os.path.join(ck, 'step-%06d.pt' % step)
        with open(weights + '.tmp', 'wb') as f:
            f.write(os.urandom(4096))
        os.replace(weights + '.tmp', weights)
        with open(latest + '.tmp', 'w') as f:
            json.dump({'step': step}, f)
        os.replace(latest + '.tmp', latest)
        old = os.path.join(ck, 'step-%06d.pt' % (step - 15))
        if os.path.exists(old):
            os.remove(old)
`;

const ONSTART = '[ -f ~/train.py ] && nohup python3 ~/train.py > /dev/null 2>&1 &';

/** The step of the last checkpoint on `m`, or undefined. */
async function checkpointStep(ctx: ScenarioContext, m: Machine): Promise<number | undefined> {
  const res = await probeOn(ctx, m, 'cat checkpoints/latest.json 2>/dev/null');
  const m2 = /"step":\s*(\d+)/.exec(res.stdout);
  return m2 ? Number(m2[1]) : undefined;
}

/**
 * 40 — Failover during training: a training process writes checkpoints on the GPU; the GPU's host fails mid-run; on
 * the standby, training resumes from the last synced checkpoint (its step number), not from zero, and goes on.
 */
export const failoverDuringTrainingScenario = defineScenario(40, 'failover-during-training', async (ctx) => {
  const gpu = await bootGpu(ctx, 'gpu', { onstart: ONSTART });
  const started = await runOn(
    ctx,
    onInstance(gpu),
    'start-training',
    `cat > train.py <<'PYEOF'\n${TRAIN}PYEOF\n${ONSTART}\necho started`
  );
  must(
    ctx.check('training-started', 'training started on the GPU', started.stdout.includes('started'), started.stderr),
    'no training'
  );
  const standby = await provisionStandby(ctx, gpu);
  await startSyncAndWait(ctx, standby);
  // Training has written checkpoints; a sync that starts after we read the GPU's step holds at least that step.
  let atGpu: number | undefined;
  for (let i = 0; i < 20 && (atGpu ?? 0) < 10; i++) {
    await ctx.sleep(5);
    atGpu = await checkpointStep(ctx, onInstance(gpu));
  }
  must(
    ctx.check(
      'checkpoints-written',
      'training wrote checkpoints on the GPU',
      (atGpu ?? 0) >= 10,
      `step ${atGpu ?? 'none'}`
    ),
    'no checkpoints'
  );
  ctx.metric('checkpointStepBeforeSync', atGpu!);
  await syncAfterNow(ctx, standby);
  const failure = await fo(ctx).simulateFailure({ gpuInstanceId: gpu.instanceId, reason: 'spot_interruption' });
  await awaitRecord(ctx, failure.failover_id, {
    check: 'failover-completed',
    name: 'the platform detected the failure and failed over to the standby',
    budgetSeconds: FAILOVER_BUDGET,
  });
  const service = onEndpoint(standby.service, 'the service endpoint');
  let resumed: number | undefined;
  for (let i = 0; i < 20 && resumed === undefined; i++) {
    const log = await probeOn(ctx, service, "grep 'gpu=no' train.log | tail -n 1");
    const m = /start step=(\d+) gpu=no/.exec(log.stdout);
    if (m) resumed = Number(m[1]);
    else await ctx.sleep(2);
  }
  must(
    ctx.check(
      'training-resumed',
      'training started again on the standby',
      resumed !== undefined,
      resumed !== undefined ? `at step ${resumed}` : 'no start on the standby in train.log'
    ),
    'not resumed'
  );
  ctx.metric('resumedFromStep', resumed!);
  ctx.check(
    'resumed-from-checkpoint',
    'training resumed from the last synced checkpoint, not from zero',
    resumed! > 0 && resumed! >= atGpu!,
    `resumed at step ${resumed}; the GPU had reached step ${atGpu} before the last sync`
  );
  await ctx.sleep(10);
  const later = await checkpointStep(ctx, service);
  ctx.check(
    'training-progresses',
    'training goes on writing checkpoints on the standby',
    later !== undefined && later > resumed!,
    `checkpoint step ${later ?? 'none'} (resumed at ${resumed})`
  );
});
