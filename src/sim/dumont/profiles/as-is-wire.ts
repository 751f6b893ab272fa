/**
 * The real Dumont server's `InstanceResponse` rows (`docs/simulator.md` § Profiles): each one is the
 * account's VAST row of the instance read the way Dumont's VAST provider reads it, then the fallbacks of
 * each handler. RAM stays in VAST's MB, `start_date` is an ISO string of the time of the read, and only the
 * real response model's fields are present.
 */
import type { SimInstance } from '../../instances/instance-record';
import { vastInstanceRow } from '../../vast/wire-vast';
import type { SimWorld } from '../../world';
import type { DumontRead } from './types';

/** `epochSeconds` as Python's naive `datetime.isoformat()` (UTC): microseconds, left out when zero. */
export function pythonIsoformat(epochSeconds: number): string {
  const micros = Math.round(epochSeconds * 1e6);
  const whole = Math.floor(micros / 1e6);
  const fraction = micros - whole * 1e6;
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return fraction === 0 ? base : `${base}.${String(fraction).padStart(6, '0')}`;
}

type PortMap = Record<string, { HostPort?: string }[] | undefined>;

/** The `InstanceResponse` of `inst` in answer `read`, as the real server builds it. */
export function asIsInstanceRow(world: SimWorld, inst: SimInstance, read: DumontRead): Record<string, unknown> {
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
    start_date: read !== 'create' && vast.start_date ? pythonIsoformat(world.clock.platformNow()) : null,
    label: vast.label ?? null,
    ports,
    gpu_util: null,
    gpu_temp: null,
    cpu_util: null,
    ram_used: null,
    ram_total: null,
    provider: 'vast.ai',
    cpu_standby: null,
    total_dph: read === 'list' ? dphTotal : null,
  };
}
