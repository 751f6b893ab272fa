import { OfferUnavailableError, ProtocolError, TransientPlatformError } from '../platform/errors';
import { probeSsh } from '../platform/ssh';
import type { DumontInstance, DumontOffer, DumontOfferQuery, VastFilter, VastOffer } from '../platform/types';
import type { ActivityDeps } from './deps';
import { FailureTypes, nonRetryable, retryable } from './failures';
import {
  blindMs,
  pause,
  WORKER_STARTED_AT_MS,
  platformSecondsSince,
  pollUntil,
  scaled,
  windowSeconds,
  type WaitWindow,
} from './polling';

/** What workflows keep about an instance: ids and facts, never credentials. */
export interface InstanceRef {
  instanceId: number;
  label: string;
  offerId: number;
  gpuName: string;
  numGpus: number;
  dphTotal: number;
  geolocation: string;
  image: string;
  diskGb: number;
  /** True when an instance with this label already existed (a retried or replayed create adopted it). */
  adopted: boolean;
}

export interface CreateInstanceInput {
  suiteId: string;
  label: string;
  /** Rent exactly this offer (fails with NoOffer when it is gone) ... */
  offerId?: number;
  /** ... or the first available offer of this query (Dumont sorts by price). */
  query?: DumontOfferQuery;
  image?: string;
  diskGb?: number;
  /** Dumont's `onstart_cmd`: runs at every start of the container (and where the platform moves the service). */
  onstart?: string;
  /** Ask for the platform's auto-standby (`skip_standby: false`); every other create skips it. */
  standby?: boolean;
}

export interface WaitInput extends WaitWindow {
  instanceId: number;
  suiteId: string;
}

export interface WaitRunningResult {
  sshHost: string;
  sshPort: number;
  /** Platform seconds from the window's start (the action awaited) until SSH answered. */
  platformSeconds: number;
  /**
   * Real ms of the window no worker watched (a worker restart; see `blindMs`), when any: `platformSeconds` includes
   * them, so a limit checked against it is an upper bound of what the platform took.
   */
  blindMs?: number;
  /**
   * When the worker process that saw the instance come up started (epoch ms): later than the scenario's start means a
   * worker restart happened during the scenario, and this worker was catching up (replaying every open workflow,
   * retrying every activity in flight) while it measured.
   */
  workerStartedAtMs?: number;
}

const STOPPED = new Set(['stopped', 'exited']);

/** A failure after which the create may have taken effect: a timeout, a dropped connection, a 5xx, a garbled answer. */
function mayHaveRented(err: unknown): boolean {
  if (err instanceof TransientPlatformError) return err.mayHaveTakenEffect;
  return err instanceof ProtocolError;
}
const BROKEN = new Set(['unknown', 'offline', 'error']);

/**
 * What a scenario keeps of an instance it rented or adopted. Dumont's InstanceResponse lacks geolocation and image:
 * VAST's own row is the second witness.
 */
export async function describeInstance(
  vast: ActivityDeps['vast'],
  inst: DumontInstance,
  offerId: number,
  adopted: boolean
): Promise<InstanceRef> {
  const row = await vast.showInstance(inst.id);
  return {
    instanceId: inst.id,
    label: inst.label ?? row?.label ?? '',
    offerId,
    gpuName: inst.gpu_name ?? row?.gpu_name ?? '',
    numGpus: inst.num_gpus ?? row?.num_gpus ?? 0,
    dphTotal: inst.dph_total ?? row?.dph_total ?? 0,
    geolocation: row?.geolocation ?? inst.geolocation ?? '',
    image: row?.image_uuid ?? inst.image ?? '',
    diskGb: inst.disk_space ?? row?.disk_space ?? 0,
    adopted,
  };
}

