/** Defects of the snapshots feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The snapshots feature's defects, one or two per scenario 43–52. */
export const SNAPSHOT_DEFECTS = [
  {
    name: 'snapshot-empty',
    scenario: 43,
    check: 'snapshot-files',
    hook: 'POST /snapshots (snapshots feature)',
    scope: 'label',
    description: 'A snapshot answers success but records no file and uploads nothing.',
  },
  {
    name: 'incremental-misses-changes',
    scenario: 44,
    check: 'incremental-counts',
    hook: 'POST /snapshots with a parent snapshot (snapshots feature)',
    scope: 'label',
    description:
      'An incremental snapshot records changed files with their previous contents: it reports them unmodified and uploads nothing for them.',
  },
  {
    name: 'incremental-reuploads-all',
    scenario: 44,
    check: 'bytes-added',
    hook: 'POST /snapshots with a parent snapshot (snapshots feature)',
    scope: 'label',
    description: 'An incremental snapshot uploads every file again instead of only the changed data.',
  },
  {
    name: 'snapshot-of-paused-fails',
    scenario: 45,
    check: 'snapshot-of-paused',
    hook: 'POST /snapshots on a stopped instance (snapshots feature)',
    scope: 'label',
    description: 'Snapshotting a paused instance is refused (400) because the platform wants a running instance.',
  },
  {
    name: 'snapshot-overwrites-previous',
    scenario: 46,
    check: 'snapshots-kept',
    hook: 'POST /snapshots (snapshots feature)',
    scope: 'label',
    description: "Each new snapshot of an instance deletes the instance's earlier ones, so only the last is kept.",
  },
  {
    name: 'restore-drops-file',
    scenario: 47,
    check: 'files-restored',
    hook: 'POST /snapshots/restore (snapshots feature)',
    scope: 'label',
    description: "A restore silently leaves out the snapshot's last file.",
  },
  {
    name: 'partial-restore-restores-all',
    scenario: 48,
    check: 'others-untouched',
    hook: 'POST /snapshots/restore/partial (snapshots feature)',
    scope: 'label',
    description: 'A restore limited to one directory restores the whole snapshot over the workspace.',
  },
  {
    name: 'cross-gpu-restore-rejected',
    scenario: 49,
    check: 'restore-accepted',
    hook: 'POST /snapshots/restore onto another GPU model (snapshots feature)',
    scope: 'label',
    description: 'Restoring a snapshot onto an instance of another GPU model is refused (400).',
  },
  {
    name: 'restore-corrupts-file',
    scenario: 50,
    check: 'md5-match',
    hook: 'POST /snapshots/restore (snapshots feature)',
    scope: 'label',
    description: 'A restore flips a byte in the middle of one restored file.',
  },
  {
    name: 'snapshot-list-duplicates',
    scenario: 51,
    check: 'list-complete',
    hook: 'GET /snapshots (snapshots feature)',
    scope: 'label',
    description: "The snapshot list shows each affected instance's oldest snapshot twice.",
  },
  {
    name: 'prune-ignores-retention',
    scenario: 52,
    check: 'retention-kept',
    hook: 'POST /snapshots/cleanup (snapshots feature)',
    scope: 'label',
    description:
      'Cleanup ignores the retention policy and keep-forever marks: it deletes every snapshot of an instance but the newest.',
  },
] as const satisfies readonly DefectDeclaration[];
