/**
 * THE registration list of feature modules: adding a platform feature is its folder plus one line here
 * (and, if it declares defects, its `defects.ts` in `feature-defects.ts`, which the pure defect registry reads).
 */
import { blacklist } from './blacklist';
import { createEdges } from './create-edges';
import { diskQuota } from './disk-quota';
import { failover } from './failover';
import { finetune } from './finetune';
import { jobs } from './jobs';
import { market } from './market';
import { migration } from './migration';
import { models } from './models';
import { serverless } from './serverless';
import { snapshots } from './snapshots';
import { sshKeys } from './ssh-keys';
import { storageVolumes } from './storage-volumes';
import type { SimFeature } from './types';
import { warmPool } from './warm-pool';

/** Every feature module the simulator runs, in the order their states are created. */
export const FEATURES: readonly SimFeature[] = [
  storageVolumes,
  sshKeys,
  serverless,
  snapshots,
  migration,
  jobs,
  finetune,
  models,
  market,
  createEdges,
  blacklist,
  diskQuota,
  warmPool,
  failover,
];
