import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';

const STEPS = ['c1', 'c2', 'c3'];

/** 100 — Three creates at once: three distinct instances, each with its own label and offer, all destroyed. */
export const concurrentCreatesScenario = defineScenario(100, 'concurrent-creates', async (ctx) => {
  const insts = await Promise.all(STEPS.map((step) => boot(ctx, step, { query: ANY_GPU })));
  const ids = new Set(insts.map((i) => i.instanceId));
  ctx.check(
    'distinct-instances',
    `${STEPS.length} simultaneous creates yield ${STEPS.length} distinct instances`,
    ids.size === STEPS.length,
    insts.map((i, k) => `${STEPS[k]} → ${i.instanceId}`).join(', ')
  );
  const offers = new Set(insts.map((i) => i.offerId));
  ctx.check('distinct-offers', 'no two instances share an offer', offers.size === ids.size, [...offers].join(', '));
  const rows = await Promise.all(insts.map((i) => ctx.steps.getInstance(i.instanceId)));
  const wrong = rows.flatMap((row, k) =>
    row?.label === ctx.label(STEPS[k]) ? [] : [`${STEPS[k]}: ${row?.label ?? 'gone'}`]
  );
  ctx.check(
    'labels-kept',
    'each instance carries the label of the create that asked for it',
    wrong.length === 0,
    wrong.length ? wrong.join('; ') : 'all three labels kept'
  );
  // Each instance once (a collision would hand the same one to several creates).
  for (const [k, inst] of insts.entries()) {
    if (insts.findIndex((j) => j.instanceId === inst.instanceId) !== k) continue;
    await destroyAndVerify(ctx, inst, { check: `${STEPS[k]}-destroyed`, what: `instance of ${STEPS[k]}` });
  }
});
