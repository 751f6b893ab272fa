import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { pauseByIdleness, wakeAndMeasure } from './helpers';

/** Dumont's own budget for a resume (five minutes). */
const COLD_START_LIMIT_SECONDS = 300;

/** 26 — Cold start in economic mode: wake answers, and SSH is back within the resume budget (measured). */
export const coldStartEconomicScenario = defineScenario(26, 'cold-start-economic', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await pauseByIdleness(ctx, inst, 'economic', 'auto-paused');
  const woke = await wakeAndMeasure(ctx, inst, 2 * COLD_START_LIMIT_SECONDS);
  // `already_running` is the right answer to a wake asked again after its first answer was lost: that first request
  // resumed the instance. Only then is it accepted.
  const resumedByRetry = woke.status === 'already_running' && woke.retried;
  ctx.check(
    'wake-answered',
    'wake answers that the instance resumed',
    woke.status === 'resumed' || resumedByRetry,
    `wake: ${woke.status}${resumedByRetry ? ' (asked again after a lost answer)' : ''}`
  );
  if (woke.measured !== undefined) ctx.metric('coldStartSeconds', woke.measured);
  ctx.limit({
    id: 'cold-start',
    what: 'economic cold start',
    measured: woke.measured,
    op: '<=',
    limit: COLD_START_LIMIT_SECONDS,
    unit: 's',
    ...(woke.note ? { note: woke.note } : {}),
  });
  await destroyAndVerify(ctx, inst);
});
