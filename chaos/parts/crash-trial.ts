/**
 * One crash trial: a mixed suite, hurt at a seeded moment, then waited for and counted. The worker, server and CLI
 * crash parts differ only in the hurt.
 */
import { waitUntil } from '../../src/client/stack/processes';
import { createPrng, type Prng } from '../../src/sim/core/prng';
import type { ChaosStack } from '../stack';
import { assess, awaitSuite, inFlight, mixedSelection, startSuite, type SuiteEnd } from '../suites';
import { outcomeOf, type ChaosRow } from '../types';

/** Scenarios at once in a trial's suite. */
export const TRIAL_PARALLEL = 5;

/** How long a hurt suite may take to close before its scenarios count as lost (wall clock). */
export const TRIAL_DEADLINE_MS = 12 * 60_000;

/**
 * What a trial does to the stack at its moment. `line` goes in the detail; `outageSeconds`, when the hurt stopped
 * the suite's progress (no worker, no server), is how long, in real seconds: each is `1 / timeScale` platform seconds
 * on the compressed clock, which is what a false failure's cause states.
 */
export type Hurt = (ctx: {
  stack: ChaosStack;
  suiteId: string;
  prng: Prng;
}) => Promise<{ line: string; outageSeconds?: number }>;

/**
 * The activities' heartbeat timeout (src/workflows/kit/steps.ts): an activity in flight when its worker died is
 * retried only once it passed, however soon a new worker is up.
 */
export const HEARTBEAT_TIMEOUT_SECONDS = 10;

/** The cause a trial gives its false failures: the outage, in real and platform time. */
export function outageCause(part: string, outageSeconds: number, timeScale: number): string {
  const stalled = Math.max(outageSeconds, HEARTBEAT_TIMEOUT_SECONDS);
  return (
    `${part}: back after ${outageSeconds.toFixed(1)} s, and activities in flight retried after their ` +
    `${HEARTBEAT_TIMEOUT_SECONDS} s heartbeat timeout: ${stalled.toFixed(0)} s real = ` +
    `${(stalled / timeScale / 60).toFixed(0)} platform min at timeScale ${timeScale}, which the scenario's ` +
    'platform-time deadline, limits and observations count'
  );
}

/** Options of {@link crashTrial}. */
export interface CrashTrialOptions {
  stack: ChaosStack;
  part: string;
  trial: number;
  seed: number;
  /**
   * Starts the suite (the default starts it through the client; the CLI part runs `dumont-e2e run`) and returns its
   * id once it exists.
   */
  start?: (suiteId: string, ids: number[], prng: Prng) => Promise<string>;
  hurt: Hurt;
  /** After the suite closed: more checks (the CLI part compares reports); returns problems, empty when fine. */
  after?: (suiteId: string, end: SuiteEnd) => Promise<string[]>;
}

/** The detail of a trial whose moment came after its suite closed: nothing was hurt, so it does not count. */
const NOT_HURT = 'not hurt';

/**
 * Runs `trial(i)` until `n` trials hurt their suite (at most `2n` draws): a draw whose moment came after its suite
 * closed is replaced by the next seed, and the last row says how many were.
 */
export async function hurtTrials(
  n: number,
  trial: (i: number) => Promise<ChaosRow>,
  log: (row: ChaosRow) => void
): Promise<ChaosRow[]> {
  const rows: ChaosRow[] = [];
  let redrawn = 0;
  for (let i = 1; rows.length < n && i <= 2 * n; i++) {
    const row = await trial(i);
    if (row.detail.startsWith(NOT_HURT)) redrawn++;
    else {
      rows.push(row);
      log(row);
    }
  }
  if (redrawn && rows.length)
    rows[rows.length - 1]!.detail += ` (${redrawn} draw(s) came after their suite closed, redrawn)`;
  return rows;
}

/** Runs one trial and counts what it lost, leaked and failed. */
export async function crashTrial(o: CrashTrialOptions): Promise<ChaosRow> {
  const t0 = Date.now();
  const prng = createPrng(o.seed);
  const ids = mixedSelection(prng, 1);
  let suiteId = `chaos-${o.part}-${o.seed}`;
  if (o.start) suiteId = await o.start(suiteId, ids, prng);
  else await startSuite(o.stack, suiteId, ids, TRIAL_PARALLEL);
  // The moment: once a seeded number k of the n scenarios has finished (k < n - 2), plus a seeded 0-3 s. Tied to the
  // suite's progress rather than the clock, so it falls inside the run on any machine, from the first creates on.
  const k = prng.int(0, ids.length - 3);
  const extra = prng.float(0, 3);
  const handle = o.stack.client.workflow.getHandle(suiteId);
  await waitUntil(async () => {
    try {
      return (await handle.query<{ done: number }>('progress')).done >= k;
    } catch {
      return (await handle.describe()).status.name !== 'RUNNING';
    }
  }, TRIAL_DEADLINE_MS);
  await new Promise((resolve) => setTimeout(resolve, extra * 1000));
  const at = (Date.now() - t0) / 1000;
  const closedBefore = (await handle.describe()).status.name !== 'RUNNING';
  if (closedBefore) {
    return {
      part: o.part,
      trial: String(o.trial),
      seed: o.seed,
      outcome: 'error',
      lost: 0,
      leaked: 0,
      falseFailures: [],
      detail: `${NOT_HURT}: the suite closed before its moment (${k} of ${ids.length} done + ${extra.toFixed(1)} s)`,
      seconds: Math.round(at),
    };
  }
  const doing = await inFlight(o.stack.client, suiteId);
  const hurt = await o.hurt({ stack: o.stack, suiteId, prng });
  const end = await awaitSuite(o.stack.client, suiteId, TRIAL_DEADLINE_MS);
  const counts = await assess(o.stack, suiteId, ids, end);
  if (hurt.outageSeconds !== undefined) {
    const cause = outageCause(o.part, hurt.outageSeconds, o.stack.timeScale);
    for (const f of counts.falseFailures) f.why = `${f.why} (cause: ${cause})`;
  }
  const problems = o.after ? await o.after(suiteId, end) : [];
  const outcome =
    problems.length && outcomeOf({ ...counts, leaked: counts.leaked.length }) === 'ok' ? 'error' : undefined;
  return {
    part: o.part,
    trial: String(o.trial),
    seed: o.seed,
    outcome: outcome ?? outcomeOf({ ...counts, leaked: counts.leaked.length }),
    lost: counts.lost,
    leaked: counts.leaked.length,
    falseFailures: counts.falseFailures,
    detail:
      `${hurt.line} at ${at.toFixed(1)} s (${k}/${ids.length} done + ${extra.toFixed(1)} s) during {${doing}}; suite ${end.status} with ${ids.length} scenarios ` +
      `(${ids.join(',')})` +
      (counts.leaked.length ? `; left: ${counts.leaked.join(', ')}` : '') +
      (end.error ? `; ${end.error}` : '') +
      (problems.length ? `; ${problems.join('; ')}` : ''),
    seconds: Math.round((Date.now() - t0) / 1000),
  };
}

/** The seed of trial `i` of a part: distinct per part and trial, all from the campaign's seed. */
export function trialSeed(campaignSeed: number, partSalt: number, i: number): number {
  return ((campaignSeed * 1000 + partSalt * 100 + i) >>> 0) % 2_147_483_647;
}
