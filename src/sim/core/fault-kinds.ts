/**
 * The transient fault kinds (`docs/simulator.md` § Transient faults). Pure data, so configuration code can
 * validate kinds without loading the simulator.
 */
export const FAULT_KINDS = [
  '429',
  '5xx',
  'drop',
  'ssh-reset',
  'late-ssh-port',
  'slow-boot',
  'destroy-fails',
  'ssh-drop-after-start',
] as const;

/** One transient fault kind. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The kinds drawn once per faultable HTTP request (the others are drawn at their own event). */
export const HTTP_FAULT_KINDS = ['429', '5xx', 'drop'] as const satisfies readonly FaultKind[];
