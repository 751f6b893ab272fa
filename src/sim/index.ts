/**
 * The embedded GPU cloud simulator (`docs/simulator.md`): `startSimulator` and its public types, the
 * defect registry (also importable alone, and purely, from `./defect-registry`), the profiles (also
 * importable alone, and purely, from `./profiles`), the fault kinds and the instance timings.
 */
export { FEATURES_OTHERS_READ, selectFeatures, startSimulator, SWITCHABLE_FEATURES } from './start-simulator';
export * from './types';
export {
  DEFECTS,
  DEFECT_NAMES,
  defectDeclaration,
  formatDefectActivation,
  isDefectName,
  parseDefectActivation,
  parseDefectActivations,
  parseDefects,
  type DefectActivation,
  type DefectDeclaration,
  type DefectInput,
  type DefectName,
  type DefectScope,
} from './defect-registry';
export { FAULT_KINDS, type FaultKind } from './core/fault-kinds';
export { DEFAULT_SIM_PROFILE, SIM_PROFILES, isSimProfile, parseSimProfile, type SimProfile } from './profiles';
export { DUMONT_AS_IS_CREATE_SETUP_SECONDS } from './dumont/profiles';
export { TIMINGS } from './instances/timings';
export type { Offer } from './core/offer';
export { MAX_CATALOGUE_SCALE } from './core/offers-catalogue';
export type { ActualStatus, SimInstance } from './instances/instance-record';
export type { InstanceEvent, InstanceEventType } from './instances/instance-events';
export type { SimVolume } from './features/storage-volumes';
export type { FeatureCharge, FeatureContext, FeatureRoute, SimFeature } from './features/types';
