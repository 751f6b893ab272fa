/**
 * THE registration list of feature modules: adding a platform feature is its folder plus one line here
 * (and, if it declares defects, its `defects.ts` in `feature-defects.ts`, which the pure defect registry reads).
 */
import { failover } from './failover';
import { serverless } from './serverless';
import { sshKeys } from './ssh-keys';
import { storageVolumes } from './storage-volumes';
import type { SimFeature } from './types';
import { warmPool } from './warm-pool';

/** Every feature module the simulator runs, in the order their states are created. */
export const FEATURES: readonly SimFeature[] = [storageVolumes, sshKeys, serverless, warmPool, failover];
