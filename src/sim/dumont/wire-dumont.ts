/** Rows in Dumont's wire shapes (`docs/simulator.md` § Dumont face; `src/platform/types.ts`). */
import type { DumontOffer } from '../../platform/types';
import type { Offer } from '../core/offer';
import type { SimInstance } from '../instances/instance-record';
import { serverless } from '../features/serverless';
import { liveStandby, standbyRow } from '../features/serverless/serverless-store';
import { vastInstanceRow } from '../vast/wire-vast';
import type { SimWorld } from '../world';
import type { DumontRead } from './profiles/types';

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
 * Which `start_date` a row carries: `start` (the `ideal` profile) is the instance's start; `read` (the
 * `dumont-as-is` profile) is the time of the read, as the real server shows it (`docs/simulator.md` § Profiles).
 */
export type StartDateSource = 'start' | 'read';

type PortMap = Record<string, { HostPort?: string }[] | undefined>;

/**
 * `InstanceResponse` exactly as Dumont's response model has it (dumont-api.md §3; the real
 * `src/api/v1/schemas/response.py`): built from the account's VAST row as Dumont's VAST provider reads it, then
 * with each handler's fallbacks. Only the model's fields (no `geolocation`, `image`, `machine_id`); RAM in VAST's
 * MB; `start_date` an ISO string, null in the create answer (the handler never sets it); `ports` an object;
 * `cpu_standby` and `total_dph` present (the standby and `dph_total` plus its price in the list, null elsewhere).
 */
export function dumontInstanceRow(
  world: SimWorld,
  inst: SimInstance,
  read: DumontRead,
  startDate: StartDateSource
): Record<string, unknown> {
  const vast = vastInstanceRow(world, inst);
  // A row without `ports` (not running) reads as {}; ssh_port falls back to the 22/tcp mapping.
  const ports = (vast.ports as PortMap | undefined) ?? {};
  const mapped = Number(ports['22/tcp']?.[0]?.HostPort);
  const sshPort = (vast.ssh_port as number | null) || (Number.isInteger(mapped) ? mapped : null);
  const intended = (vast.intended_status as string | null) ?? 'unknown';
  const actual = vast.actual_status as string | null;
  // Create and list fall back to the intended status (then a constant); a single GET passes the raw value.
  const fallback = read === 'create' ? 'loading' : 'stopped';
  const dphTotal = (vast.dph_total as number | null) ?? 0;
  const started = vast.start_date as number | null;
  const shownStart = startDate === 'read' ? world.clock.platformNow() : started;
  return {
    id: vast.id,
    status: read === 'get' ? intended : intended || fallback,
    actual_status: read === 'get' ? actual : actual || intended || fallback,
    gpu_name: vast.gpu_name ?? 'Unknown',
    num_gpus: vast.num_gpus ?? 1,
    gpu_ram: vast.gpu_ram ?? 0,
    cpu_cores: vast.cpu_cores ?? 0,
    cpu_ram: vast.cpu_ram ?? 0,
    disk_space: vast.disk_space ?? 0,
    dph_total: dphTotal,
    public_ipaddr: vast.public_ipaddr ?? null,
    ssh_host: vast.ssh_host ?? null,
    ssh_port: sshPort,
    start_date: read !== 'create' && started && shownStart !== null ? pythonIsoformat(shownStart) : null,
    label: vast.label ?? null,
    ports,
    gpu_util: null,
    gpu_temp: null,
    cpu_util: null,
    ram_used: null,
    ram_total: null,
    provider: 'vast.ai',
    ...standbyFields(world, inst, read, dphTotal),
  };
}

/**
 * `cpu_standby` and `total_dph`: the list shows the instance's CPU standby (the real handler's `CPUStandbyInfo` from
 * its association, at the simulator's standby price) and adds its price to `total_dph`; create and GET show neither.
 */
function standbyFields(
  world: SimWorld,
  inst: SimInstance,
  read: DumontRead,
  dphTotal: number
): Record<string, unknown> {
  if (read !== 'list') return { cpu_standby: null, total_dph: null };
  const standby = liveStandby(world.features.stateOf(serverless), inst.id);
  if (!standby) return { cpu_standby: null, total_dph: dphTotal };
  const row = standbyRow(standby);
  const vm = row.cpu_standby as { name?: string; zone?: string; ip?: string } | undefined;
  return {
    cpu_standby: {
      enabled: true,
      provider: 'gcp',
      name: vm?.name ?? null,
      zone: vm?.zone ?? null,
      ip: vm?.ip ?? null,
      machine_type: 'e2-medium',
      status: 'running',
      dph_total: standby.dphTotal,
      sync_enabled: row.sync_enabled === true,
      sync_count: standby.syncCount,
      state: typeof row.state === 'string' ? row.state : standby.state,
    },
    total_dph: Math.round((dphTotal + standby.dphTotal) * 1e6) / 1e6,
  };
}

/** `epochSeconds` as Python's naive `datetime.isoformat()` (UTC): microseconds, left out when zero. */
export function pythonIsoformat(epochSeconds: number): string {
  const micros = Math.round(epochSeconds * 1e6);
  const whole = Math.floor(micros / 1e6);
  const fraction = micros - whole * 1e6;
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}
