import { patched, workflowInfo } from '@temporalio/workflow';
import { ANY_GPU, boot, defineScenario, destroyAndVerify, must, type ScenarioContext } from '../../kit';
import type { InstanceRef } from '../../../activities/instances';
import { pauseByIdleness, wakeAndMeasure } from './helpers';

/**
 * Wakes per mode. A single wake can land on a slow host or a late SSH port (transient, and common on VAST), or have
 * its answer lost and be retried into `already_running` with no cold start: the best of three is the mode's cold
 * start, and one transient slow wake no longer decides which mode is quicker.
 */
const WAKES_PER_MODE = 3;

type Woke = Awaited<ReturnType<typeof wakeAndMeasure>>;

/** Pause `inst` in `mode` by idleness, wake it, and return the measured and reported cold starts. */
async function coldStart(ctx: ScenarioContext, inst: InstanceRef, mode: 'fast' | 'economic'): Promise<Woke> {
  await pauseByIdleness(ctx, inst, mode, `${mode}-paused`);
  const woke = await wakeAndMeasure(ctx, inst);
  must(
    ctx.check(
      `${mode}-woke`,
      `${mode}: reachable over SSH after wake`,
      woke.measured !== undefined,
      woke.note ?? woke.status
    ),
    'no wake'
  );
  return woke;
}

