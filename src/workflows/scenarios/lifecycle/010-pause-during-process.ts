import { ANY_GPU, boot, defineScenario, destroyAndVerify, must, pauseAndVerify, resumeAndVerify } from '../../kit';

/** 10 — Pause while a process runs: it does not survive the pause, and what it wrote before persists. */
export const pauseDuringProcessScenario = defineScenario(10, 'pause-during-process', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const start = await ctx.run(
    inst,
    [
      // The counter is replaced atomically (write, then rename): a reader never sees it empty mid-write. The log
      // is appended first, so a kill between the two leaves the log at most one step ahead, never behind.
      `nohup bash -c 'i=0; while true; do i=$((i+1)); echo $i >> progress.log; echo $i > counter.tmp; mv counter.tmp counter.txt; sleep 0.05; done' >/dev/null 2>&1 &`,
      'echo $! > worker.pid',
      // wait for the worker to make progress (bounded), then report where it is
      'for _ in $(seq 200); do [ "$(cat counter.txt 2>/dev/null || echo 0)" -ge 5 ] && break; sleep 0.05; done',
      'cat counter.txt',
    ].join('\n')
  );
  const before = Number(start.stdout.trim());
  must(
    ctx.check(
      'process-started',
      'background process is making progress before the pause',
      before >= 5,
      `counter=${before}`
    ),
    'no progress'
  );
  must(await pauseAndVerify(ctx, inst), 'pause failed');
  await resumeAndVerify(ctx, inst, 'resumed', 'resume: running and reachable over SSH');
  const probe = await ctx.probe(
    inst,
    [
      'a=$(cat counter.txt); sleep 1; b=$(cat counter.txt)',
      // a zombie (killed, not yet reaped) counts as stopped: only a running or sleeping process is alive
      'case "$(ps -o stat= -p "$(cat worker.pid)" 2>/dev/null)" in ""|Z*) alive=no ;; *) alive=yes ;; esac',
      'echo "a=$a b=$b alive=$alive last=$(tail -n 1 progress.log)"',
    ].join('\n')
  );
  // Named fields: a counter read while the process rewrites the file can be empty.
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(probe.stdout)?.[1] ?? '';
  const [a, b, alive, lastLogged] = ['a', 'b', 'alive', 'last'].map(field);
  ctx.check(
    'process-stopped',
    'the process did not survive the pause',
    alive === 'no' && a === b,
    `alive=${alive}, counter ${a} then ${b}`
  );
  ctx.check(
    'progress-persisted',
    'progress written before the pause persists and is consistent',
    Number(a) >= before && [0, 1].includes(Number(lastLogged) - Number(a)),
    `counter ${a} (was ${before} before pause), last log line ${lastLogged}`
  );
  await destroyAndVerify(ctx, inst);
});
