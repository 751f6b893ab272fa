/**
 * Renting an offer: the instance record, its directory and process groups, then the boot sequence
 * (`null` → `created` → `loading` → `running`, `instance-boot.ts`).
 */
import type { SimWorld } from '../world';
import { enterLoading } from './instance-boot';
import { instancePaths, isPytorchImage, prepareInstanceDir } from './instance-files';
import type { CreateRequest, SimInstance } from './instance-record';
import { ProcessGroups } from './process-groups';
import { TIMINGS } from './timings';
import { emit, schedule, setActual } from './transitions';

/** The price-differs-from-offer defect's markup. */
const PRICE_DEFECT_MARKUP = 1.15;

/**
 * Rents an offer. Returns the new instance, or `no_such_ask` when the offer is unknown or off the
 * market. A bid below the offer's `min_bid` creates the instance stopped, as VAST does.
 */
export function createInstance(world: SimWorld, req: CreateRequest): SimInstance | 'no_such_ask' {
  const offer = world.offerById.get(req.offerId);
  if (!offer || world.rented.has(offer.id)) return 'no_such_ask';
  world.rented.add(offer.id);
  const now = world.clock.platformNow();
  const id = world.nextInstanceId++;
  const paths = instancePaths(world.dataDir, id);
  const isBid = req.price !== undefined;
  const onDemandPrice = world.has('price-differs-from-offer', req.label)
    ? Number((offer.dph_total * PRICE_DEFECT_MARKUP).toFixed(4))
    : offer.dph_total;
  const inst: SimInstance = {
    id,
    offer,
    label: req.label,
    image: req.image,
    disk: req.disk,
    env: req.env,
    onstart: req.onstart,
    runtype: req.runtype,
    isBid,
    dphTotal: req.price ?? onDemandPrice,
    createdVia: req.via,
    standbyRequested: req.standby ?? false,
    instanceApiKey: world.prng.hex(64),
    actual: null,
    intended: 'running',
    statusMsg: null,
    createdAt: now,
    destroyedAt: null,
    runningSeconds: 0,
    runningSince: null,
    sshPort: null,
    sshPortVisibleAt: 0,
    // Filled by the ssh-keys feature on the create event (the account's keys at create time).
    accountKeys: [],
    instanceKeys: [],
    resumeCount: 0,
    stoppedAt: null,
    reportedGpus: null,
    ollamaPort: null,
    epoch: 0,
    timers: new Set(),
    dir: paths.root,
  };
  prepareInstanceDir(paths);
  world.instances.set(id, inst);
  world.allInstances.push(inst);
  world.groups.set(id, new ProcessGroups());
  world.log(`instance ${id} created on offer ${offer.id} (${offer.num_gpus}x ${offer.gpu_name}, ${req.image})`);
  if (isBid && (req.price ?? 0) < offer.min_bid) {
    inst.intended = 'stopped';
    inst.stoppedAt = now;
    setActual(world, inst, 'stopped', 'Bid price below the current minimum; instance created stopped.');
    emit(world, inst, { type: 'create' });
    return inst;
  }
  emit(world, inst, { type: 'create' });
  schedule(world, inst, TIMINGS.toCreated, () => {
    setActual(world, inst, 'created', 'Creating container');
    schedule(world, inst, TIMINGS.toLoading, () => {
      enterLoading(world, inst, isPytorchImage(inst.image) ? TIMINGS.bootPytorch : TIMINGS.bootBase, false);
    });
  });
  return inst;
}
