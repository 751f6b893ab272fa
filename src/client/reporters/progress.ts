/**
 * The live progress display of `dumont-e2e run` on a terminal: a status line kept at the bottom (done/total, the
 * scenarios running, cost and leaks so far, elapsed time) redrawn in place, with the per-event lines scrolling
 * above it. Not on a terminal (a pipe, a CI log, a file) it degrades to the event lines alone: no escape codes, no
 * status line, nothing redrawn, so logs and tools read the same lines as before.
 */
import type { SuiteProgress } from '../../workflows/types';
import { formatDuration, formatUsd } from './format';

/** Where the display writes: `process.stdout`, or a stream a test passes with `isTTY` set. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The live display of one run. */
export interface LiveProgress {
  /** Whether a status line is drawn (the stream is a terminal). */
  readonly live: boolean;
  /** A line of output (an event, a message): printed above the status line. */
  line(text: string): void;
  /** A fresh progress answer: redraws the status line (no-op when not live). */
  status(progress: Pick<SuiteProgress, 'total' | 'running' | 'results'>): void;
  /** Removes the status line, so what follows (the summary) starts on a clean line. */
  done(): void;
}

const CLEAR_LINE = '\r\u001b[2K';

/** `[12/100] 4 running: s013-…, s014-… · $0.0345 · 0 leaked · 1m 12s`, cut to `columns`. */
export function formatStatusLine(
  p: Pick<SuiteProgress, 'total' | 'running' | 'results'>,
  elapsedMs: number,
  columns = 100
): string {
  const cost = p.results.reduce((n, r) => n + r.costUsd, 0);
  const leaked = p.results.reduce((n, r) => n + (r.leaked?.length ?? 0), 0);
  const failed = p.results.filter((r) => r.status === 'failed').length;
  const running = p.running.map((id) => id.split('/').pop() ?? id);
  const head = `[${p.results.length}/${p.total}]`;
  const tail = [
    formatUsd(cost),
    `${leaked} leaked`,
    ...(failed ? [`${failed} failed`] : []),
    formatDuration(elapsedMs),
  ].join(' · ');
  const names = running.length ? ` ${running.length} running: ${running.join(', ')}` : ' waiting';
  const room = Math.max(10, columns - 1 - head.length - tail.length - 3);
  const middle = names.length > room ? `${names.slice(0, room - 1)}…` : names;
  return `${head}${middle} · ${tail}`;
}

/**
 * The display for `stream`: live when `stream.isTTY` and not `quiet`, line-per-event otherwise (`quiet` only drops
 * the status line; which lines to print is the caller's choice). `now` is injectable for tests.
 */
export function createLiveProgress(
  stream: ProgressStream,
  options: { quiet?: boolean; now?: () => number } = {}
): LiveProgress {
  const now = options.now ?? Date.now;
  // Elapsed time counts from the first progress answer (the suite's start), not from the stack's start-up.
  let started: number | undefined;
  const live = !!stream.isTTY && !options.quiet;
  let drawn = '';
  let last: Pick<SuiteProgress, 'total' | 'running' | 'results'> | undefined;
  const draw = () => {
    if (!live || !last) return;
    // A pseudo-terminal may report 0 columns: then assume a common width.
    drawn = formatStatusLine(last, now() - (started ?? now()), stream.columns || 100);
    stream.write(`${CLEAR_LINE}${drawn}`);
  };
  return {
    live,
    line(text) {
      stream.write(live && drawn ? `${CLEAR_LINE}${text}\n` : `${text}\n`);
      draw();
    },
    status(progress) {
      started ??= now();
      last = progress;
      draw();
    },
    done() {
      if (live && drawn) stream.write(CLEAR_LINE);
      drawn = '';
      last = undefined;
    },
  };
}
