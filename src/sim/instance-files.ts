/**
 * An instance's directory on this machine: `bin/` (nvidia-smi, a `python` shim), `lib/python/` (the
 * simulated torch package, pytorch images only), `workspace/` (cwd and HOME of every SSH command; what
 * "the disk" means for pause/resume) and `var/` (onstart log).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gpuModel } from './gpu-models';
import { createPrng } from './prng';

export interface InstancePaths {
  root: string;
  bin: string;
  pythonLib: string;
  workspace: string;
  var: string;
}

/** What the machine reports: model (VAST gpu_name) and count, which defects may make differ from the rental. */
export interface ReportedGpus {
  name: string;
  count: number;
}

export const DRIVER_VERSION = '550.54.15';
export const CUDA_VERSION = '12.4';

/** Paths of instance `id` under the simulator's data dir. */
export function instancePaths(dataDir: string, id: number): InstancePaths {
  const root = path.join(dataDir, 'instances', String(id));
  return {
    root,
    bin: path.join(root, 'bin'),
    pythonLib: path.join(root, 'lib', 'python'),
    workspace: path.join(root, 'workspace'),
    var: path.join(root, 'var'),
  };
}

/** Creates the directory tree (idempotent). */
export function prepareInstanceDir(paths: InstancePaths): void {
  for (const dir of [paths.bin, paths.pythonLib, paths.workspace, paths.var]) fs.mkdirSync(dir, { recursive: true });
}

/** Empties the workspace (the resume-loses-disk defect). */
export function wipeWorkspace(paths: InstancePaths): void {
  fs.rmSync(paths.workspace, { recursive: true, force: true });
  fs.mkdirSync(paths.workspace, { recursive: true });
}

