/** GPU models the simulator rents (VAST spelling) and what the machine's driver calls them. */
import { createPrng } from '../core/prng';

export interface GpuModelSpec {
  /** VAST `gpu_name`, e.g. "RTX 4090". */
  name: string;
  /** What nvidia-smi and torch print, e.g. "NVIDIA GeForce RTX 4090". */
  nvidiaName: string;
  vramMiB: number;
  /** On-demand $/h per GPU, low and high end of the market. */
  pricePerGpu: [number, number];
  /** CC × 100, as VAST's `compute_cap`. */
  computeCap: number;
  powerLimitW: number;
  /** Deep-learning perf score per GPU (VAST `dlperf`). */
  dlperf: number;
  tflops: number;
}

const MODELS: GpuModelSpec[] = [
  {
    name: 'RTX 3070',
    nvidiaName: 'NVIDIA GeForce RTX 3070',
    vramMiB: 8192,
    pricePerGpu: [0.06, 0.1],
    computeCap: 860,
    powerLimitW: 220,
    dlperf: 16,
    tflops: 20,
  },
  {
    name: 'RTX 3080',
    nvidiaName: 'NVIDIA GeForce RTX 3080',
    vramMiB: 10240,
    pricePerGpu: [0.08, 0.16],
    computeCap: 860,
    powerLimitW: 320,
    dlperf: 22,
    tflops: 29,
  },
  {
    name: 'RTX 3090',
    nvidiaName: 'NVIDIA GeForce RTX 3090',
    vramMiB: 24576,
    pricePerGpu: [0.17, 0.3],
    computeCap: 860,
    powerLimitW: 350,
    dlperf: 27,
    tflops: 35,
  },
  {
    name: 'RTX 4090',
    nvidiaName: 'NVIDIA GeForce RTX 4090',
    vramMiB: 24564,
    pricePerGpu: [0.3, 0.6],
    computeCap: 890,
    powerLimitW: 450,
    dlperf: 48,
    tflops: 82,
  },
  {
    name: 'A100 PCIE',
    nvidiaName: 'NVIDIA A100 80GB PCIe',
    vramMiB: 81920,
    pricePerGpu: [0.8, 1.3],
    computeCap: 800,
    powerLimitW: 300,
    dlperf: 70,
    tflops: 19,
  },
  {
    name: 'A100 SXM4',
    nvidiaName: 'NVIDIA A100-SXM4-80GB',
    vramMiB: 81920,
    pricePerGpu: [0.95, 1.6],
    computeCap: 800,
    powerLimitW: 400,
    dlperf: 80,
    tflops: 19,
  },
  {
    name: 'H100 PCIE',
    nvidiaName: 'NVIDIA H100 PCIe',
    vramMiB: 81559,
    pricePerGpu: [1.6, 2.3],
    computeCap: 900,
    powerLimitW: 350,
    dlperf: 110,
    tflops: 51,
  },
  {
    name: 'H100 SXM',
    nvidiaName: 'NVIDIA H100 80GB HBM3',
    vramMiB: 81559,
    pricePerGpu: [1.9, 2.9],
    computeCap: 900,
    powerLimitW: 700,
    dlperf: 140,
    tflops: 67,
  },
];

/** The spec of a VAST gpu_name; unknown names get a generic spec so a row never breaks the tools. */
export function gpuModel(name: string): GpuModelSpec {
  return (
    MODELS.find((m) => m.name === name) ?? {
      ...MODELS[1],
      name,
      nvidiaName: `NVIDIA ${name}`,
    }
  );
}

/** The model a machine under the gpu-model-mismatch defect reports instead of the rented one. */
export function mismatchedModel(name: string): string {
  const swaps: Record<string, string> = {
    'RTX 4090': 'RTX 3090',
    'RTX 3090': 'RTX 3080',
    'RTX 3080': 'RTX 3070',
    'A100 SXM4': 'A100 PCIE',
    'H100 SXM': 'H100 PCIE',
  };
  return swaps[name] ?? 'RTX 3070';
}

/** What the machine reports: model (VAST gpu_name) and count, which defects may make differ from the rental. */
export interface ReportedGpus {
  name: string;
  count: number;
}

/** Driver and CUDA versions every simulated machine reports (nvidia-smi header, instance rows). */
export const DRIVER_VERSION = '550.54.15';
export const CUDA_VERSION = '12.4';

/** Stable per-instance GPU UUIDs, formatted as nvidia-smi prints them. */
export function gpuUuids(instanceId: number, count: number): string[] {
  const prng = createPrng(instanceId * 31 + 17);
  return Array.from(
    { length: count },
    () => `GPU-${prng.hex(8)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(12)}`
  );
}
