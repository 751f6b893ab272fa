import { defineScenario } from '../../kit';
import { correlation, mean, utcHour } from './helpers';

const GPU = 'RTX 4090';
/** Platform seconds of the future the forecast is then compared with. */
const HORIZON = 1800;
/** Mean absolute error the forecast may have over that future, percent. */
const MAX_ERROR_PERCENT = 8;

/** 87 — The 24 h prediction: its shape, that it follows the recorded daily pattern, and its error against what then happened. */
export const pricePredictionScenario = defineScenario(87, 'price-prediction', async (ctx) => {
  const history = await ctx.steps.marketHistory({ gpuName: GPU, hours: 24 * 7 });
  const p = await ctx.steps.pricePrediction({ gpuName: GPU });
  const hours = Array.from({ length: 24 }, (_, h) => p.hourly[String(h)]);
  ctx.check(
    'prediction-shape',
    '24 hourly predictions, all positive, with a confidence in [0, 1]',
    hours.every((v) => typeof v === 'number' && v > 0) &&
      p.confidence !== null &&
      p.confidence >= 0 &&
      p.confidence <= 1,
    `${hours.filter((v) => v > 0).length}/24 positive hours, confidence ${p.confidence ?? 'none'}`
  );
  // The history's own daily shape: each hour's mean price relative to the history's mean.
  const byHour = Array.from({ length: 24 }, (_, h) =>
    mean(history.filter((r) => utcHour(r.epoch) === h).map((r) => r.avgPrice))
  );
  const r = correlation(hours, byHour);
  ctx.metric('historyPoints', history.length);
  ctx.metric('patternCorrelation', r);
  ctx.check(
    'follows-daily-pattern',
    "the predicted hours follow the history's daily pattern (correlation at least 0.8)",
    history.length >= 24 * 12 && r >= 0.8,
    `correlation ${r.toFixed(3)} over ${history.length} recorded samples`
  );
  const madeAt = p.madeAt ?? (history.length ? history[history.length - 1].epoch : 0);
  await ctx.sleep(HORIZON);
  const future = (await ctx.steps.marketHistory({ gpuName: GPU, hours: 1 })).filter((x) => x.epoch > madeAt);
  const errors = future.map((x) => Math.abs(p.hourly[String(utcHour(x.epoch))] / x.avgPrice - 1) * 100);
  ctx.metric('futureSamples', future.length);
  ctx.limit({
    id: 'prediction-error',
    what: `mean error of the forecast against the ${future.length} prices recorded after it`,
    measured: future.length >= 3 ? mean(errors) : undefined,
    op: '<=',
    limit: MAX_ERROR_PERCENT,
    unit: '%',
    note: future.length >= 3 ? undefined : `only ${future.length} samples recorded after the forecast`,
  });
});
