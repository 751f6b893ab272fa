/**
 * PURE: the simulator's profiles (`docs/simulator.md` § Profiles). `ideal` is the platform as it should
 * behave; `dumont-as-is` reproduces the real Dumont server's documented behaviour on the Dumont face (its
 * wire quirks, its blocking create, its retired list). Importable alone, without the simulator's runtime.
 */

/** Every profile, the default first. */
export const SIM_PROFILES = ['ideal', 'dumont-as-is'] as const;

/** One of {@link SIM_PROFILES}. */
export type SimProfile = (typeof SIM_PROFILES)[number];

/** The profile a simulator runs when none is given. */
export const DEFAULT_SIM_PROFILE: SimProfile = 'ideal';

/** Whether `value` names a profile. */
export function isSimProfile(value: unknown): value is SimProfile {
  return typeof value === 'string' && (SIM_PROFILES as readonly string[]).includes(value);
}

/** `value` as a profile; throws an error naming it (and the known ones) otherwise. */
export function parseSimProfile(value: string): SimProfile {
  if (isSimProfile(value)) return value;
  throw new Error(`unknown profile ${JSON.stringify(value)} (known: ${SIM_PROFILES.join(', ')})`);
}
