import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { pauseByIdleness, wakeAndMeasure } from './helpers';

const MODEL = 'tinyllama';
const PROMPT = 'Say hello in one word';
/** Starts Ollama's server in the background and waits (bounded) until it answers. */
const SERVE = [
  'nohup ollama serve > ollama.log 2>&1 &',
  'for i in $(seq 300); do ollama list > /dev/null 2>&1 && break; sleep 0.1; done',
].join('\n');

/** 27 — A model pulled with Ollama survives pause and wake: listed, answering the same, never pulled again. */
export const coldStartWithModelScenario = defineScenario(27, 'cold-start-with-model', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const first = await ctx.run(
    inst,
    `${SERVE}\nollama pull ${MODEL} > pull.out 2>&1\nollama run ${MODEL} "${PROMPT}"`,
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
  await pauseByIdleness(ctx, inst, 'economic', 'auto-paused');
  const woke = await wakeAndMeasure(ctx, inst);
  must(
    ctx.check('woke', 'reachable over SSH after wake', woke.measured !== undefined, woke.note ?? woke.status),
    'no wake'
  );
  ctx.metric('coldStartSeconds', woke.measured!);
  // Auto-pause has done its part; off now, so the next idle moment does not pause the checks below.
  await ctx.steps.disableServerless({ instanceId: inst.instanceId });
  // Disabling resumes an instance the platform paused meanwhile: wait until it is reachable again.
  await ctx.waitRunning(inst, {
    check: 'running-after-disable',
    name: 'running and reachable after disable',
    budgetSeconds: 600,
  });
  // The model must still be on disk: listed BEFORE anything could pull it again.
  const again = await ctx.run(inst, `${SERVE}\nollama list\necho ---\nollama run ${MODEL} "${PROMPT}"`, 900);
  const [listed, answer] = again.stdout.split('\n---\n');
  ctx.check(
    'model-kept',
    `${MODEL} is still on the instance after pause and wake`,
    (listed ?? '').includes(MODEL),
    (listed ?? '').trim().split('\n').slice(1).join('; ') || 'no model listed'
  );
  ctx.check(
    'same-answer',
    'the model answers as before',
    (answer ?? '').trim() === before,
    `before "${before}", after "${(answer ?? '').trim()}"`
  );
  const pulls = await ctx.probe(inst, 'grep -c \'"downloaded_bytes":[1-9]\' ~/.ollama/pull.log || true');
  ctx.check(
    'no-second-pull',
    'the model was downloaded once',
    pulls.stdout.trim() === '1',
    `${pulls.stdout.trim()} download(s)`
  );
  await destroyAndVerify(ctx, inst);
});
