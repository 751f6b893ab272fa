import type { DumontInstance, VastInstance, VastVolume } from '../platform/types';
import type { ActivityDeps } from './deps';
import { pause, scaled } from './polling';

export interface LabelledResources {
  /** `instance <id> (<label>)` lines, by where they were seen. */
  dumont: string[];
  vast: string[];
  volumes: string[];
}

export interface DestroyReport {
  destroyed: number[];
  /** Instances Dumont failed to destroy and that were destroyed through VAST directly. */
  viaVast: number[];
  volumes: number[];
  /** Errors met on the way (the activity still ended clean); surfaced, never swallowed. */
  errors: string[];
}

const has = (prefix: string) => (label: string | null | undefined) => !!label && label.startsWith(prefix);
const line = (kind: string, id: number, label: string | null | undefined) => `${kind} ${id} (${label ?? ''})`;
const describeError = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createCleanupActivities(deps: ActivityDeps) {
  const { dumont, vast } = deps;

  async function find(prefix: string): Promise<{ d: DumontInstance[]; v: VastInstance[]; vol: VastVolume[] }> {
    const match = has(prefix);
    const [d, v, vol] = await Promise.all([dumont.listInstances(), vast.listInstances(), vast.listVolumes()]);
    return {
      d: d.filter((i) => match(i.label)),
      v: v.filter((i) => match(i.label)),
      vol: vol.filter((x) => match(x.label ?? x.name)),
    };
  }

  return {
    /** Lists what carries the prefix, at the platform AND at VAST (the seed's "verify cleanup"). */
    async listByLabel(input: { labelPrefix: string }): Promise<LabelledResources> {
      const { d, v, vol } = await find(input.labelPrefix);
      return {
        dumont: d.map((i) => line('instance', i.id, i.label)),
        vast: v.map((i) => line('instance', i.id, i.label)),
        volumes: vol.map((x) => line('volume', x.id, x.label ?? x.name)),
      };
    },

    /**
     * The compensation: destroys every instance and volume whose label starts with `labelPrefix`, first through
     * Dumont (the product under test), then through VAST for whatever Dumont failed to remove — a platform bug
     * must not cost money. Returns only when nothing with the prefix is left; otherwise throws so the activity
     * retries (its policy has no attempt limit).
     */
    async destroyByLabel(input: { labelPrefix: string; timeScale: number }): Promise<DestroyReport> {
      const report: DestroyReport = { destroyed: [], viaVast: [], volumes: [], errors: [] };
      const dumontTries = new Map<number, number>();
      for (let round = 0; round < 12; round++) {
        const { d, v, vol } = await find(input.labelPrefix);
        const ids = [...new Set([...d.map((i) => i.id), ...v.map((i) => i.id)])];
        if (ids.length === 0 && vol.length === 0) return report;
        for (const id of ids) {
          const tries = dumontTries.get(id) ?? 0;
          dumontTries.set(id, tries + 1);
          try {
            if (tries < 2) {
              await dumont.destroyInstance(id);
              if (!report.destroyed.includes(id)) report.destroyed.push(id);
            } else {
              await vast.destroyInstance(id);
              if (!report.viaVast.includes(id)) report.viaVast.push(id);
            }
          } catch (err) {
            report.errors.push(`destroy instance ${id}: ${describeError(err)}`);
          }
        }
        // Volumes cannot be deleted while attached, so only those whose instances are gone.
        for (const volume of vol.filter((x) => !(x.instances ?? []).some((i) => ids.includes(i)))) {
          try {
            await vast.deleteVolume(volume.id);
            report.volumes.push(volume.id);
          } catch (err) {
            report.errors.push(`delete volume ${volume.id}: ${describeError(err)}`);
          }
        }
        await pause(Math.max(50, scaled(2 * (round + 1), input.timeScale)));
      }
      const left = await find(input.labelPrefix);
      throw new Error(
        `still present after cleanup: ${[...left.d.map((i) => i.id), ...left.v.map((i) => i.id)].join(', ')} ` +
          `volumes ${left.vol.map((x) => x.id).join(', ')}; errors: ${report.errors.slice(-3).join('; ')}`
      );
    },
  };
}
