/**
 * The simulator's platform defects: one per lifecycle scenario, each the bug that scenario must catch.
 * A defect changes what the platform does, never what cleanup through the VAST face can do: the harness
 * falls back to VAST `DELETE /instances/{id}/` (and `DELETE /volumes/`) when the Dumont face misbehaves.
 *
 * "Dumont face" defects are bugs of the platform API (the VAST face stays truthful, as the real VAST
 * would); "instance" defects are bugs of what the rented machine does, whichever face drove it.
 */

/** Name → the scenario that catches it, where it hooks in, and what goes wrong. */
export const DEFECTS = {
  'gpu-model-mismatch': {
    scenario: 1,
    hook: 'instance boot',
    description:
      'nvidia-smi and torch report a different GPU model than the one rented (RTX 4090 → RTX 3090); API rows still show the rented name.',
  },
  'offers-not-sorted-by-price': {
    scenario: 2,
    hook: 'Dumont GET /instances/offers',
    description: 'Dumont returns offers shuffled, so the first one is not the cheapest.',
  },
  'custom-image-ignored': {
    scenario: 3,
    hook: 'Dumont POST /instances',
    description: 'Dumont ignores the requested image and rents vastai/base-image:latest (no torch).',
  },
  'multi-gpu-partial': {
    scenario: 4,
    hook: 'instance boot',
    description: 'A multi-GPU instance exposes only one GPU to nvidia-smi and torch.',
  },
  'region-filter-ignored': {
    scenario: 5,
    hook: 'Dumont GET /instances/offers',
    description: 'Dumont ignores the region filter of the offer search.',
  },
  'pause-ignored': {
    scenario: 6,
    hook: 'Dumont POST /instances/{id}/pause',
    description: 'Dumont pause answers success but the instance keeps running (and billing).',
  },
  'resume-loses-disk': {
    scenario: 7,
    hook: 'instance resume',
    description: "Resume wipes the instance's workspace files.",
  },
  'cold-start-stuck-after-long-pause': {
    scenario: 8,
    hook: 'instance resume',
    description: 'A resume after a pause longer than 120 platform s stays in scheduling for 2 platform hours.',
  },
  'resume-fails-on-third-cycle': {
    scenario: 9,
    hook: 'instance resume',
    description: 'The third resume of an instance ends in actual_status exited and never reaches running.',
  },
  'pause-keeps-processes': {
    scenario: 10,
    hook: 'instance pause',
    description: 'Pause leaves the processes started over SSH running (they keep writing while paused).',
  },
  'destroy-running-ignored': {
    scenario: 11,
    hook: 'Dumont DELETE /instances/{id}',
    description: 'Dumont DELETE of a running instance answers success and does nothing.',
  },
  'destroy-paused-ignored': {
    scenario: 12,
    hook: 'Dumont DELETE /instances/{id}',
    description: 'Dumont DELETE of a stopped instance answers success and does nothing.',
  },
  'storage-billed-after-destroy': {
    scenario: 13,
    hook: 'instance destroy',
    description:
      "Destroy leaves a volume V.<n> (the instance's label and disk) that stays listed and billed until DELETE /api/v0/volumes/.",
  },
  'offer-not-released': {
    scenario: 14,
    hook: 'instance destroy',
    description: 'Destroying an instance does not put its offer back on the market.',
  },
  'concurrent-destroy-dropped': {
    scenario: 15,
    hook: 'Dumont DELETE /instances/{id}',
    description:
      'A Dumont DELETE arriving within 5 platform s (at least 250 real ms) of another Dumont DELETE answers success and does nothing.',
  },
  // Second defects for checks the first ones do not reach (each shown failing in tests/defects/).
  'price-differs-from-offer': {
    scenario: 2,
    hook: 'instance create',
    description: 'The instance is billed 15% above the price of the offer it was rented from.',
  },
  'gpu-billed-while-paused': {
    scenario: 6,
    hook: 'billing',
    description: 'The GPU is billed for the whole life of an instance, including while it is paused.',
  },
  'charges-after-destroy': {
    scenario: 11,
    hook: 'billing',
    description: 'A destroyed instance keeps accruing GPU and storage charges.',
  },
} as const satisfies Record<string, { scenario: number; hook: string; description: string }>;

export type DefectName = keyof typeof DEFECTS;

/** Every defect name, in scenario order. */
export const DEFECT_NAMES = Object.keys(DEFECTS) as DefectName[];

/** True when `name` is a known defect. */
export function isDefectName(name: string): name is DefectName {
  return Object.prototype.hasOwnProperty.call(DEFECTS, name);
}

/** Validates defect names; throws an Error naming the first unknown one and listing the known ones. */
export function parseDefects(names: readonly string[]): DefectName[] {
  const out: DefectName[] = [];
  for (const name of names) {
    if (!isDefectName(name)) throw new Error(`unknown defect "${name}" (known: ${DEFECT_NAMES.join(', ')})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
