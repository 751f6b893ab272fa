/**
 * Steps the warm-pool scenarios (33–37) share: a host with two free GPUs, a pool provisioned on it (labelled, its
 * cleanup registered first), and the pool's machines as places to run commands.
 */
import type { WarmPoolHost, WarmPoolStatus } from '../../../activities/failover-warm-pool';
import { isCancellation } from '@temporalio/workflow';
import { failureTypeOf, messageOf, must, type ScenarioContext } from '../../kit';
import { shortHash } from '../../../labels';
import { BASE_IMAGE, fo, onInstance, type Machine } from './helpers';

/**
 * The pool key of a label: Dumont's warm pools are keyed by a caller-chosen integer, derived here from the pool's
 * label so that a retried provision, the compensation and a rerun all name the same pool.
 */
export function warmPoolMachineId(label: string): number {
  return 100_000 + (parseInt(shortHash(label), 36) % 900_000);
}

/** The hosts of `GET /warmpool/hosts` that `pred` accepts, cheapest first (check `host-found`: at least one). */
export async function pickHosts(
  ctx: ScenarioContext,
  what = 'a host with two free GPUs',
  pred: (h: WarmPoolHost) => boolean = () => true,
  check = 'host-found'
): Promise<WarmPoolHost[]> {
  const hosts = (await fo(ctx).warmPoolHosts({ minGpus: 2 })).filter(
    (h) => h.can_create_warm_pool !== false && pred(h)
  );
  must(
    ctx.check(
      check,
      `the platform lists ${what} for a warm pool`,
      hosts.length > 0,
      hosts.length
        ? hosts
            .slice(0, 3)
            .map((h) => `machine ${h.machine_id}: ${h.total_gpus}x ${h.gpu_name} in ${h.geolocation}`)
            .join('; ')
        : 'none fits'
    ),
    'no host'
  );
  return hosts;
}

/**
 * Provisions a warm pool for `step` on the first of `hosts` still free (another scenario may take a host between the
 * listing and the provision: the platform then refuses it and the next one is tried; a pool whose GPU did not boot
 * within the platform's own wait is removed and the next host tried too); its GPUs are
 * `<label>/primary` and `<label>/standby`, its volume `<label>/volume`. Check `<step>-provisioned`: an active pool.
 */
export async function provisionPool(
  ctx: ScenarioContext,
  step: string,
  hosts: WarmPoolHost[]
): Promise<{ status: WarmPoolStatus; host: WarmPoolHost }> {
  const tried: string[] = [];
  const started = await ctx.steps.now();
  const result = await ctx.acquire('warm-pool', step, async (label) => {
    // Deprovisioned by its key too, before the label sweep: a platform that ignores our label (Dumont names the GPUs
    // `warmpool-primary-<machine_id>`) or cannot list pools must still lose this one.
    const machineId = warmPoolMachineId(label);
    ctx.saga.add(`deprovision warm pool ${machineId} (${label})`, () => fo(ctx).cleanupWarmPool({ machineId }));
    // Scenarios start at different hosts of the list, so pools provisioned side by side rarely want the same one.
    const start = ctx.spec.id % hosts.length;
    for (const host of [...hosts.slice(start), ...hosts.slice(0, start)].slice(0, 5)) {
      try {
        const status = await fo(ctx).provisionWarmPool({
          suiteId: ctx.suiteId,
          machine_id: machineId,
          host_machine_id: host.machine_id,
          gpu_name: host.gpu_name,
          image: BASE_IMAGE,
          disk_size: 20,
          volume_size: 50,
          label,
        });
        if (status.state !== 'error' && status.state !== 'degraded') return { status, host };
        // A GPU that did not boot in the platform's own wait (a slow host): remove that pool, try the next host.
        tried.push(`${host.machine_id}: ${status.state}${status.error_message ? ` (${status.error_message})` : ''}`);
        await fo(ctx).cleanupWarmPool({ machineId: status.machine_id });
      } catch (err) {
        if (isCancellation(err) || failureTypeOf(err) !== 'InvalidRequestError') throw err;
        tried.push(`${host.machine_id}: ${messageOf(err)}`);
      }
    }
    return undefined;
  });
  ctx.metric(`${step}ProvisionSeconds`, ((await ctx.steps.now()) - started) / 1000 / ctx.timeScale);
  must(
    ctx.check(
      `${step}-provisioned`,
      `warm pool ${step} provisioned and active`,
      result?.status.state === 'active',
      result
        ? `state ${result.status.state}${result.status.error_message ? `: ${result.status.error_message}` : ''} on machine ${result.host.machine_id}, primary ${result.status.primary_gpu_id}, standby ${result.status.standby_gpu_id}`
        : `no host could be used: ${tried.join('; ')}`
    ),
    'not provisioned'
  );
  return result!;
}

/** The pool's primary GPU as a machine to run commands on. */
export function primaryOf(status: WarmPoolStatus): Machine {
  return onInstance(status.primary_gpu_id ?? -1, 'the primary GPU');
}

/** A pool's GPU as VAST sees it (the independent witness of where it runs and in which state). */
export async function atVast(ctx: ScenarioContext, instanceId: number | null) {
  return instanceId === null ? null : fo(ctx).vastInstance({ instanceId });
}
