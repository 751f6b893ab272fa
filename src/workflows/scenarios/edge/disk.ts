/** Helpers of scenario 98: the disk's use as `df` reports it, and a small write tried on it. */
import type { InstanceRef } from '../../../activities/instances';
import type { ScenarioContext } from '../../kit';

/** The use of the disk holding $HOME, percent (`df -P`), or null when df answered nothing readable. */
export async function diskUse(ctx: ScenarioContext, inst: InstanceRef): Promise<number | null> {
  const res = await ctx.probe(inst, 'df -P "$HOME" | tail -1');
  const m = /\s(\d+)%\s/.exec(` ${res.stdout} `);
  return res.code === 0 && m ? Number(m[1]) : null;
}

/**
 * Tries to write a small file and read it back. A probe, not `ctx.run`: on a full disk the run markers cannot be
 * written either, and the attempt is harmless to repeat.
 */
export async function smallWrite(ctx: ScenarioContext, inst: InstanceRef, name: string) {
  const res = await ctx.probe(inst, `echo written > "$HOME/${name}" && cat "$HOME/${name}"`);
  return { ok: res.code === 0 && res.stdout.trim() === 'written', detail: (res.stderr || res.stdout).trim() };
}
