/** The admin snapshot of the simulator (`GET /_sim/state`, `RunningSim.state()`). */
import { billingSummary } from '../core/billing';
import { visibleSshPort } from '../instances/instance-lifecycle';
import type { SimState } from '../types';
import { vastVolumeRow } from '../vast/wire-vast';
import type { SimWorld } from '../world';

/** What the simulator holds now: live instances and volumes, the whole bill, defects and faults. */
export function simState(world: SimWorld): SimState {
  return {
    now: world.clock.platformNow(),
    timeScale: world.clock.timeScale,
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
    volumes: world.liveVolumes().map(vastVolumeRow),
    billing: billingSummary(world),
    defects: [...world.defects],
    faults: world.faults.settings(),
  };
}
