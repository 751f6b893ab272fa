/**
 * The registry of everything the harness rents. Adding a kind (a CPU standby, a snapshot, a job…) is one entry
 * here, written against {@link ResourceKind}; cleanup, leak audits, the final sweep and the reaper iterate this list.
 */
import { blacklistEntryKind } from './blacklist-entry';
import { bucketObjectsKind } from './bucket-objects';
import { cpuStandbyKind } from './cpu-standby';
import { finetuneJobKind } from './finetune-job';
import { instanceKind } from './instance';
import { modelDeploymentKind } from './model-deployment';
import { jobKind } from './job';
import { regionalVolumeKind } from './regional-volume';
import { serverlessConfigKind } from './serverless-config';
import { snapshotKind } from './snapshot';
import { sshKeyKind } from './ssh-key';
import type { ResourceKind } from './types';
import { volumeKind } from './volume';
import { warmPoolKind } from './warm-pool';

export const RESOURCE_KINDS = {
  'serverless-config': serverlessConfigKind,
  'model-deployment': modelDeploymentKind,
  'warm-pool': warmPoolKind,
  instance: instanceKind,
  'cpu-standby': cpuStandbyKind,
  'regional-volume': regionalVolumeKind,
  volume: volumeKind,
  'ssh-key': sshKeyKind,
  'blacklist-entry': blacklistEntryKind,
  snapshot: snapshotKind,
  'bucket-objects': bucketObjectsKind,
  'finetune-job': finetuneJobKind,
  job: jobKind,
} as const satisfies Record<string, ResourceKind>;

/** The name of a registered kind; workflow code names kinds with it (`ctx.acquire('instance', …)`). */
export type ResourceKindName = keyof typeof RESOURCE_KINDS;

/** The kinds to look at: `names`, or all, in destroy order. */
export function kindsOf(names?: readonly string[]): ResourceKind[] {
  const all = Object.values(RESOURCE_KINDS) as ResourceKind[];
  const picked = names ? all.filter((k) => names.includes(k.name)) : all;
  const unknown = (names ?? []).filter((n) => !all.some((k) => k.name === n));
  if (unknown.length)
    throw new Error(`unknown resource kind ${unknown.join(', ')} (known: ${all.map((k) => k.name).join(', ')})`);
  return picked.sort((a, b) => a.destroyOrder - b.destroyOrder);
}

export { describeResource, type FoundResource, type ResourceKind, type Witness } from './types';
