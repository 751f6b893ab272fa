/**
 * THE one place a Dumont face picks its profile (`docs/simulator.md` § Profiles): `world.profile` →
 * {@link DumontProfile}. Adding a profile is its file here and one line in {@link PROFILES}.
 */
import type { SimProfile } from '../../profiles';
import type { SimWorld } from '../../world';
import { dumontAsIsProfile } from './dumont-as-is';
import { idealProfile } from './ideal';
import type { DumontProfile } from './types';

const PROFILES: Record<SimProfile, (world: SimWorld) => DumontProfile> = {
  ideal: idealProfile,
  'dumont-as-is': dumontAsIsProfile,
};

/** The Dumont face's profile for `world` (a fresh one: profiles may hold state, such as the event loop). */
export function dumontProfile(world: SimWorld): DumontProfile {
  return PROFILES[world.profile](world);
}

export { DUMONT_AS_IS_CREATE_SETUP_SECONDS } from './dumont-as-is';
export type { DumontInstanceRoute, DumontProfile, DumontRead } from './types';
