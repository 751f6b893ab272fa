/**
 * Category 1 — instance lifecycle (seed scenarios 1–15). Each export is a workflow type that can be started
 * alone (`temporal workflow start --type createRtx4090Scenario --task-queue dumont-e2e --input '{}'`).
 * Simulator counterparts: `src/sim/`; defects: `src/sim/defects.ts`; defect tests: `tests/defects/`.
 */
import type { InstanceRef } from '../../activities/instances';
import { failureTypeOf } from '../saga';
import { must, runScenario, type ScenarioContext } from '../scenario-runner';
import type { ScenarioResult } from '../types';
import {
  ANY_GPU,
  chargedDuring,
  checkGpus,
  destroyAndVerify,
  inEurope,
  pauseAndVerify,
  resumeAndVerify,
} from './common';

async function boot(ctx: ScenarioContext, step: string, opts: Parameters<ScenarioContext['rent']>[1]) {
  const inst = await ctx.rent(step, opts);
  const up = await ctx.waitRunning(inst, `${step}: instance running and reachable over SSH`);
  ctx.check(`${step}: instance running and reachable over SSH`, true, `after ${Math.round(up!.platformSeconds)}s`);
  ctx.metric(`${step}BootSeconds`, up!.platformSeconds);
  return inst;
}

/** 1 — Provision an RTX 4090, verify SSH and the GPU, destroy. */
export async function createRtx4090Scenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(1, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: { gpu_name: 'RTX 4090', num_gpus: 1 } });
    ctx.check('platform reports an RTX 4090', inst.gpuName === 'RTX 4090', `gpu_name=${inst.gpuName}`);
    await checkGpus(ctx, inst, 'RTX 4090', 1);
    await destroyAndVerify(ctx, inst);
  });
}

/** 2 — Find the cheapest RTX 3080, rent it, verify price and GPU. */
export async function createCheapestRtx3080Scenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(2, input, async (ctx) => {
    const query = { gpu_name: 'RTX 3080', num_gpus: 1, limit: 100 };
    let rented: { inst: InstanceRef; price: number } | undefined;
    // Someone else may rent the cheapest offer between our search and our create: search again (3 tries).
    for (let attempt = 1; !rented; attempt++) {
      const offers = await ctx.steps.searchOffers(query);
      must(ctx.check('Dumont lists RTX 3080 offers', offers.length > 0, `${offers.length} offers`), 'no offers');
      // VAST's own search is the independent witness of what "cheapest" means.
      const market = await ctx.steps.searchVastOffers({
        gpu_name: { eq: 'RTX 3080' },
        num_gpus: { eq: 1 },
        rentable: { eq: true },
        order: [['dph_total', 'asc']],
        limit: 100,
      });
      const cheapest = Math.min(...offers.map((o) => o.dph_total), ...market.map((o) => o.dph_total));
      const first = offers[0];
      ctx.check(
        "Dumont's first offer is the cheapest RTX 3080 on the market",
        first.dph_total <= cheapest + 1e-9,
        `first offer ${first.id} at $${first.dph_total}/h; cheapest $${cheapest}/h`
      );
      const pick = offers.reduce((a, b) => (b.dph_total < a.dph_total ? b : a));
      try {
        rented = { inst: await ctx.rent('main', { offerId: pick.id }), price: pick.dph_total };
      } catch (err) {
        if (attempt >= 3 || failureTypeOf(err) !== 'NoOffer') throw err;
      }
    }
    const { inst, price } = rented;
    ctx.check(
      'instance is billed at the offer price',
      Math.abs(inst.dphTotal - price) < 1e-6,
      `offer $${price}/h, instance $${inst.dphTotal}/h`
    );
    const up = await ctx.waitRunning(inst, 'instance running and reachable over SSH');
    ctx.metric('bootSeconds', up!.platformSeconds);
    await checkGpus(ctx, inst, 'RTX 3080', 1);
    await destroyAndVerify(ctx, inst);
  });
}

