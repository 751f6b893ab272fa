/** Hostile platform answers on demand (`docs/hostile.md`). */
export {
  HOSTILE_DEFAULTS,
  HOSTILE_MODES,
  parseHostileSettings,
  type HostileFace,
  type HostileMode,
  type HostileSettings,
} from './modes';
export { HostileSwitch, type HostileView } from './hostile-switch';
export { installHostileHooks } from './hostile-hooks';
