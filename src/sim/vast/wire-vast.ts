/** Rows in VAST's wire shapes (`docs/simulator.md` § VAST face): offers, instances, charges. */
import { billingDefectsFor, instanceUsage } from '../core/billing';
import type { Offer } from '../core/offer';
import { CUDA_VERSION, DRIVER_VERSION } from '../instances/gpu-models';
import type { SimInstance } from '../instances/instance-record';
import { visibleSshPort } from '../instances/transitions';
import type { SimWorld } from '../world';

/** A stable fraction in [0, 1) drawn from the offer id (fields the catalogue does not model vary by machine). */
const spread = (id: number, salt: number): number => (((id * 2654435761 + salt * 40503) >>> 0) % 1000) / 1000;

/**
 * The hardware fields VAST's offers carry (vast-api.md §3.1, VAST's OpenAPI `bundles` example) that the catalogue
 * does not model, derived from the offer so they stay the same across searches.
 */
function hardwareFields(offer: Offer): Record<string, unknown> {
  const sxm = /SXM|NVL/.test(offer.gpu_name);
  return {
    cpu_ghz: Math.round((2.2 + spread(offer.id, 1) * 1.6) * 10) / 10,
    cpu_arch: 'amd64',
    bw_nvlink: sxm && offer.num_gpus > 1 ? 900 : 0,
    gpu_mem_bw: Math.round(500 + spread(offer.id, 2) * 2800),
    gpu_lanes: 16,
    pci_gen: 4,
    mobo_name: 'sim-board',
    disk_name: 'sim-nvme',
    has_avx: 1,
    vms_enabled: false,
    os_version: '22.04',
  };
}

/** An offer as `POST /api/v0/bundles/` returns it; `bid` prices it for the interruptible market. */
export function vastOfferRow(offer: Offer, type: 'on-demand' | 'bid', now: number): Record<string, unknown> {
  const { country: _country, ...fields } = offer;
  const dphTotal = type === 'bid' ? offer.min_bid : offer.dph_total;
  return {
    ...fields,
    ...hardwareFields(offer),
    ask_contract_id: offer.id,
    bundle_id: offer.id,
    bundled_results: 0,
    dph_total: dphTotal,
    // No reserved-term discount is ever offered here: the discounted price is the price.
    discounted_dph_total: dphTotal,
    discount_rate: 0,
    is_bid: type === 'bid',
    rentable: true,
    rented: false,
    verification: offer.verified ? 'verified' : 'unverified',
    external: false,
    gpu_frac: 1,
    gpu_display_active: false,
    pcie_bw: 24.6,
    duration: Math.max(0, offer.end_date - now),
    location: offer.geolocation,
  };
}

/**
 * The SSH proxy an instance is reached through, as VAST's `ssh_idx` names it: a string holding a small proxy number
 * (VAST's hosts are `ssh<idx>.vast.ai`, e.g. `ssh5.vast.ai` with `ssh_idx` `"5"`), fixed for the instance's life like
 * its proxy port. The simulator's one proxy is the loopback, so `ssh_host` stays `127.0.0.1` whatever the index: a
 * `ssh<idx>.vast.ai` name cannot be served offline, and `*.localhost` names do not resolve through getaddrinfo on a
 * host without systemd-resolved (docs/simulator.md § VAST face, SSH host and ssh_idx).
 */
export const sshProxyIndex = (inst: Pick<SimInstance, 'id'>): string => String(1 + (inst.id % 9));

