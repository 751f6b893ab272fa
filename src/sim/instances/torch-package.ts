/** The simulated PyTorch of `pytorch/*` images: enough of `torch` and `torch.cuda` to inspect the GPUs. */
import fs from 'node:fs';
import path from 'node:path';
import { gpuModel, type ReportedGpus } from './gpu-models';

/** The torch version an image tag names (`pytorch/pytorch:2.1.0-cuda12.1-...`), with sane defaults. */
function torchVersions(image: string): { torch: string; cuda: string } {
  const match = /:(\d+\.\d+(?:\.\d+)?)-cuda(\d+\.\d+)/.exec(image);
  return match ? { torch: match[1], cuda: match[2] } : { torch: '2.1.0', cuda: '12.1' };
}

/** Writes a `torch` package into `dir` whose `torch.cuda` reports the machine's GPUs (no tensors). */
export function writeTorchPackage(dir: string, instanceId: number, gpus: ReportedGpus, image: string): void {
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
