/** Distributions and ratios: every figure the bench reports is one of these, measured side by side in one run. */

/** A distribution's summary, in the unit of its samples. */
export interface Distribution {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The `q` quantile (0..1) of sorted `values`, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** p50/p90/p99/max/mean of `values`, rounded to 0.1. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50: r(quantile(sorted, 0.5)),
    p90: r(quantile(sorted, 0.9)),
    p99: r(quantile(sorted, 0.99)),
    max: r(sorted[sorted.length - 1] ?? NaN),
    mean: r(sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1)),
  };
}

/** `a / b` rounded to 0.01 (NaN when b is 0). */
export function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : NaN;
}

/** Milliseconds as seconds with one decimal. */
export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** Bytes as MiB, whole. */
export function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
