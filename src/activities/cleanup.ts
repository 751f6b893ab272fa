import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { FailureTypes } from './failures';
import { pause, scaled } from './polling';
import { describeResource, kindsOf, type FoundResource } from './resources';
import { errorText } from './resources/types';

/** What carries a label prefix, by kind, at the platform and at VAST. */
export interface LabelledResources {
  resources: FoundResource[];
  /** One line per resource: `instance 24000123 dumont-e2e/… (at dumont, vast)`. */
  lines: string[];
  /** Witnesses whose answers were unusable (another one answered). */
  warnings: string[];
}

export interface DestroyReport {
  /** What was destroyed (or found gone after a destroy), one line per resource. */
  destroyed: string[];
  /** Fallbacks worth a look (destroyed through VAST because Dumont kept failing, …). */
  warnings: string[];
  /** Destroy calls made. */
  tries: number;
}

export interface DestroyByLabelInput {
  labelPrefix: string;
  /** Only these registry kinds. @default every kind */
  kinds?: string[];
  /**
   * Absolute deadline (epoch ms), fixed by the workflow before the first attempt, so activity retries never extend
   * it. Past it the activity fails with {@link FailureTypes.CleanupIncomplete} naming what could not be destroyed.
   */
  deadlineMs: number;
  timeScale: number;
}

/** Failed listings in a row a destroy past its deadline still makes before it gives up on listing. */
const MIN_LIST_TRIES = 3;

export function createCleanupActivities(deps: ActivityDeps) {
  async function find(prefix: string, kinds?: string[]): Promise<{ found: FoundResource[]; warnings: string[] }> {
    const warnings: string[] = [];
    const lists = await Promise.all(kindsOf(kinds).map((k) => k.list(deps, prefix, (w) => warnings.push(w))));
    return { found: lists.flat(), warnings };
  }

  return {
    /** Lists what carries the prefix, every kind, at the platform AND at VAST (the seed's "verify cleanup"). */
    async listByLabel(input: { labelPrefix: string; kinds?: string[] }): Promise<LabelledResources> {
      const { found, warnings } = await find(input.labelPrefix, input.kinds);
      return { resources: found, lines: found.map(describeResource), warnings };
    },

    /**
     * The compensation: destroys everything whose label starts with `labelPrefix`, kind by kind in destroy order,
     * until a listing shows nothing left. Bounded: past `deadlineMs` it fails, non-retryably, with "could not
     * destroy <kind> <label> after N tries: <last error>" for each survivor, so one undeletable resource never
     * hangs a scenario, a suite or `npm start`; the suite's final sweep and the reaper try again later.
     */
    async destroyByLabel(input: DestroyByLabelInput): Promise<DestroyReport> {
      const report: DestroyReport = { destroyed: [], warnings: [], tries: 0 };
      const tries = new Map<string, number>();
      const lastError = new Map<string, string>();
      const kinds = kindsOf(input.kinds);
      const keyOf = (r: FoundResource) => `${r.kind}:${r.id}`;
      let previous: FoundResource[] = [];
      let listFailures = 0;
      let destroyRounds = 0;
      for (let round = 0; ; round++) {
        let listed: Awaited<ReturnType<typeof find>>;
        try {
          listed = await find(input.labelPrefix, input.kinds);
        } catch (err) {
          // A listing that keeps failing must end the destroy at its deadline too, loudly, never retry forever. But one
          // failed listing is no verdict: an S3 client's own retries of a throttled list can outlast a compressed
          // deadline on their own (seconds of backoff), so the destroy gives up only after several failed in a row.
          listFailures++;
          if (Date.now() >= input.deadlineMs && listFailures >= MIN_LIST_TRIES) {
            throw ApplicationFailure.create({
              type: FailureTypes.CleanupIncomplete,
              nonRetryable: true,
              details: [report],
              message: `could not list what carries ${input.labelPrefix} to destroy it: ${errorText(err)}`,
            });
          }
          heartbeat({ round, listError: errorText(err) });
          await pause(Math.max(50, Math.min(scaled(5, input.timeScale), 5_000, input.deadlineMs - Date.now())));
          continue;
        }
        listFailures = 0;
        const { found, warnings } = listed;
        for (const w of warnings) if (!report.warnings.includes(w)) report.warnings.push(w);
        const now = new Set(found.map(keyOf));
        for (const gone of previous.filter((r) => !now.has(keyOf(r)))) report.destroyed.push(describeResource(gone));
        previous = found;
        if (found.length === 0) return report;
        // Past the deadline it gives up only after one round of destroy calls at least (failed listings do not count).
        if (Date.now() >= input.deadlineMs && destroyRounds > 0) {
          // The partial report travels as the failure's details: what this destroy did manage still counts.
          throw ApplicationFailure.create({
            type: FailureTypes.CleanupIncomplete,
            nonRetryable: true,
            details: [report],
            message: found
              .map((r) => {
                const n = tries.get(keyOf(r)) ?? 0;
                return `could not destroy ${r.kind} ${r.label} after ${n} ${n === 1 ? 'try' : 'tries'}: ${lastError.get(keyOf(r)) ?? 'it is still listed after the platform accepted the destroy'}`;
              })
              .join('; '),
          });
        }
        destroyRounds++;
        const ids = new Set(found.map((r) => r.id));
        for (const kind of kinds) {
          for (const r of found.filter((f) => f.kind === kind.name)) {
            // A volume is deletable only once the instances holding it are gone.
            if (r.blockedBy?.some((id) => ids.has(id))) continue;
            const attempt = (tries.get(keyOf(r)) ?? 0) + 1;
            tries.set(keyOf(r), attempt);
            report.tries++;
            try {
              const { warning } = await kind.destroy(deps, r, attempt);
              if (warning && !report.warnings.includes(warning)) report.warnings.push(warning);
            } catch (err) {
              lastError.set(keyOf(r), errorText(err));
            }
          }
        }
        heartbeat({ round, left: found.length });
        const backoff = Math.min(scaled(2 * (round + 1), input.timeScale), scaled(30, input.timeScale), 5_000);
        await pause(Math.max(50, Math.min(backoff, Math.max(0, input.deadlineMs - Date.now()))));
      }
    },
  };
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // called outside an activity (tests): nothing to report to
  }
}
