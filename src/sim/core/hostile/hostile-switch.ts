/**
 * The simulator's hostile-answer switch: which mode is on, where, for how many more answers, and how many
 * answers each mode spoiled (for `sim state`).
 */
import { HOSTILE_MODES, type HostileFace, type HostileMode, type HostileSettings } from './modes';

/** VAST's instance lists, the only answers `empty-instance-list` spoils. */
const VAST_INSTANCE_LIST = /^\/api\/v[01]\/instances\/?$/;

/** What `GET /_sim/hostile` and `sim state` show. */
export interface HostileView {
  settings: HostileSettings;
  /** Answers still to spoil when `count` was given. */
  remaining?: number;
  injected: Record<HostileMode, number>;
}

/** Stateful: the current settings and the per-mode counts. */
export class HostileSwitch {
  private settings: HostileSettings = { mode: null };
  private remaining: number | undefined;
  private readonly injected = Object.fromEntries(HOSTILE_MODES.map((m) => [m, 0])) as Record<HostileMode, number>;

  /** Replaces the settings (already validated by `parseHostileSettings`). */
  configure(settings: HostileSettings): void {
    this.settings = { ...settings };
    this.remaining = settings.count;
  }

  /**
   * The mode (and its settings) that spoils this answer, or null; counts it. Only successful answers of faultable routes reach here,
   * so the admin API, auth and health always answer truthfully.
   */
  take(face: HostileFace, method: string, path: string): { mode: HostileMode; settings: HostileSettings } | null {
    const s = this.settings;
    if (s.mode === null) return null;
    if (s.face !== undefined && s.face !== face) return null;
    if (s.method !== undefined && s.method !== method.toUpperCase()) return null;
    if (s.path !== undefined && !path.includes(s.path)) return null;
    if (s.mode === 'empty-instance-list' && !(face === 'vast' && method === 'GET' && VAST_INSTANCE_LIST.test(path))) {
      return null;
    }
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return null;
      this.remaining--;
      if (this.remaining === 0) this.settings = { mode: null };
    }
    this.injected[s.mode]++;
    return { mode: s.mode, settings: s };
  }

  /** The settings with the counts. */
  view(): HostileView {
    return {
      settings: { ...this.settings },
      ...(this.remaining !== undefined ? { remaining: this.remaining } : {}),
      injected: { ...this.injected },
    };
  }
}
