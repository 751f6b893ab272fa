/**
 * Reading a fine-tune's training logs: the lines the harness relies on are the ones Unsloth/HF trainers print in
 * some form — the dataset the run read, each rank's start step, `step N/T loss L` progress, and per-rank steps.
 */

/** What a job's logs say, summarised (plain JSON, small enough for a workflow history). */
export interface LogSummary {
  /** `dataset: N records sha256 H`, when printed. */
  dataset: { records: number; sha256: string } | null;
  /** Every `step N/T loss L` line of rank 0, in order. */
  steps: { step: number; loss: number }[];
  /** Ranks that reported, with the highest step each reached (rank 0's progress lines count for rank 0). */
  ranks: Record<string, number>;
  /** The step each rank said it started at (`[rank r/n] started at step S`). */
  startSteps: Record<string, number>;
}

/** Parses a job's log text. */
export function summariseLogs(logs: string): LogSummary {
  const out: LogSummary = { dataset: null, steps: [], ranks: {}, startSteps: {} };
  for (const line of logs.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^dataset: (\d+) records sha256 ([0-9a-f]{64})/)))
      out.dataset = { records: Number(m[1]), sha256: m[2] };
    else if ((m = line.match(/^step (\d+)\/\d+ loss ([\d.]+)/))) {
      out.steps.push({ step: Number(m[1]), loss: Number(m[2]) });
      out.ranks['0'] = Math.max(out.ranks['0'] ?? 0, Number(m[1]));
    } else if ((m = line.match(/^\[rank (\d+)\/\d+\] started at step (\d+)/))) {
      out.startSteps[m[1]] = Number(m[2]);
      out.ranks[m[1]] = Math.max(out.ranks[m[1]] ?? 0, Number(m[2]));
    } else if ((m = line.match(/^\[rank (\d+)\/\d+\] (?:done )?step (\d+)/)))
      out.ranks[m[1]] = Math.max(out.ranks[m[1]] ?? 0, Number(m[2]));
  }
  return out;
}