/** 3 — Custom image (pytorch/pytorch): the image is the one asked for and CUDA sees the rented GPU. */
export async function createCustomImageScenario(input?: unknown): Promise<ScenarioResult> {
  const image = 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime';
  return runScenario(3, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU, image });
    ctx.check('VAST records the requested image', inst.image === image, `image_uuid=${inst.image}`);
    const probe = await ctx.ssh(
      inst,
      `python3 -c "import torch; print(torch.__version__); print(torch.cuda.is_available()); print(torch.cuda.device_count()); print(torch.cuda.get_device_name(0))"`
    );
    const [version, available, count, name] = probe.stdout.trim().split('\n');
    ctx.check(
      'torch inside the image sees CUDA and the rented GPU',
      probe.code === 0 && available === 'True' && Number(count) >= 1 && (name ?? '').includes(inst.gpuName),
      probe.code === 0
        ? `torch ${version}, cuda ${available}, ${count}x ${name}`
        : (probe.stderr.trim().split('\n').pop() ?? '')
    );
    await destroyAndVerify(ctx, inst);
  });
}

/** 4 — 2x RTX 3090: both GPUs visible inside the instance. */
export async function createMultiGpuScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(4, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: { gpu_name: 'RTX 3090', num_gpus: 2 } });
    ctx.check('platform reports 2 GPUs', inst.numGpus === 2, `num_gpus=${inst.numGpus}`);
    await checkGpus(ctx, inst, 'RTX 3090', 2);
    const torchless = await ctx.ssh(inst, 'nvidia-smi --query-gpu=name --format=csv,noheader | wc -l');
    ctx.check('nvidia-smi query counts 2 GPUs', torchless.stdout.trim() === '2', torchless.stdout.trim());
    await destroyAndVerify(ctx, inst);
  });
}

/** 5 — Force the EU region: every offer and the rented host are in Europe. */
export async function createInRegionEuScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(5, input, async (ctx) => {
    const offers = await ctx.steps.searchOffers({ region: 'EU', num_gpus: 1, limit: 100 });
    must(ctx.check('Dumont lists offers for region=EU', offers.length > 0, `${offers.length} offers`), 'no offers');
    const outside = offers.filter((o) => !inEurope(o.geolocation));
    ctx.check(
      'every offer returned for region=EU is in Europe',
      outside.length === 0,
      outside.length
        ? `outside: ${outside
            .slice(0, 5)
            .map((o) => `${o.id} ${o.geolocation}`)
            .join('; ')}`
        : `${offers.length} offers`
    );
    // Rent through the same filter (the first free offer), as a user forcing the region would.
    const inst = await boot(ctx, 'main', { query: { region: 'EU', num_gpus: 1, gpu_name: 'RTX 3090' } });
    ctx.check('VAST geolocates the rented host in Europe', inEurope(inst.geolocation), inst.geolocation);
    await destroyAndVerify(ctx, inst);
  });
}

/** 6 — Pause and resume: stopped while paused (and GPU billing stops), running again after resume. */
export async function pauseResumeScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(6, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    if (await pauseAndVerify(ctx, inst)) {
      // Storage keeps billing while paused; the GPU must not. Where the platform does not report GPU-seconds,
      // the cost must stay far below what 60 s of the GPU's hourly price would have cost.
      const paused = await chargedDuring(ctx, inst, 60);
      const gpuCost = (inst.dphTotal * 60) / 3600;
      ctx.check(
        'no GPU billing while paused',
        paused.gpuSecondsReported ? paused.gpuSeconds < 1 : paused.costUsd < 0.1 * gpuCost,
        paused.gpuSecondsReported
          ? `${Math.round(paused.gpuSeconds)} GPU-seconds billed during 60s paused`
          : `$${paused.costUsd.toFixed(6)} billed during 60s paused (GPU would cost $${gpuCost.toFixed(6)})`
      );
    }
    await resumeAndVerify(ctx, inst, 'resume: running and reachable over SSH');
    await checkGpus(ctx, inst, inst.gpuName, inst.numGpus);
    await destroyAndVerify(ctx, inst);
  });
}

/** 7 — A file written before pause is intact (md5) after resume. */
export async function pauseKeepsDataScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(7, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    const write = await ctx.ssh(
      inst,
      'mkdir -p data && head -c 1048576 /dev/urandom > data/blob.bin && md5sum data/blob.bin'
    );
    const md5 = write.stdout.split(/\s+/)[0];
    must(
      ctx.check('wrote a 1 MiB file', write.code === 0 && /^[0-9a-f]{32}$/.test(md5), md5 || write.stderr),
      'write failed'
    );
    await pauseAndVerify(ctx, inst);
    await resumeAndVerify(ctx, inst, 'resume: running and reachable over SSH');
    const read = await ctx.ssh(inst, 'md5sum data/blob.bin');
    const after = read.stdout.split(/\s+/)[0];
    ctx.check(
      'file survives pause/resume with the same md5',
      read.code === 0 && after === md5,
      `before ${md5}, after ${after || read.stderr.trim()}`
    );
    await destroyAndVerify(ctx, inst);
  });
}