/** The smallest of the values present, or undefined when none is. */
function best(values: readonly (number | null | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length > 0 ? Math.min(...present) : undefined;
}

const seconds = (v: number | null | undefined): string => (typeof v === 'number' ? `${Math.round(v)}s` : '?');

/**
 * Rounds of one more wake per mode, at most, while fast is not yet quicker. A late SSH port (transient, common on
 * VAST) adds tens of seconds to a wake; three of them in a row on the fast side (CI's fault run saw fast 23/36/36 s
 * against economic 81/21/20 s) say nothing about the mode. Both modes get the same number of wakes, so neither side
 * is favoured; a fast mode that is really no quicker still fails, after six wakes each.
 */
const EXTRA_ROUNDS = 3;

/**
 * How much quicker fast's best cold start must be than economic's: a tenth. Two native resumes differ by polling noise
 * (19.8 s against 20.1 s); a fast mode that restores from a standby is several times quicker.
 */
const QUICKER_BY = 0.1;

/** Whether fast's best reported cold start is at least {@link QUICKER_BY} below economic's. */
function fastIsQuicker(fast: readonly Woke[], economic: readonly Woke[]): boolean {
  const f = best(fast.map((w) => w.reported));
  const e = best(economic.map((w) => w.reported));
  return f !== undefined && e !== undefined && f <= e * (1 - QUICKER_BY);
}

/**
 * Whether one more round (a wake per mode) and the cleanup fit in the scenario's deadline, at the pace so far: every
 * wake so far, boot included, is taken as one wake's cost, so a slow platform stops early rather than run out of time.
 */
async function roomForRound(ctx: ScenarioContext, wakesSoFar: number): Promise<boolean> {
  const elapsedMs = (await ctx.steps.now()) - workflowInfo().runStartTime.getTime();
  const perWakeMs = elapsedMs / Math.max(1, wakesSoFar);
  return elapsedMs + 3 * perWakeMs <= ctx.spec.deadlineMinutes * 60_000 * ctx.timeScale;
}

/** 25 — Cold start in fast mode: measured until SSH answers, reported honestly, and quicker than economic. */
export const coldStartFastScenario = defineScenario(25, 'cold-start-fast', async (ctx) => {
  if (!patched('s025-best-of-three-wakes')) return singleWakes(ctx);
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const fast: Woke[] = [];
  for (let i = 0; i < WAKES_PER_MODE; i++) fast.push(await coldStart(ctx, inst, 'fast'));
  await ctx.steps.disableServerless({ instanceId: inst.instanceId });
  const economic: Woke[] = [];
  for (let i = 0; i < WAKES_PER_MODE; i++) economic.push(await coldStart(ctx, inst, 'economic'));
  for (let round = 0; round < EXTRA_ROUNDS && !fastIsQuicker(fast, economic); round++) {
    if (!patched('s025-more-wakes-when-not-quicker')) break;
    if (!(await roomForRound(ctx, fast.length + economic.length))) {
      ctx.warn(`cold-start-fast: no time left in the deadline for more wakes after ${fast.length} per mode`);
      break;
    }
    await ctx.steps.disableServerless({ instanceId: inst.instanceId });
    fast.push(await coldStart(ctx, inst, 'fast'));
    await ctx.steps.disableServerless({ instanceId: inst.instanceId });
    economic.push(await coldStart(ctx, inst, 'economic'));
  }
  ctx.metric('coldStartFastSeconds', best(fast.map((w) => w.measured))!);
  ctx.metric('coldStartEconomicSeconds', best(economic.map((w) => w.measured))!);
  const early = fast.filter((w) => !w.readyAtAnswer);
  ctx.check(
    'cold-start-measured',
    'every fast wake answers once the instance is reachable over SSH, so its cold start covers what a user waits for',
    early.length === 0,
    early.length === 0
      ? `reported ${fast.map((w) => seconds(w.reported)).join(', ')}; reachable at each answer`
      : `${early.length} of ${fast.length} answered before SSH: ${early.map((w) => w.note ?? w.status).join('; ')}`
  );
  // Compared on the platform's own cold starts: each wake answered only once SSH was reachable (checked above for
  // fast, and below for economic), so they cover what a user waits for; ours add request latency, which at a
  // compressed clock is larger than the difference being compared.
  const lateEconomic = economic.filter((w) => !w.readyAtAnswer);
  ctx.check(
    'economic-ready-at-answer',
    'economic: every wake answers once the instance is reachable over SSH',
    lateEconomic.length === 0,
    lateEconomic.map((w) => w.note ?? w.status).join('; ') || 'reachable at each answer'
  );
  const fastBest = best(fast.map((w) => w.reported));
  const economicBest = best(economic.map((w) => w.reported));
  ctx.check(
    'fast-quicker',
    `fast mode wakes at least ${QUICKER_BY * 100}% quicker than economic (best of ${fast.length} each)`,
    fastIsQuicker(fast, economic),
    `reported fast ${fast.map((w) => seconds(w.reported)).join('/')}, economic ${economic
      .map((w) => seconds(w.reported))
      .join('/')}: best ${seconds(fastBest)} vs ${seconds(economicBest)}`
  );
  await destroyAndVerify(ctx, inst);
});

/** What runs started before `s025-best-of-three-wakes` did: one wake per mode (remove after 2026-12-07). */
async function singleWakes(ctx: ScenarioContext): Promise<void> {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const fast = await coldStart(ctx, inst, 'fast');
  ctx.metric('coldStartFastSeconds', fast.measured!);
  ctx.check(
    'cold-start-measured',
    'the wake answers once the instance is reachable over SSH, so its cold start covers what a user waits for',
    fast.readyAtAnswer,
    `reported ${fast.reported ?? 'nothing'}s; ${fast.readyAtAnswer ? 'reachable at the answer' : (fast.note ?? 'not reachable at the answer')}`
  );
  await ctx.steps.disableServerless({ instanceId: inst.instanceId });
  const economic = await coldStart(ctx, inst, 'economic');
  ctx.metric('coldStartEconomicSeconds', economic.measured!);
  ctx.check(
    'economic-ready-at-answer',
    'economic: the wake answers once the instance is reachable over SSH',
    economic.readyAtAnswer,
    economic.note ?? 'reachable at the answer'
  );
  ctx.check(
    'fast-quicker',
    'fast mode wakes quicker than economic',
    fast.reported !== null && economic.reported !== null && fast.reported < economic.reported,
    `reported fast ${fast.reported ?? '?'}s, economic ${economic.reported ?? '?'}s (SSH seen after ${Math.round(fast.measured!)}s and ${Math.round(economic.measured!)}s)`
  );
  await destroyAndVerify(ctx, inst);
}
