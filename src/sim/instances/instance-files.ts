/**
 * An instance's directory on this machine: `bin/` (nvidia-smi, a `python` shim), `lib/python/` (the
 * simulated torch package, pytorch images only), `workspace/` (cwd and HOME of every SSH command; what
 * "the disk" means for pause/resume) and `var/` (onstart log).
 */
import fs from 'node:fs';
import path from 'node:path';
import { nvidiaSmiScript } from './nvidia-smi-script';
import type { ReportedGpus } from './gpu-models';
import { writeTorchPackage } from './torch-package';

export interface InstancePaths {
  root: string;
  bin: string;
  pythonLib: string;
  workspace: string;
  var: string;
}

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