/** Platform seconds a resumed instance may take to answer SSH (Dumont budgets 5 minutes for resume). */
const COLD_START_BUDGET_SECONDS = 300;

/** 8 — Resume after 5 minutes paused; measure the cold start. */
export async function resumeAfterLongPauseScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(8, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    must(await pauseAndVerify(ctx, inst), 'pause failed');
    await ctx.sleep(5 * 60);
    await ctx.steps.resumeInstance(inst.instanceId);
    const up = await ctx.waitRunning(
      inst,
      `cold start within ${COLD_START_BUDGET_SECONDS}s`,
      COLD_START_BUDGET_SECONDS
    );
    ctx.metric('coldStartSeconds', up!.platformSeconds);
    ctx.check(`cold start within ${COLD_START_BUDGET_SECONDS}s`, true, `SSH after ${Math.round(up!.platformSeconds)}s`);
    await checkGpus(ctx, inst, inst.gpuName, inst.numGpus);
    await destroyAndVerify(ctx, inst);
  });
}

/** 9 — Three pause/resume cycles: each one stops, comes back, keeps data and GPU. */
export async function pauseResumeCyclesScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(9, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    await ctx.ssh(inst, 'echo stable > marker.txt');
    for (let cycle = 1; cycle <= 3; cycle++) {
      must(await pauseAndVerify(ctx, inst, `cycle ${cycle}: platform reports stopped`), `cycle ${cycle} pause`);
      const up = await resumeAndVerify(ctx, inst, `cycle ${cycle}: running and reachable over SSH`);
      ctx.metric(`cycle${cycle}ColdStartSeconds`, up.platformSeconds);
      const probe = await ctx.ssh(inst, 'cat marker.txt && nvidia-smi -L | wc -l');
      const [marker, gpus] = probe.stdout.trim().split('\n');
      ctx.check(
        `cycle ${cycle}: data and GPUs intact`,
        marker === 'stable' && Number(gpus) === inst.numGpus,
        `marker=${marker ?? ''} gpus=${gpus ?? ''}`
      );
    }
    await destroyAndVerify(ctx, inst);
  });
}

/** 10 — Pause while a process runs: the process stops with the pause, what it wrote persists. */
export async function pauseDuringProcessScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(10, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    const start = await ctx.ssh(
      inst,
      [
        `nohup bash -c 'i=0; while true; do i=$((i+1)); echo $i > counter.txt; echo $i >> progress.log; sleep 0.05; done' >/dev/null 2>&1 &`,
        'echo $! > worker.pid',
        // wait for the worker to make progress (bounded), then report where it is
        'for _ in $(seq 200); do [ "$(cat counter.txt 2>/dev/null || echo 0)" -ge 5 ] && break; sleep 0.05; done',
        'cat counter.txt',
      ].join('\n')
    );
    const before = Number(start.stdout.trim());
    must(
      ctx.check('background process is making progress before the pause', before >= 5, `counter=${before}`),
      'no progress'
    );
    must(await pauseAndVerify(ctx, inst), 'pause failed');
    await resumeAndVerify(ctx, inst, 'resume: running and reachable over SSH');
    const probe = await ctx.ssh(
      inst,
      [
        'a=$(cat counter.txt); sleep 1; b=$(cat counter.txt)',
        // a zombie (killed, not yet reaped) counts as stopped: only a running or sleeping process is alive
        'case "$(ps -o stat= -p "$(cat worker.pid)" 2>/dev/null)" in ""|Z*) alive=no ;; *) alive=yes ;; esac',
        'echo "$a $b $alive $(tail -n 1 progress.log)"',
      ].join('\n')
    );
    const [a, b, alive, lastLogged] = probe.stdout.trim().split(/\s+/);
    ctx.check(
      'the process did not survive the pause',
      alive === 'no' && a === b,
      `alive=${alive}, counter ${a} then ${b}`
    );
    ctx.check(
      'progress written before the pause persists and is consistent',
      Number(a) >= before && lastLogged === a,
      `counter ${a} (was ${before} before pause), last log line ${lastLogged}`
    );
    await destroyAndVerify(ctx, inst);
  });
}

