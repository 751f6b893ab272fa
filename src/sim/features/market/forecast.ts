/**
 * The price forecast Dumont's `/metrics/predictions/{gpu_name}` answers: a seasonal baseline (the mean price of
 * each UTC hour of the day over the recorded history, relative to its day's mean) on top of a linear trend fitted
 * to the daily means, projected over the next 24 hours. The confidence is one minus the relative spread of the
 * history around that model (its in-sample error). Under the prediction-ignores-history defect it answers what
 * Dumont's mock does: today's price for every hour, whatever the history says.
 */

/** A recorded price: platform epoch seconds and $ per GPU-hour. */
export interface PricePoint {
  t: number;
  price: number;
}

/** The forecast of the next 24 hours. */
export interface Forecast {
  /** UTC hour of day ("0".."23") → predicted $ per GPU-hour at that hour within the next 24 h. */
  hourly: Record<string, number>;
  confidence: number;
  bestHourUtc: number;
  minPrice: number;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Fits the seasonal-plus-trend model to `history` and forecasts the 24 hours after `now`. */
export function forecast(history: readonly PricePoint[], now: number): Forecast {
  const byDay = new Map<number, number[]>();
  for (const p of history) {
    const day = Math.floor(p.t / 86_400);
    byDay.set(day, [...(byDay.get(day) ?? []), p.price]);
  }
  // Only whole days inform the trend (a partial day's mean is biased by the hours it has).
  const days = [...byDay.entries()].filter(([, ps]) => ps.length >= 200).map(([d, ps]) => ({ d, m: mean(ps) }));
  const dMean = mean(days.map((x) => x.d));
  const mMean = mean(days.map((x) => x.m));
  const cov = days.reduce((s, x) => s + (x.d - dMean) * (x.m - mMean), 0);
  const varD = days.reduce((s, x) => s + (x.d - dMean) ** 2, 0);
  const slope = varD > 0 ? cov / varD : 0;
  const level = (t: number): number => mMean + slope * (t / 86_400 - 0.5 - dMean);
  // Seasonal factors: each hour's mean ratio to the trend line.
  const ratios: number[][] = Array.from({ length: 24 }, () => []);
  for (const p of history) ratios[Math.floor((p.t % 86_400) / 3600)].push(p.price / level(p.t));
  const season = ratios.map((r) => (r.length ? mean(r) : 1));
  const hourly: Record<string, number> = {};
  for (let k = 0; k < 24; k++) {
    const t = now + k * 3600;
    const hour = Math.floor((t % 86_400) / 3600);
    hourly[String(hour)] = Number((level(t) * season[hour]).toFixed(4));
  }
  const residuals = history.map((p) =>
    Math.abs(p.price / (level(p.t) * season[Math.floor((p.t % 86_400) / 3600)]) - 1)
  );
  const confidence = Math.max(0, Math.min(1, 1 - 4 * mean(residuals)));
  const best = Object.entries(hourly).sort((a, b) => a[1] - b[1])[0];
  return { hourly, confidence: Number(confidence.toFixed(3)), bestHourUtc: Number(best[0]), minPrice: best[1] };
}

/** Dumont's mock (the prediction-ignores-history defect): the current price for every hour. */
export function flatForecast(current: number): Forecast {
  const hourly = Object.fromEntries(Array.from({ length: 24 }, (_, h) => [String(h), current]));
  return { hourly, confidence: 0.85, bestHourUtc: 0, minPrice: current };
}