export function createInstanceActivities(deps: ActivityDeps) {
  const { dumont, vast, keys } = deps;
  const minPoll = deps.minPollMs ?? 25;
  const pollMs = (platformSeconds: number, timeScale: number) => Math.max(minPoll, scaled(platformSeconds, timeScale));

  const describe = (inst: DumontInstance, offerId: number, adopted: boolean) =>
    describeInstance(vast, inst, offerId, adopted);

  /**
   * The instance already carrying `label`, if any: from Dumont's list, or, when that list is unusable or lost
   * track of it, from VAST's rows with that label (then read back through Dumont, as a user would). With several
   * (a create that landed after another), the oldest is adopted; the saga destroys every one by label.
   */
  async function adopt(label: string, offerId: number | undefined): Promise<InstanceRef | undefined> {
    const listed = await dumont.listLabelled().catch(() => undefined);
    const atDumont = listed?.rows.filter((r) => r.label === label).map((r) => r.id) ?? [];
    const atVast = atDumont.length ? [] : (await vast.listInstances({ label })).map((r) => r.id);
    const id = [...atDumont, ...atVast].sort((a, b) => a - b)[0];
    if (id === undefined) return undefined;
    const inst = await dumont.getInstance(id);
    if (inst) return describe(inst, offerId ?? -1, true);
    // Dumont answers 404 for any provider error; VAST's row is enough to adopt (and later destroy) it.
    const row = await vast.showInstance(id);
    if (!row) return undefined;
    const fromVast: DumontInstance = {
      id: row.id,
      label: row.label,
      status: row.intended_status,
      actual_status: row.actual_status,
      gpu_name: row.gpu_name ?? null,
      num_gpus: row.num_gpus ?? null,
      dph_total: row.dph_total ?? null,
    };
    return describe(fromVast, offerId ?? -1, true);
  }

  /**
   * After a create whose answer was lost, the platform may still rent (a real Dumont serialises creates and
   * blocks minutes in each): look for the label until the landing window closes, and adopt what appears.
   */
  async function awaitLanding(label: string, offerId: number): Promise<InstanceRef | undefined> {
    const deadline = Date.now() + (deps.createLandingWindowMs ?? 180_000);
    for (;;) {
      const landed = await adopt(label, offerId);
      if (landed || Date.now() >= deadline) return landed;
      await pause(Math.min(2_000, Math.max(50, deadline - Date.now())));
    }
  }

  return {
    /** Dumont's offer search (sorted by price, as Dumont documents). */
    async searchOffers(query: DumontOfferQuery): Promise<DumontOffer[]> {
      return dumont.searchOffers(query);
    },

    /** VAST's own offer search: the independent witness for what the market holds. */
    async searchVastOffers(filter: VastFilter): Promise<VastOffer[]> {
      return vast.searchOffers(filter);
    },

    /**
     * Rents an instance labelled `label`. Idempotent: an instance already carrying the label (from an attempt
     * whose answer was lost, or a replay) is adopted instead of renting a second GPU.
     */
    async createInstance(input: CreateInstanceInput): Promise<InstanceRef> {
      if (input.offerId === undefined && !input.query) {
        throw nonRetryable(FailureTypes.InvalidInput, 'createInstance needs offerId or query');
      }
      await keys.ensureRegistered(input.suiteId);
      const adopted = await adopt(input.label, input.offerId);
      if (adopted) return adopted;
      const candidates =
        input.offerId !== undefined ? [input.offerId] : (await dumont.searchOffers(input.query!)).map((o) => o.id);
      if (candidates.length === 0) {
        throw retryable(FailureTypes.NoCapacity, `no offer matches ${JSON.stringify(input.query)} right now`);
      }
      for (const offerId of candidates.slice(0, 5)) {
        try {
          const create = () =>
            dumont.createInstance({
              offer_id: offerId,
              label: input.label,
              image: input.image,
              disk_size: input.diskGb,
              ...(input.onstart ? { onstart_cmd: input.onstart } : {}),
              skip_standby: !input.standby,
            });
          const inst = await (deps.createSlots ? deps.createSlots.run(create) : create());
          return describe(inst, offerId, false);
        } catch (err) {
          // Never create again blindly after an answer was lost: the first create may still land.
          if (mayHaveRented(err)) {
            const landed = await awaitLanding(input.label, offerId);
            if (landed) return landed;
            throw retryable(
              FailureTypes.CreateOutcomeUnknown,
              `create of ${input.label} on offer ${offerId} lost its answer (${(err as Error).message}) and nothing ` +
                `with its label appeared within ${Math.round((deps.createLandingWindowMs ?? 180_000) / 1000)}s`
            );
          }
          // "Unavailable" may mean WE rented it on an attempt whose answer was lost: look for our label first.
          const ours = err instanceof OfferUnavailableError ? await adopt(input.label, offerId) : undefined;
          if (ours) return ours;
          // Offers are rented by others in seconds: the next one is as good, unless the caller wanted this one.
          if (err instanceof OfferUnavailableError && input.offerId === undefined) continue;
          if (err instanceof OfferUnavailableError) {
            throw nonRetryable(FailureTypes.NoOffer, `offer ${offerId} is not available: ${err.message}`);
          }
          throw err;
        }
      }
      throw retryable(FailureTypes.NoCapacity, `the first offers of ${JSON.stringify(input.query)} were all taken`);
    },

    async getInstance(instanceId: number): Promise<DumontInstance | null> {
      return (await dumont.getInstance(instanceId)) ?? null;
    },

    /**
     * Waits until the platform says `running` with an SSH port AND our key logs in over SSH (Dumont's own
     * `running` can be a fallback of the intended state, so only an SSH login proves it).
     */
    async waitForRunning(input: WaitInput): Promise<WaitRunningResult> {
      const { privateKey } = keys.keyFor(input.suiteId);
      const blind = blindMs(input.startedAtMs);
      let exitedSince: number | undefined;
      let last: DumontInstance | undefined;
      const ready = await pollUntil(
        async () => {
          const inst = await dumont.getInstance(input.instanceId);
          last = inst;
          if (!inst) return undefined;
          const actual = inst.actual_status ?? '';
          if (BROKEN.has(actual)) {
            const why = (await vast.showInstance(input.instanceId))?.status_msg;
            throw nonRetryable(
              FailureTypes.InstanceFailed,
              `instance ${input.instanceId} is ${actual}${why ? `: ${why}` : ''}`
            );
          }
          // `exited` right after a start can be the old state; only a lasting one is a failed boot.
          if (actual === 'exited' && inst.status === 'running') {
            exitedSince ??= Date.now();
            if (Date.now() - exitedSince > scaled(60, input.timeScale)) {
              const why = (await vast.showInstance(input.instanceId))?.status_msg;
              throw nonRetryable(
                FailureTypes.InstanceFailed,
                `instance ${input.instanceId} exited instead of running${why ? `: ${why}` : ''}`
              );
            }
          } else exitedSince = undefined;
          if (actual !== 'running' || !inst.ssh_host || !inst.ssh_port) return undefined;
          const target = { host: inst.ssh_host, port: inst.ssh_port, username: 'root', privateKey };
          return (await probeSsh(target, 10_000)) ? target : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(5, input.timeScale) }
      );
      if (!ready) {
        throw nonRetryable(
          FailureTypes.WaitTimeout,
          `instance ${input.instanceId} not reachable over SSH within ${windowSeconds(input)} platform seconds ` +
            `(last status ${last?.status ?? 'gone'}/${last?.actual_status ?? 'none'})`
        );
      }
      return {
        sshHost: ready.host,
        sshPort: ready.port,
        platformSeconds: platformSecondsSince(input),
        ...(blind ? { blindMs: blind } : {}),
        workerStartedAtMs: WORKER_STARTED_AT_MS,
      };
    },

    /** Waits until the platform reports the instance stopped (intended and observed). */
    async waitForStopped(input: WaitInput): Promise<{ platformSeconds: number }> {
      let last: DumontInstance | undefined;
      const ok = await pollUntil(
        async () => {
          last = await dumont.getInstance(input.instanceId);
          return last && last.status === 'stopped' && STOPPED.has(last.actual_status ?? '') ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      if (!ok) {
        throw nonRetryable(
          FailureTypes.WaitTimeout,
          `instance ${input.instanceId} not stopped within ${windowSeconds(input)} platform seconds ` +
            `(last status ${last?.status ?? 'gone'}/${last?.actual_status ?? 'none'})`
        );
      }
      return { platformSeconds: platformSecondsSince(input) };
    },

    async pauseInstance(instanceId: number): Promise<void> {
      await dumont.pauseInstance(instanceId);
    },

    async resumeInstance(instanceId: number): Promise<void> {
      await dumont.resumeInstance(instanceId);
    },

    /** The scenario's own destroy call through Dumont (compensations use `destroyByLabel`). */
    async destroyInstance(instanceId: number): Promise<'destroyed' | 'already-gone'> {
      return dumont.destroyInstance(instanceId);
    },

    /**
     * Waits until the instance is absent from the Dumont list AND the VAST list (a single 404 proves nothing:
     * Dumont turns any provider error into 404). Does not throw on timeout: the caller checks `gone`.
     */
    async waitUntilGone(
      input: WaitWindow & { instanceId: number }
    ): Promise<{ gone: boolean; platformSeconds: number; seenAt: string[] }> {
      let seenAt: string[] = [];
      const gone = await pollUntil(
        async () => {
          // VAST's list is the witness of what bills; Dumont's is the product under test. When Dumont's list is
          // unusable (it answers 503 while its own VAST list is retired), its GET of the instance stands in.
          const [d, v] = await Promise.all([dumont.listLabelled().catch(() => undefined), vast.listLabelled()]);
          const atDumont = d
            ? d.rows.some((i) => i.id === input.instanceId)
            : (await dumont.getInstance(input.instanceId)) !== undefined;
          seenAt = [
            ...(atDumont ? ['dumont'] : []),
            ...(v.rows.some((i) => i.id === input.instanceId) ? ['vast'] : []),
          ];
          return seenAt.length === 0 ? true : undefined;
        },
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(2, input.timeScale) }
      );
      return { gone: gone === true, platformSeconds: platformSecondsSince(input), seenAt };
    },

    /** Waits until Dumont's market lists `offerId` again (e.g. after the instance renting it was destroyed). */
    async waitForOffer(
      input: WaitWindow & { offerId: number; query: DumontOfferQuery }
    ): Promise<{ available: boolean; platformSeconds: number }> {
      const found = await pollUntil(
        async () => ((await dumont.searchOffers(input.query)).some((o) => o.id === input.offerId) ? true : undefined),
        { deadlineMs: input.deadlineMs, startedAtMs: input.startedAtMs, intervalMs: pollMs(5, input.timeScale) }
      );
      return { available: found === true, platformSeconds: platformSecondsSince(input) };
    },
  };
}
