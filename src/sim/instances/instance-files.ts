/**
 * An instance's directory on this machine: `bin/` (nvidia-smi, a `python` shim, gpu-stress, ollama),
 * `lib/python/` (the simulated torch package, pytorch images only), `lib/sim/` (the Node scripts behind
 * gpu-stress and ollama), `workspace/` (cwd and HOME of every SSH command; what "the disk" means for
 * pause/resume) and `var/` (onstart log, `gpu-stress/` registrations).
 */
import fs from 'node:fs';
import path from 'node:path';
import { GPU_STRESS_SCRIPT } from './gpu-stress-script';
import { nvidiaSmiScript } from './nvidia-smi-script';
import { OLLAMA_SCRIPT } from './ollama';
import type { ReportedGpus } from './gpu-models';
import { writeTorchPackage } from './torch-package';

export interface InstancePaths {
  root: string;
  bin: string;
  pythonLib: string;
  /** The Node scripts behind `bin/gpu-stress` and `bin/ollama`. */
  tools: string;
  workspace: string;
  var: string;
  /** Where live `gpu-stress` processes register (`gpu-stress-script.ts`). */
  gpuStress: string;
}

/** Paths of instance `id` under the simulator's data dir. */
export function instancePaths(dataDir: string, id: number): InstancePaths {
  const root = path.join(dataDir, 'instances', String(id));
  return {
    root,
    bin: path.join(root, 'bin'),
    pythonLib: path.join(root, 'lib', 'python'),
    tools: path.join(root, 'lib', 'sim'),
    workspace: path.join(root, 'workspace'),
    var: path.join(root, 'var'),
    gpuStress: path.join(root, 'var', 'gpu-stress'),
  };
}

/** Creates the directory tree (idempotent). */
export function prepareInstanceDir(paths: InstancePaths): void {
  for (const dir of [paths.bin, paths.pythonLib, paths.tools, paths.workspace, paths.var]) {
    fs.mkdirSync(dir, { recursive: true });
  }
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

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Writes `bin/<name>`, a shell wrapper that runs the Node script `lib/sim/<name>.cjs` with this machine's node. */
function writeNodeTool(paths: InstancePaths, name: string, source: string, leadingArgs: string[] = []): void {
  const script = path.join(paths.tools, `${name}.cjs`);
  fs.writeFileSync(script, source);
  const argv = [process.execPath, script, ...leadingArgs].map(shellQuote).join(' ');
  fs.writeFileSync(path.join(paths.bin, name), `#!/bin/sh\nexec ${argv} "$@"\n`, { mode: 0o755 });
}

/**
 * Writes the machine's GPU tools for what it reports (rewritten at every boot, so a defect set between
 * boots shows on the next one): `bin/nvidia-smi`, `bin/python`, `bin/gpu-stress`, `bin/ollama`, and for
 * pytorch images `torch`.
 */
export function writeGpuTools(paths: InstancePaths, instanceId: number, gpus: ReportedGpus, image: string): void {
  prepareInstanceDir(paths);
  const nvidiaSmi = path.join(paths.bin, 'nvidia-smi');
  fs.writeFileSync(nvidiaSmi, nvidiaSmiScript(instanceId, gpus, paths.gpuStress), { mode: 0o755 });
  writeNodeTool(paths, 'gpu-stress', GPU_STRESS_SCRIPT, [paths.gpuStress]);
  writeNodeTool(paths, 'ollama', OLLAMA_SCRIPT);
  // Images call `python`; this machine may only have python3 on the instance PATH.
  fs.writeFileSync(path.join(paths.bin, 'python'), '#!/bin/sh\nexec python3 "$@"\n', { mode: 0o755 });
  const torchDir = path.join(paths.pythonLib, 'torch');
  fs.rmSync(torchDir, { recursive: true, force: true });
  if (isPytorchImage(image)) writeTorchPackage(torchDir, instanceId, gpus, image);
}
