/**
 * THE registration list of feature modules: adding a platform feature is its folder plus one line here
 * (and, if it declares defects, its `defects.ts` in `feature-defects.ts`, which the pure defect registry reads).
 */
import { jobs } from './jobs';
import { migration } from './migration';
import { serverless } from './serverless';
import { snapshots } from './snapshots';
import { sshKeys } from './ssh-keys';
import { storageVolumes } from './storage-volumes';
import type { SimFeature } from './types';

/** Every feature module the simulator runs, in the order their states are created. */
export const FEATURES: readonly SimFeature[] = [storageVolumes, sshKeys, serverless, snapshots, migration, jobs];
