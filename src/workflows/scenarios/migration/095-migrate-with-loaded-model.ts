import { ANY_GPU, boot, defineScenario, DESTROY_BUDGET_SECONDS, must } from '../../kit';

const MODEL = 'tinyllama';
const PROMPT = 'Say hello in one word';
/** The model server the instance starts at every start: the platform must keep it serving on the new instance. */
const SERVE = 'nohup ollama serve > ollama.log 2>&1 &';
const ASK = `ollama run ${MODEL} "${PROMPT}" </dev/null`;
/** The longest a client may go without an answer during the migration, platform seconds. */
const MAX_GAP_SECONDS = 60;

/** 95 — Migrate while a model answers requests: it keeps answering on the new instance; the longest gap is measured. */
export const migrateWithLoadedModelScenario = defineScenario(95, 'migrate-with-loaded-model', async (ctx) => {
  const source = await boot(ctx, 'main', { query: ANY_GPU, onstart: SERVE });
  const first = await ctx.run(
    source,
    `for i in $(seq 300); do ollama list >/dev/null 2>&1 && break; sleep 0.1; done\nollama pull ${MODEL} > pull.out 2>&1\n${ASK}`,
    900
  );
  const before = first.stdout.trim();
  must(
    ctx.check(
      'model-answers',
      `${MODEL} pulled and answering`,
      first.code === 0 && before.length > 0,
      before || first.stderr.trim()
    ),
    'no model'
  );
  const served = await ctx.steps.migrateWhileServing({
    suiteId: ctx.suiteId,
    instanceId: source.instanceId,
    label: source.label,
    body: { target_type: 'gpu', gpu_name: source.gpuName, max_price: 2.0 },
    probe: ASK,
    intervalMs: Math.max(50, Math.round(1000 * ctx.timeScale)),
    afterMs: Math.max(5_000, Math.round(2 * MAX_GAP_SECONDS * 1000 * ctx.timeScale)),
  });
  const m = served.migration;
  must(
    ctx.check(
      'migrated',
      'the migration completed onto a new instance',
      m.success && m.target !== null,
      m.success ? `instance ${m.target?.instanceId}; steps ${m.steps.join(', ')}` : `failed: ${m.error}`
    ),
    'not migrated'
  );
  ctx.metric('migrationSeconds', m.realMs / 1000 / ctx.timeScale);
  ctx.check(
    'model-answers-after',
    'the model answers on the new instance, as before',
    served.newAnswered && served.lastAnswer === before,
    served.newAnswered
      ? `"${served.lastAnswer}"`
      : `no answer from instance ${m.target?.instanceId} (${served.answers} answer(s) in all)`
  );
  const gap = served.longestGapMs / 1000 / ctx.timeScale;
  // A gap is only seen to the nearest round of asking (list, SSH login, answer): that round is the measurement's
  // resolution, in real time, whatever the simulator's clock.
  const resolution = served.longestRoundMs / 1000 / ctx.timeScale;
  ctx.metric('servingGapSeconds', gap);
  ctx.limit({
    id: 'serving-gap',
    what: 'longest time without an answer',
    measured: gap,
    op: '<=',
    limit: MAX_GAP_SECONDS + resolution,
    unit: 's',
    note: `${served.answers} answer(s); measured to within ${Math.round(resolution)} s (one round of asking)`,
  });
  const gone = await ctx.steps.waitUntilGone({
    instanceId: source.instanceId,
    ...(await ctx.window(DESTROY_BUDGET_SECONDS)),
  });
  ctx.check(
    'source-gone',
    'the source instance is destroyed',
    gone.gone,
    gone.gone ? 'gone' : `still at ${gone.seenAt.join(', ')}`
  );
});