/** 11 — Destroy a running instance at once: gone everywhere, billing stops. */
export async function destroyRunningScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(11, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    const row = await ctx.steps.getInstance(inst.instanceId);
    ctx.check(
      'platform reports running before destroy',
      row?.actual_status === 'running',
      `actual_status=${row?.actual_status}`
    );
    if (!(await destroyAndVerify(ctx, inst))) return;
    const after = await chargedDuring(ctx, inst, 60);
    ctx.check('no charges accrue after destroy', after.costUsd < 1e-9, `$${after.costUsd.toFixed(6)} in 60s`);
  });
}

/** 12 — Destroy an instance while it is paused. */
export async function destroyPausedScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(12, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU });
    must(await pauseAndVerify(ctx, inst), 'pause failed');
    await destroyAndVerify(ctx, inst, 'paused instance');
  });
}

/** 13 — Destroy an instance with a large disk: no volume left, no residual storage cost. */
export async function destroyCleansStorageScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(13, input, async (ctx) => {
    const inst = await boot(ctx, 'main', { query: ANY_GPU, diskGb: 500 });
    ctx.check('platform reports the large disk', inst.diskGb >= 500, `disk_space=${inst.diskGb}`);
    must(await destroyAndVerify(ctx, inst), 'destroy failed');
    const left = await ctx.steps.listByLabel({ labelPrefix: inst.label });
    ctx.check('no volume left behind', left.volumes.length === 0, left.volumes.join('; ') || 'none');
    const after = await chargedDuring(ctx, inst, 120);
    ctx.check(
      'no residual storage cost after destroy',
      after.costUsd < 1e-9 && after.storageGbSeconds < 1,
      `$${after.costUsd.toFixed(6)} and ${Math.round(after.storageGbSeconds)} GB-seconds in 120s`
    );
  });
}

/** 14 — Create, destroy, and rent the very same offer again. */
export async function recreateSameOfferScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(14, input, async (ctx) => {
    const query = { gpu_name: 'RTX 4090', num_gpus: 1, limit: 100 };
    const offers = await ctx.steps.searchOffers(query);
    must(ctx.check('Dumont lists RTX 4090 offers', offers.length > 0, `${offers.length} offers`), 'no offers');
    // The priciest one: concurrent scenarios rent the cheapest first, and must not take "our" offer meanwhile.
    const offer = offers[offers.length - 1];
    const first = await boot(ctx, 'first', { offerId: offer.id });
    must(await destroyAndVerify(ctx, first, 'first instance'), 'destroy failed');
    const back = await ctx.steps.waitForOffer({
      offerId: offer.id,
      query,
      timeoutSeconds: 120,
      timeScale: ctx.timeScale,
    });
    must(ctx.check(`offer ${offer.id} is back on the market after destroy`, back.available, ''), 'offer not released');
    // Renting a fixed offer fails (NoOffer) unless the platform really rents it again.
    const second = await boot(ctx, 'second', { offerId: offer.id });
    await checkGpus(ctx, second, 'RTX 4090', 1);
    await destroyAndVerify(ctx, second, 'second instance');
  });
}

/** 15 — Create three instances and destroy them all in parallel. */
export async function destroyBatchScenario(input?: unknown): Promise<ScenarioResult> {
  return runScenario(15, input, async (ctx) => {
    const batch = await Promise.all(
      ['batch-1', 'batch-2', 'batch-3'].map((step) => boot(ctx, step, { query: ANY_GPU }))
    );
    await Promise.all(batch.map((inst) => ctx.steps.destroyInstance(inst.instanceId)));
    const gone = await Promise.all(
      batch.map((inst) =>
        ctx.steps.waitUntilGone({ instanceId: inst.instanceId, timeoutSeconds: 120, timeScale: ctx.timeScale })
      )
    );
    batch.forEach((inst, i) =>
      ctx.check(
        `instance ${i + 1} of 3 (${inst.instanceId}) gone after the parallel destroy`,
        gone[i].gone,
        gone[i].gone ? '' : `still listed at ${gone[i].seenAt.join(' and ')}`
      )
    );
  });
}
