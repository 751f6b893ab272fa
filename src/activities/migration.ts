import { activityInfo, heartbeat } from '@temporalio/activity';
import { migrationApi, type MigrateAnswer, type MigrateBody } from '../platform/dumont/migration';
import { PlatformError } from '../platform/errors';
import { sshExec } from '../platform/ssh';
import type { DumontInstance } from '../platform/types';
import type { ActivityDeps } from './deps';
import { describeInstance, type InstanceRef } from './instances';
import { pause } from './polling';

export type { MigrateBody, MigrationEstimate } from '../platform/dumont/migration';

/** What a migration ended with, as the scenarios see it (plain JSON). */
export interface MigrationOutcome {
  success: boolean;
  error: string | null;
  steps: string[];
  /** The instance now carrying the label (the migrated one), when there is one. */
  target: InstanceRef | null;
  sshHost: string | null;
  sshPort: number | null;
  /** Real milliseconds the migrate call took (0 when a lost answer was adopted). */
  realMs: number;
  adopted: boolean;
}

/** How long, real time, a migration found in flight (a lost answer) may take to finish before it is adopted. */
const IN_FLIGHT_WAIT_MS = 600_000;

/** Migration activities: Dumont's own routes; the migrated instance is found by label, as any rented one. */
export function createMigrationActivities(deps: ActivityDeps) {
  const api = migrationApi(deps.dumont);

  /**
   * The instances carrying `label`, from VAST's list (the provider's own witness): Dumont's list may be unusable (its
   * VAST v0 call is retired) and must not stall a migration's bookkeeping.
   */
  async function labelled(label: string): Promise<number[]> {
    return (await deps.vast.listInstances({ label })).filter((r) => r.label === label).map((r) => r.id);
  }

  /** The migrated instance under the label the migration gave it (no offer of ours: -1). */
  async function refOf(inst: DumontInstance, label: string): Promise<InstanceRef> {
    return { ...(await describeInstance(deps.vast, inst, -1, true)), label };
  }

  async function outcomeOf(label: string, base: Omit<MigrationOutcome, 'target' | 'sshHost' | 'sshPort'>, id?: number) {
    const targetId = id ?? (await labelled(label)).sort((a, b) => b - a)[0];
    const inst = targetId !== undefined ? await deps.dumont.getInstance(targetId) : undefined;
    return {
      ...base,
      target: inst ? await refOf(inst, label) : null,
      sshHost: inst?.ssh_host ?? null,
      sshPort: inst?.ssh_port ?? null,
    };
  }

  /**
   * A migration started by an earlier attempt whose answer was lost: the source gone (or going) and another instance
   * under its label. Waits for it to finish and adopts the new instance; undefined when nothing was started.
   */
  async function inFlight(sourceId: number, label: string, startedAt: number): Promise<MigrationOutcome | undefined> {
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      const ids = await labelled(label);
      const others = ids.filter((id) => id !== sourceId);
      if (others.length === 0) return undefined;
      if (!ids.includes(sourceId) || Date.now() >= deadline)
        return outcomeOf(
          label,
          { success: !ids.includes(sourceId), error: null, steps: [], realMs: Date.now() - startedAt, adopted: true },
          Math.max(...others)
        );
      heartbeat({ startedAt, sent: true, note: 'a migration of this instance is in flight' });
      await pause(100);
    }
  }

  /**
   * After a migrate whose answer was lost (dropped connection, timeout, 5xx), the platform may still be working on
   * it: a real Dumont migrates synchronously and its first step, the snapshot, creates nothing visible for minutes.
   * Looks for its effect (another instance under the label, or the source gone) until the landing window closes,
   * and adopts the migration when it appears, so that a retry never migrates, and rents, twice.
   */
  async function awaitLanding(
    sourceId: number,
    label: string,
    startedAt: number
  ): Promise<MigrationOutcome | undefined> {
    const deadline = Date.now() + (deps.createLandingWindowMs ?? 180_000);
    for (;;) {
      const found = await inFlight(sourceId, label, startedAt);
      if (found) return found;
      if (Date.now() >= deadline) return undefined;
      heartbeat({ startedAt, sent: true, note: 'the migrate answer was lost; looking for its effect' });
      await pause(Math.min(500, Math.max(50, deadline - Date.now())));
    }
  }

  async function migrateOnce(input: {
    instanceId: number;
    label: string;
    body: MigrateBody;
  }): Promise<MigrationOutcome> {
    // The first attempt's start, kept across retries in the heartbeat details: an adopted migration's duration counts
    // from when it was asked for, not from when a retry found it. `sent`: an earlier attempt sent the request.
    const prior = activityInfo().heartbeatDetails as { startedAt?: number; sent?: boolean } | undefined;
    const started = prior?.startedAt ?? Date.now();
    const found = prior?.sent
      ? await awaitLanding(input.instanceId, input.label, started)
      : await inFlight(input.instanceId, input.label, started);
    if (found) return found;
    heartbeat({ startedAt: started, sent: true });
    let answer: MigrateAnswer;
    try {
      answer = await api.migrate(input.instanceId, input.body);
    } catch (err) {
      // A refusal with Dumont's {error} body (400/500) is the migration's answer, not a transport failure.
      if (
        err instanceof PlatformError &&
        !err.retryable &&
        err.status !== undefined &&
        err.status < 500 &&
        err.status !== 404
      ) {
        return {
          success: false,
          error: err.message,
          steps: [],
          target: null,
          sshHost: null,
          sshPort: null,
          realMs: Date.now() - started,
          adopted: false,
        };
      }
      // A 429 was refused before any work; anything else (a drop, a timeout, a 5xx from a proxy) may have landed.
      const refusedUnread = err instanceof PlatformError && err.status === 429;
      const landed = refusedUnread ? undefined : await awaitLanding(input.instanceId, input.label, started);
      if (landed) return landed;
      // Nothing was started: the retry's migration is timed from its own start.
      heartbeat({});
      throw err;
    }
    const realMs = Date.now() - started;
    const base = {
      success: answer.success,
      error: answer.error ?? null,
      steps: answer.steps_completed,
      realMs,
      adopted: false,
    };
    return outcomeOf(input.label, base, answer.new_instance_id ?? undefined);
  }

  return {
    async estimateMigration(input: {
      instanceId: number;
      body: Omit<MigrateBody, 'disk_size' | 'auto_destroy_source' | 'keep_ssh_endpoint'>;
    }) {
      return api.estimate(input.instanceId, input.body);
    },
    /** Migrates `instanceId` (labelled `label`); a retry after a lost answer adopts the migration in flight. */
    async migrateInstance(input: { instanceId: number; label: string; body: MigrateBody }): Promise<MigrationOutcome> {
      return migrateOnce(input);
    },
    /**
     * Migrates while asking the model on whichever instance carries the label, every `intervalMs`, until the migrated
     * one answers (or `afterMs` after the migration). Each round is `up` (some instance answered), `down` (the
     * platform lists no running instance, or the command ran and got no answer) or `unknown` (our SSH channel
     * failed): the longest outage runs from the last answer before a `down` round to the next answer.
     */
    async migrateWhileServing(input: {
      suiteId: string;
      instanceId: number;
      label: string;
      body: MigrateBody;
      probe: string;
      intervalMs: number;
      afterMs: number;
    }): Promise<{
      migration: MigrationOutcome;
      answers: number;
      longestGapMs: number;
      /** The longest round of asking every labelled instance: the resolution of the gap measured. */
      longestRoundMs: number;
      newAnswered: boolean;
      lastAnswer: string;
    }> {
      const key = deps.keys.keyFor(input.suiteId).privateKey;
      const answered: { at: number; id: number; text: string }[] = [];
      const rounds: Round[] = [];
      let done: MigrationOutcome | undefined;
      let failure: unknown;
      const started = Date.now();
      const migrating = migrateOnce(input).then(
        (m) => (done = m),
        (err: unknown) => (failure = err)
      );
      const ask = async (): Promise<Round['state']> => {
        const ids = await labelled(input.label).catch(() => undefined);
        if (!ids) return 'unknown';
        let up = false;
        let unsure = false;
        for (const id of ids) {
          const row = await deps.dumont.getInstance(id).catch(() => null);
          if (row === null) unsure = true;
          if (row?.actual_status !== 'running' || !row.ssh_host || !row.ssh_port) continue;
          const res = await sshExec(
            { host: row.ssh_host, port: row.ssh_port, username: 'root', privateKey: key },
            input.probe,
            { timeoutMs: 5_000, connectAttempts: 1, connectTimeoutMs: 3_000 }
          ).catch(() => undefined);
          if (!res) unsure = true;
          else if (res.code === 0 && res.stdout.trim()) {
            answered.push({ at: Date.now(), id, text: res.stdout.trim() });
            up = true;
          }
        }
        return up ? 'up' : unsure ? 'unknown' : 'down';
      };
      let endAt = Infinity;
      let longestRoundMs = 0;
      for (;;) {
        heartbeat({ startedAt: started, sent: true, note: `${answered.length} answer(s)` });
        const roundStart = Date.now();
        const state = await ask();
        rounds.push({ at: Date.now(), state });
        longestRoundMs = Math.max(longestRoundMs, Date.now() - roundStart);
        if (failure) throw failure;
        if (done && endAt === Infinity) endAt = Date.now() + input.afterMs;
        const target = done?.target?.instanceId;
        if (done && (Date.now() >= endAt || answered.some((a) => a.id === target && a.at >= started))) break;
        await pause(input.intervalMs);
      }
      await migrating;
      const targetId = done!.target?.instanceId;
      return {
        migration: done!,
        answers: answered.length,
        longestGapMs: longestOutage(rounds, started, Date.now()),
        longestRoundMs,
        newAnswered: answered.some((a) => a.id === targetId),
        lastAnswer: answered.filter((a) => a.id === targetId).at(-1)?.text ?? '',
      };
    },
  };
}

/** One round of asking the model: when it ended and what it saw. */
interface Round {
  at: number;
  state: 'up' | 'down' | 'unknown';
}

/**
 * The longest outage in `rounds`: from the last answer (or `start`) before a `down` round to the next answer (or
 * `end`). Rounds where only our own channel failed (`unknown`) neither start nor end one.
 */
export function longestOutage(rounds: readonly Round[], start: number, end: number): number {
  let lastUp = start;
  let outageFrom: number | undefined;
  let longest = 0;
  for (const r of rounds) {
    if (r.state === 'down' && outageFrom === undefined) outageFrom = lastUp;
    if (r.state === 'up') {
      if (outageFrom !== undefined) longest = Math.max(longest, r.at - outageFrom);
      outageFrom = undefined;
      lastUp = r.at;
    }
  }
  return outageFrom === undefined ? longest : Math.max(longest, end - outageFrom);
}
