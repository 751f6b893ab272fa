/** The admin snapshot of the simulator (`GET /_sim/state`, `RunningSim.state()`, `dumont-e2e sim state`). */
import { billingSummary } from '../core/billing';
import { storageVolumes } from '../features/storage-volumes';
import { liveVolumes, volumeRow } from '../features/storage-volumes/volume-store';
import { visibleSshPort } from '../instances/transitions';
import type { SimState } from '../types';
import type { SimWorld } from '../world';

/** What the simulator holds now: live instances and volumes, the whole bill, defects, faults, features. */
export function simState(world: SimWorld): SimState {
  return {
    now: world.clock.platformNow(),
    timeScale: world.clock.timeScale,
    profile: world.profile,
    instances: [...world.instances.values()].map((inst) => ({
      id: inst.id,
      label: inst.label,
      actual_status: inst.actual,
      intended_status: inst.intended,
      gpu_name: inst.offer.gpu_name,
      num_gpus: inst.offer.num_gpus,
      dph_total: inst.dphTotal,
      image: inst.image,
      disk_space: inst.disk,
      ssh_port: visibleSshPort(world, inst),
      offer_id: inst.offer.id,
      created_via: inst.createdVia,
      resume_count: inst.resumeCount,
      reported_gpus: inst.reportedGpus,
      dir: inst.dir,
    })),
    // Kept at the top level for callers written before feature modules; also in features['storage-volumes'].
    volumes: liveVolumes(world.features.stateOf(storageVolumes)).map((v) =>
      volumeRow(v, (id) => world.instances.has(id))
    ),
    billing: billingSummary(world),
    defects: world.defects.names(),
    faults: { ...world.faults.settings(), injected: world.faults.injectedCounts(), hitOn: world.faults.subjects() },
    features: world.features.views(),
  };
}
