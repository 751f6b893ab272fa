/**
 * The concurrent-destroy-dropped defect: a Dumont DELETE arriving soon after another one in the same scope
 * answers success and does nothing. Only DELETEs of instances inside an activation's scope take part in
 * that activation's window, so other scenarios' DELETEs never trigger (or suffer) it.
 */
import type { SimWorld } from '../world';

/** Platform seconds of the window. */
const WINDOW_PLATFORM_SECONDS = 5;
/** The window never lasts under this many real ms, so a fast clock still shows the race. */
const WINDOW_MIN_REAL_MS = 250;

/** Stateful: when the last DELETE of each scope arrived. */
export class DestroyWindows {
  private readonly last = new Map<string, { platform: number; realMs: number }>();

  /**
   * Records a DELETE of an instance labelled `label` (undefined when the instance does not exist) and says
   * whether the defect drops it.
   */
  arrive(world: SimWorld, label: string | null | undefined): boolean {
    const platform = world.clock.platformNow();
    const realMs = Date.now();
    let dropped = false;
    for (const scope of world.defects.scopesCovering('concurrent-destroy-dropped', label)) {
      const last = this.last.get(scope);
      if (last && (platform - last.platform < WINDOW_PLATFORM_SECONDS || realMs - last.realMs < WINDOW_MIN_REAL_MS)) {
        dropped = true;
      }
      this.last.set(scope, { platform, realMs });
    }
    return dropped;
  }
}