/** Deletes everything of the instance (destroy). */
export function removeInstanceDir(paths: InstancePaths): void {
  // Just-killed processes may still be writing for a moment: retry ENOTEMPTY/EBUSY briefly.
  fs.rmSync(paths.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
}

/** Stable per-instance GPU UUIDs, formatted as nvidia-smi prints them. */
export function gpuUuids(instanceId: number, count: number): string[] {
  const prng = createPrng(instanceId * 31 + 17);
  return Array.from(
    { length: count },
    () => `GPU-${prng.hex(8)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(4)}-${prng.hex(12)}`
  );
}

/** True for images that ship PyTorch (the simulator's torch package goes on their PYTHONPATH). */
export function isPytorchImage(image: string): boolean {
  return image.startsWith('pytorch/');
}

/**
 * Writes the machine's GPU tools for what it reports (rewritten at every boot, so a defect set between
 * boots shows on the next one): `bin/nvidia-smi`, `bin/python`, and for pytorch images `torch`.
 */
export function writeGpuTools(paths: InstancePaths, instanceId: number, gpus: ReportedGpus, image: string): void {
  prepareInstanceDir(paths);
  const nvidiaSmi = path.join(paths.bin, 'nvidia-smi');
  fs.writeFileSync(nvidiaSmi, nvidiaSmiScript(instanceId, gpus), { mode: 0o755 });
  // Images call `python`; this machine may only have python3 on the instance PATH.
  fs.writeFileSync(path.join(paths.bin, 'python'), '#!/bin/sh\nexec python3 "$@"\n', { mode: 0o755 });
  const torchDir = path.join(paths.pythonLib, 'torch');
  fs.rmSync(torchDir, { recursive: true, force: true });
  if (isPytorchImage(image)) writeTorchPackage(torchDir, instanceId, gpus, image);
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function nvidiaSmiScript(instanceId: number, gpus: ReportedGpus): string {
  const model = gpuModel(gpus.name);
  const uuids = gpuUuids(instanceId, gpus.count);
  const names = Array.from({ length: gpus.count }, () => model.nvidiaName);
  const cap = `${Math.floor(model.computeCap / 100)}.${Math.floor(model.computeCap / 10) % 10}`;
  return `#!/usr/bin/env bash
# Simulated nvidia-smi of simulator instance ${instanceId}: reports the GPUs this machine exposes.
set -u
names=(${names.map(shellQuote).join(' ')})
uuids=(${uuids.map(shellQuote).join(' ')})
mem_total=${model.vramMiB}
driver=${DRIVER_VERSION}
cap=${cap}
power_limit=${model.powerLimitW}
count=\${#names[@]}

query=''; format=''; list=0; ids=''
while [ $# -gt 0 ]; do
  case "$1" in
    -L|--list-gpus) list=1 ;;
    --query-gpu=*) query="\${1#*=}" ;;
    --query-gpu) shift; query="\${1:-}" ;;
    --format=*) format="\${1#*=}" ;;
    --format) shift; format="\${1:-}" ;;
    --id=*) ids="\${1#*=}" ;;
    -i|--id) shift; ids="\${1:-}" ;;
    -h|--help)
      echo "NVIDIA System Management Interface -- v$driver (simulated)"
      echo "Supported: (no options) | -L | --query-gpu=FIELD[,FIELD...] --format=csv[,noheader][,nounits] | -i ID[,ID]"
      exit 0 ;;
    *) echo "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help." >&2; exit 2 ;;
  esac
  shift
done

selected=()
if [ -n "$ids" ]; then IFS=',' read -ra selected <<< "$ids"; else for ((i = 0; i < count; i++)); do selected+=("$i"); done; fi
for i in "\${selected[@]}"; do
  if ! [[ "$i" =~ ^[0-9]+$ ]] || [ "$i" -ge "$count" ]; then echo "No devices were found" >&2; exit 6; fi
done

if [ "$list" = 1 ]; then
  for i in "\${selected[@]}"; do echo "GPU $i: \${names[$i]} (UUID: \${uuids[$i]})"; done
  exit 0
fi

units=1; header=1
value() { # sets v to field $1 of GPU $2
  local u=''
  case "$1" in
    index) v=$2 ;;
    name|gpu_name) v="\${names[$2]}" ;;
    uuid|gpu_uuid) v="\${uuids[$2]}" ;;
    count) v=$count ;;
    driver_version) v=$driver ;;
    memory.total) v=$mem_total; u=' MiB' ;;
    memory.used) v=1; u=' MiB' ;;
    memory.free) v=$((mem_total - 1)); u=' MiB' ;;
    utilization.gpu|utilization.memory) v=0; u=' %' ;;
    temperature.gpu) v=$((31 + $2)) ;;
    power.draw) v='21.43'; u=' W' ;;
    power.limit) v="$power_limit.00"; u=' W' ;;
    pci.bus_id) v=$(printf '00000000:%02X:00.0' $(($2 + 1))) ;;
    compute_cap) v=$cap ;;
    persistence_mode) v='Enabled' ;;
    pstate) v='P8' ;;
    *) return 1 ;;
  esac
  if [ "$units" = 1 ]; then v="$v$u"; fi
}
unit_of() {
  case "$1" in
    memory.*) echo ' [MiB]' ;; utilization.*) echo ' [%]' ;; power.*) echo ' [W]' ;; *) echo '' ;;
  esac
}

if [ -n "$query" ]; then
  case ",$format," in
    *,csv,*) ;;
    *) echo 'Option "--format" must be specified with "--query-gpu" (e.g. --format=csv).' >&2; exit 2 ;;
  esac
  case ",$format," in *,noheader,*) header=0 ;; esac
  case ",$format," in *,nounits,*) units=0 ;; esac
  IFS=',' read -ra fields <<< "\${query// /}"
  for f in "\${fields[@]}"; do
    if ! value "$f" 0; then echo "Field \\"$f\\" is not a valid field to query." >&2; exit 2; fi
  done
  if [ "$header" = 1 ]; then
    line=''
    for f in "\${fields[@]}"; do line="$line\${line:+, }$f$(unit_of "$f")"; done
    echo "$line"
  fi
  for i in "\${selected[@]}"; do
    line=''
    for f in "\${fields[@]}"; do value "$f" "$i"; line="$line\${line:+, }$v"; done
    echo "$line"
  done
  exit 0
fi

date '+%a %b %e %H:%M:%S %Y'
cat <<'TABLE'
${nvidiaSmiTable(names, model.vramMiB, model.powerLimitW)}
TABLE
`;
}

/** The default `nvidia-smi` table, laid out as driver 550 prints it. */
function nvidiaSmiTable(names: string[], vramMiB: number, powerW: number): string {
  const cell = (text: string, width: number): string => text.slice(0, width).padEnd(width);
  const rule = (c: string): string => `+${c.repeat(41)}+${c.repeat(24)}+${c.repeat(22)}+`;
  const lines = [
    `+${'-'.repeat(89)}+`,
    `|${cell(` NVIDIA-SMI ${DRIVER_VERSION}              Driver Version: ${DRIVER_VERSION}      CUDA Version: ${CUDA_VERSION}`, 89)}|`,
    rule('-').replace(/^\+/, '|').replace(/\+$/, '|'),
    '| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |',
    '| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |',
    '|                                         |                        |               MIG M. |',
    rule('=').replace(/^\+/, '|').replace(/\+$/, '|'),
  ];
  names.forEach((name, i) => {
    const bus = `00000000:${(i + 1).toString(16).toUpperCase().padStart(2, '0')}:00.0`;
    lines.push(`|${String(i).padStart(4)}  ${cell(name, 31)}On  |${cell(`   ${bus} Off`, 24)}|${'Off'.padStart(21)} |`);
    const power = `21W / ${String(powerW).padStart(4)}W`;
    const memory = `1MiB / ${String(vramMiB).padStart(6)}MiB`;
    lines.push(
      `|  30%   ${31 + i}C    P8${power.padStart(23)} |${memory.padStart(23)} |${'0%      Default'.padStart(21)} |`
    );
    lines.push(`|${' '.repeat(41)}|${' '.repeat(24)}|${'N/A'.padStart(21)} |`);
    lines.push(rule('-'));
  });
  lines.push(
    '',
    `+${'-'.repeat(89)}+`,
    `|${cell(' Processes:', 89)}|`,
    `|${cell('  GPU   GI   CI        PID   Type   Process name                              GPU Memory', 89)}|`,
    `|${cell('        ID   ID                                                               Usage', 89)}|`,
    `|${'='.repeat(89)}|`,
    `|${cell('  No running processes found', 89)}|`,
    `+${'-'.repeat(89)}+`
  );
  return lines.join('\n');
}

/** The torch version an image tag names (`pytorch/pytorch:2.1.0-cuda12.1-...`), with sane defaults. */
function torchVersions(image: string): { torch: string; cuda: string } {
  const match = /:(\d+\.\d+(?:\.\d+)?)-cuda(\d+\.\d+)/.exec(image);
  return match ? { torch: match[1], cuda: match[2] } : { torch: '2.1.0', cuda: '12.1' };
}

function writeTorchPackage(dir: string, instanceId: number, gpus: ReportedGpus, image: string): void {
  const model = gpuModel(gpus.name);
  const { torch, cuda } = torchVersions(image);
  const names = Array.from({ length: gpus.count }, () => model.nvidiaName);
  const major = Math.floor(model.computeCap / 100);
  const minor = Math.floor(model.computeCap / 10) % 10;
  fs.mkdirSync(path.join(dir, 'cuda'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '__init__.py'),
    `"""Simulated PyTorch of simulator instance ${instanceId}: torch.cuda reports the instance's GPUs; no tensors."""
__version__ = ${JSON.stringify(`${torch}+cu${cuda.replace('.', '')}`)}

from . import cuda, version  # noqa: E402,F401
`
  );
  fs.writeFileSync(
    path.join(dir, 'version.py'),
    `__version__ = ${JSON.stringify(`${torch}+cu${cuda.replace('.', '')}`)}\ncuda = ${JSON.stringify(cuda)}\ngit_version = "simulated"\n`
  );
  fs.writeFileSync(
    path.join(dir, 'cuda', '__init__.py'),
    `"""torch.cuda of a simulator instance: ${gpus.count} x ${model.nvidiaName}."""
_NAMES = ${JSON.stringify(names)}
_TOTAL_MEMORY = ${model.vramMiB} * 1024 * 1024
_CAPABILITY = (${major}, ${minor})


class _CudaDeviceProperties:
    def __init__(self, index):
        self.name = _NAMES[index]
        self.total_memory = _TOTAL_MEMORY
        self.major, self.minor = _CAPABILITY
        self.multi_processor_count = 128

    def __repr__(self):
        return "_CudaDeviceProperties(name='%s', major=%d, minor=%d, total_memory=%dMB, multi_processor_count=%d)" % (
            self.name, self.major, self.minor, self.total_memory // (1024 * 1024), self.multi_processor_count)


def _index(device):
    if device is None:
        return 0
    if isinstance(device, str):
        device = int(device.split(":")[1]) if ":" in device else 0
    index = getattr(device, "index", device)
    if not isinstance(index, int) or index < 0 or index >= len(_NAMES):
        raise AssertionError("Invalid device id")
    return index


def is_available():
    return len(_NAMES) > 0


def is_initialized():
    return True


def device_count():
    return len(_NAMES)


def current_device():
    return 0


def get_device_name(device=None):
    return _NAMES[_index(device)]


def get_device_properties(device=None):
    return _CudaDeviceProperties(_index(device))


def get_device_capability(device=None):
    _index(device)
    return _CAPABILITY


def mem_get_info(device=None):
    _index(device)
    return (_TOTAL_MEMORY - 1024 * 1024, _TOTAL_MEMORY)


def synchronize(device=None):
    _index(device)
`
  );
}
