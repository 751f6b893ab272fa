/** The record of one offer on the simulated market. */

/** An offer of the catalogue, in VAST's field names and units (`gpu_ram`, `cpu_ram` in MB). */
export interface Offer {
  id: number;
  machine_id: number;
  host_id: number;
  gpu_name: string;
  num_gpus: number;
  gpu_ram: number;
  gpu_total_ram: number;
  cpu_name: string;
  cpu_cores: number;
  cpu_cores_effective: number;
  cpu_ram: number;
  disk_space: number;
  disk_bw: number;
  dph_base: number;
  dph_total: number;
  min_bid: number;
  storage_cost: number;
  inet_up: number;
  inet_down: number;
  inet_up_cost: number;
  inet_down_cost: number;
  reliability: number;
  reliability2: number;
  score: number;
  dlperf: number;
  dlperf_per_dphtotal: number;
  total_flops: number;
  flops_per_dphtotal: number;
  geolocation: string;
  /** ISO country code, the last token of `geolocation`. */
  country: string;
  static_ip: boolean;
  public_ipaddr: string;
  direct_port_count: number;
  hosting_type: number;
  datacenter: boolean;
  cuda_max_good: number;
  driver_version: string;
  compute_cap: number;
  verified: boolean;
  end_date: number;
}