/** An instance row (`GET /api/v0/instances/{id}/` and the list items of `/api/v1/instances/`). */
export function vastInstanceRow(world: SimWorld, inst: SimInstance): Record<string, unknown> {
  const offer = inst.offer;
  const sshPort = visibleSshPort(world, inst);
  const now = world.clock.platformNow();
  const row: Record<string, unknown> = {
    id: inst.id,
    label: inst.label,
    actual_status: inst.actual,
    intended_status: inst.intended,
    cur_state: inst.intended,
    next_state: inst.intended,
    status_msg: inst.statusMsg,
    machine_id: offer.machine_id,
    host_id: offer.host_id,
    bundle_id: offer.id,
    gpu_name: offer.gpu_name,
    num_gpus: offer.num_gpus,
    gpu_ram: offer.gpu_ram,
    gpu_totalram: offer.gpu_total_ram,
    gpu_util: inst.actual === 'running' ? 0 : null,
    gpu_temp: inst.actual === 'running' ? 31 : null,
    cpu_name: offer.cpu_name,
    cpu_cores: offer.cpu_cores,
    cpu_cores_effective: offer.cpu_cores_effective,
    cpu_ram: offer.cpu_ram,
    cpu_util: inst.actual === 'running' ? 0.1 : null,
    disk_space: inst.disk,
    disk_util: 0,
    dph_base: inst.isBid ? inst.dphTotal : offer.dph_base,
    dph_total: inst.dphTotal,
    storage_cost: offer.storage_cost,
    is_bid: inst.isBid,
    min_bid: offer.min_bid,
    geolocation: offer.geolocation,
    reliability2: offer.reliability2,
    verification: offer.verified ? 'verified' : 'unverified',
    static_ip: offer.static_ip,
    inet_up: offer.inet_up,
    inet_down: offer.inet_down,
    cuda_max_good: offer.cuda_max_good,
    driver_version: DRIVER_VERSION,
    compute_cap: offer.compute_cap,
    public_ipaddr: '127.0.0.1',
    local_ipaddrs: '127.0.0.1\n',
    ssh_host: '127.0.0.1',
    ssh_port: sshPort,
    ssh_idx: sshProxyIndex(inst),
    machine_dir_ssh_port: sshPort,
    direct_port_start: -1,
    direct_port_end: -1,
    direct_port_count: offer.direct_port_count,
    image_uuid: inst.image,
    image_runtype: inst.runtype,
    image_args: [],
    extra_env: inst.env.map(([k, v]) => [k, v]),
    onstart: inst.onstart,
    jupyter_token: null,
    template_hash_id: null,
    start_date: inst.createdAt,
    end_date: offer.end_date,
    duration: Math.max(0, offer.end_date - now),
    uptime_mins: inst.actual === 'running' && inst.runningSince !== null ? (now - inst.runningSince) / 60 : null,
    volume_info: null,
    time_remaining: '',
    cuda_version: CUDA_VERSION,
  };
  if (sshPort !== null) row.ports = { '22/tcp': [{ HostIp: '0.0.0.0', HostPort: String(sshPort) }] };
  return row;
}

/** One `GET /api/v0/charges/` row per instance (destroyed ones too) and per feature charge (volumes). */
export function vastChargeRows(world: SimWorld): Record<string, unknown>[] {
  const now = world.clock.platformNow();
  const day = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);
  const rows: Record<string, unknown>[] = world.allInstances.map((inst) => {
    const usage = instanceUsage(inst, now, billingDefectsFor(world, inst));
    return {
      start: inst.createdAt,
      end: inst.destroyedAt ?? now,
      day: day(inst.createdAt),
      type: 'instance',
      source: `instance-${inst.id}`,
      description: `${inst.offer.num_gpus}x ${inst.offer.gpu_name} instance ${inst.id}`,
      amount: usage.usd,
      metadata: { label: inst.label, gpu_seconds: usage.gpuSeconds, storage_gb_seconds: usage.storageGbSeconds },
      items: [],
    };
  });
  for (const charge of world.features.charges(now)) {
    const { usage } = charge;
    rows.push({
      start: charge.start,
      end: charge.end,
      day: day(charge.start),
      type: usage.kind,
      source: `${usage.kind}-${usage.id}`,
      description: charge.description,
      amount: usage.usd,
      metadata: { label: usage.label, gpu_seconds: usage.gpuSeconds, storage_gb_seconds: usage.storageGbSeconds },
      items: [],
    });
  }
  return rows;
}
