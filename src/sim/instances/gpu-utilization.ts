/**
 * What an instance's GPUs are busy with right now: the highest PERCENT among its live `gpu-stress`
 * processes (`gpu-stress-script.ts`), 0 when none is alive. The same rule as the machine's `nvidia-smi`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SimWorld } from '../world';
import { instancePaths } from './instance-files';
import type { SimInstance } from './instance-record';

/**
 * Whether `pid` is a live (non-zombie) process started at `startTime` (field 22 of `/proc/<pid>/stat`);
 * where there is no `/proc`, whether the pid exists.
 */
function aliveSince(pid: number, startTime: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[19] === startTime;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || fs.existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The GPU utilisation (0–100) of `inst` now: the highest PERCENT of its live `gpu-stress` processes. Cheap
 * and non-blocking in practice: one readdir and, per registration, two tiny reads (the file, `/proc`); no
 * process is spawned. A destroyed instance is 0. A paused one is 0 because pause kills its processes (under
 * the pause-keeps-processes defect they live on, and so does their load).
 */
export function gpuUtilization(
  world: Pick<SimWorld, 'dataDir'>,
  inst: Pick<SimInstance, 'id' | 'destroyedAt'>
): number {
  if (inst.destroyedAt !== null) return 0;
  const dir = instancePaths(world.dataDir, inst.id).gpuStress;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let busiest = 0;
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    let content: string;
    try {
      content = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue; // Removed by its owner meanwhile.
    }
    const [percentText, startTime] = content.trim().split(' ');
    const percent = Number(percentText);
    if (!Number.isFinite(percent) || percent <= busiest || startTime === undefined) continue;
    if (aliveSince(Number(name), startTime)) busiest = Math.min(100, percent);
  }
  return busiest;
}
