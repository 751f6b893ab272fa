import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { pauseByIdleness, wakeAndMeasure } from './helpers';

/** Dumont's own budget for a resume (five minutes). */
const COLD_START_LIMIT_SECONDS = 300;

/** 26 — Cold start in economic mode: wake answers, and SSH is back within the resume budget (measured). */
export const coldStartEconomicScenario = defineScenario(26, 'cold-start-economic', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await pauseByIdleness(ctx, inst, 'economic', 'auto-paused');
  const woke = await wakeAndMeasure(ctx, inst, 2 * COLD_START_LIMIT_SECONDS);
  ctx.check(
    'wake-answered',
    'wake answers that the instance resumed',
    woke.status === 'resumed',
    `wake: ${woke.status}`
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
