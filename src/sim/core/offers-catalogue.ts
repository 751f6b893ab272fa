/**
 * The offers catalogue: a realistic, deterministic market (same seed, same offers) with several
 * on-demand offers for every shape the lifecycle scenarios ask for (1× RTX 4090, 1× RTX 3080 at distinct
 * prices, 2× RTX 3090, European hosts) and every GPU count VAST sells.
 */
import { gpuModel } from '../instances/gpu-models';
import { createPrng } from './prng';
import { LOCATIONS, countryOf } from './regions';
import type { Offer } from './offer';

/** [gpu_name, num_gpus, how many offers]. */
// Deep enough that a suite renting "any 1x RTX 3090" several at a time (scenario 15 takes three) rarely waits.
const PLAN: [string, number, number][] = [
  ['RTX 4090', 1, 12],
  ['RTX 4090', 2, 3],
  ['RTX 4090', 4, 2],
  ['RTX 4090', 8, 1],
  ['RTX 3080', 1, 8],
  ['RTX 3080', 2, 2],
  ['RTX 3090', 1, 16],
  ['RTX 3090', 2, 6],
  ['RTX 3090', 4, 2],
  ['RTX 3090', 8, 1],
  ['A100 SXM4', 1, 3],
  ['A100 SXM4', 2, 2],
  ['A100 SXM4', 4, 1],
  ['A100 SXM4', 8, 2],
  ['H100 SXM', 1, 3],
  ['H100 SXM', 2, 1],
  ['H100 SXM', 4, 1],
  ['H100 SXM', 8, 2],
];

const CPUS = [
  'AMD EPYC 7742 64-Core Processor',
  'AMD Ryzen 9 7950X 16-Core Processor',
  'Intel Xeon Gold 6338',
  'AMD EPYC 9554 64-Core Processor',
];
const DRIVERS = ['535.183.01', '545.29.06', '550.54.15', '555.42.02'];

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Largest {@link buildOffers} scale: 100 × the default catalogue's 68 offers. */
export const MAX_CATALOGUE_SCALE = 100;

/**
 * Builds the catalogue for a seed; offer ids, machines, hosts and prices all derive from it. `scale` multiplies the
 * offers of every shape (benchmarks that hold a thousand live instances need more than 68 offers); scale 1 is the
 * catalogue every scenario is written against, unchanged.
 */
export function buildOffers(seed: number, scale = 1): Offer[] {
  const prng = createPrng(seed * 7 + 3);
  const offers: Offer[] = [];
  let index = 0;
  const usedPrices = new Set<string>();
  // Offers walk the location ring in order (every location appears; neighbours always include Europe).
  const ringShift = prng.int(0, LOCATIONS.length - 1);
  for (const [gpuName, numGpus, perShape] of PLAN) {
    const count = perShape * scale;
    const model = gpuModel(gpuName);
    for (let k = 0; k < count; k++) {
      const i = index++;
      const geolocation = LOCATIONS[(ringShift + i) % LOCATIONS.length];
      const country = countryOf(geolocation);
      const european = !['US', 'JP', 'KR', 'SG', 'TW'].includes(country);
      const [low, high] = model.pricePerGpu;
      // Spread the group over the price range so prices are distinct; Europe costs a little more.
      const spread = (k + prng.float(0.1, 0.9)) / count;
      let dph = (low + (high - low) * spread) * numGpus * (numGpus >= 4 ? 0.95 : 1) * (european ? 1.04 : 1);
      while (usedPrices.has(dph.toFixed(4))) dph += 0.0007;
      usedPrices.add(dph.toFixed(4));
      const dphTotal = round(dph, 4);
      const reliability = round(k === count - 1 && count > 2 ? prng.float(0.86, 0.93) : prng.float(0.95, 0.9995), 4);
      const dlperf = round(model.dlperf * numGpus * prng.float(0.9, 1.05), 2);
      const cpuCores = numGpus * prng.pick([8, 12, 16]);
      const storageCost = round(prng.float(0.08, 0.3), 3);
      const cudaMaxGood = prng.pick([12.2, 12.4, 12.6, 12.8]);
      offers.push({
        id: 8_200_000 + i * 7_919 + prng.int(0, 7_000),
        machine_id: 11_000 + i * 37 + prng.int(0, 30),
        host_id: 90_000 + Math.floor(i / 2) * 101 + prng.int(0, 90),
        gpu_name: gpuName,
        num_gpus: numGpus,
        gpu_ram: model.vramMiB,
        gpu_total_ram: model.vramMiB * numGpus,
        cpu_name: prng.pick(CPUS),
        cpu_cores: cpuCores * 2,
        cpu_cores_effective: cpuCores,
        cpu_ram: numGpus * prng.pick([32, 64, 128]) * 1024,
        disk_space: prng.pick([200, 500, 1000, 2000]) * Math.max(1, numGpus / 2),
        disk_bw: round(prng.float(800, 6000), 1),
        dph_base: round(dphTotal * 0.96, 4),
        dph_total: dphTotal,
        min_bid: round(dphTotal * prng.float(0.45, 0.65), 4),
        storage_cost: storageCost,
        inet_up: round(prng.float(200, 5000), 1),
        inet_down: round(prng.float(300, 8000), 1),
        inet_up_cost: round(prng.float(0.001, 0.01), 4),
        inet_down_cost: round(prng.float(0.001, 0.01), 4),
        reliability,
        reliability2: reliability,
        score: round(dlperf / dphTotal + reliability * 100, 3),
        dlperf,
        dlperf_per_dphtotal: round(dlperf / dphTotal, 3),
        total_flops: round(model.tflops * numGpus, 2),
        flops_per_dphtotal: round((model.tflops * numGpus) / dphTotal, 3),
        geolocation,
        country,
        static_ip: prng.next() < 0.6,
        public_ipaddr: `198.51.100.${(i % 250) + 1}`,
        direct_port_count: prng.pick([20, 50, 100, 500]),
        hosting_type: prng.next() < 0.4 ? 1 : 0,
        datacenter: prng.next() < 0.4,
        cuda_max_good: cudaMaxGood,
        driver_version: prng.pick(DRIVERS),
        compute_cap: model.computeCap,
        verified: true,
        end_date: 0,
      });
    }
  }
  return offers;
}
