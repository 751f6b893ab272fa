/**
 * The shape of a defect declaration. Pure types: workflow and catalog code import the registry built from
 * these declarations, so nothing here (or in any `defects.ts`) may touch Node or the simulator's runtime.
 */

/**
 * `label`: an activation may be limited to the instances (and volumes) whose label starts with a prefix, so
 * many scenarios' defect cases can share one simulator. `global`: the defect changes an answer that belongs
 * to no resource (an offer search), so it can only be switched on for everyone.
 */
export type DefectScope = 'label' | 'global';

/** One platform defect: the bug one scenario must catch, declared beside the code that implements it. */
export interface DefectDeclaration {
  /** Kebab-case, unique across the simulator. */
  readonly name: string;
  /** The number of the scenario that catches it. */
  readonly scenario: number;
  /** The stable id of the scenario check it must make fail. */
  readonly check: string;
  /** What goes wrong, in one sentence a scenario author understands. */
  readonly description: string;
  /** Where it acts: the face and route, or the instance event, it changes. */
  readonly hook: string;
  readonly scope: DefectScope;
}
