/** Rows in Dumont's wire shapes (`docs/simulator.md` § Dumont face; `src/platform/types.ts`). */
import type { DumontInstance, DumontOffer } from '../../platform/types';
import type { Offer } from '../core/offer';
import type { SimInstance } from '../instances/instance-record';
import { visibleSshPort } from '../instances/transitions';
import type { SimWorld } from '../world';

const gb = (mb: number): number => Math.round((mb / 1024) * 10) / 10;

/** `GpuOfferResponse`: GB units, string machine_id, reliability from reliability2. */
export function dumontOfferRow(offer: Offer, interruptible: boolean): DumontOffer & Record<string, unknown> {
  const reliability = offer.reliability2;
  return {
    id: offer.id,
    machine_id: String(offer.machine_id),
    gpu_name: offer.gpu_name,
    num_gpus: offer.num_gpus,
    gpu_ram: gb(offer.gpu_ram),
    cpu_cores: offer.cpu_cores_effective,
    cpu_ram: gb(offer.cpu_ram),
    disk_space: offer.disk_space,
    inet_down: offer.inet_down,
    inet_up: offer.inet_up,
    dph_total: interruptible ? offer.min_bid : offer.dph_total,
    geolocation: offer.geolocation,
    reliability,
    cuda_version: String(offer.cuda_max_good),
    verified: offer.verified,
    static_ip: offer.static_ip,
    is_blacklisted: false,
    blacklist_reason: null,
    success_rate: null,
    total_attempts: 0,
    reliability_status:
      reliability >= 0.99 ? 'excellent' : reliability >= 0.95 ? 'good' : reliability >= 0.9 ? 'fair' : 'poor',
  };
}

/**
 * `InstanceResponse`. `status` is the intended state and `actual_status` the observed one; with
 * `fallback` (create and list, as the real API does) a null actual_status shows the intended one.
 */
export function dumontInstanceRow(
  world: SimWorld,
  inst: SimInstance,
  fallback: boolean
): DumontInstance & Record<string, unknown> {
  const sshPort = visibleSshPort(world, inst);
  return {
    id: inst.id,
    status: inst.intended,
    actual_status: fallback ? (inst.actual ?? inst.intended) : inst.actual,
    gpu_name: inst.offer.gpu_name,
    num_gpus: inst.offer.num_gpus,
    gpu_ram: gb(inst.offer.gpu_ram),
    cpu_cores: inst.offer.cpu_cores_effective,
    cpu_ram: gb(inst.offer.cpu_ram),
    disk_space: inst.disk,
    dph_total: inst.dphTotal,
    public_ipaddr: '127.0.0.1',
    ssh_host: '127.0.0.1',
    ssh_port: sshPort,
    start_date: inst.createdAt,
    label: inst.label,
    ports: sshPort !== null ? { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: String(sshPort) }] } : null,
    geolocation: inst.offer.geolocation,
    image: inst.image,
    machine_id: inst.offer.machine_id,
    gpu_util: null,
    gpu_temp: null,
    cpu_util: null,
    ram_used: null,
    ram_total: null,
    provider: 'vast.ai',
  };
}
