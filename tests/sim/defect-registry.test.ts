/**
 * The defect registry: every defect with its scenario and the stable id of the check it breaks, its scope,
 * the activation parser, the purity rule that lets workflow code import it, and the docs table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFECTS,
  DEFECT_NAMES,
  formatDefectActivation,
  parseDefectActivation,
  parseDefectActivations,
  parseDefects,
} from '../../src/sim/defect-registry';
import { defectTableRows, parseDefectTable } from '../../src/sim/defect-table';

const SIM = path.join(__dirname, '..', '..', 'src', 'sim');

describe('defect registry', () => {
  it('names each defect with its scenario, check id and scope', () => {
    const table = Object.fromEntries(
      DEFECT_NAMES.map((n) => [n, [DEFECTS[n].scenario, DEFECTS[n].check, DEFECTS[n].scope]])
    );
    expect(table).toEqual({
      'gpu-model-mismatch': [1, 'gpus-visible', 'label'],
      'offers-not-sorted-by-price': [2, 'first-offer-cheapest', 'global'],
      'price-differs-from-offer': [2, 'billed-at-offer-price', 'label'],
      'custom-image-ignored': [3, 'image-recorded', 'label'],
      'multi-gpu-partial': [4, 'gpus-visible', 'label'],
      'region-filter-ignored': [5, 'offers-in-region', 'global'],
      'pause-ignored': [6, 'paused', 'label'],
      'gpu-billed-while-paused': [6, 'no-gpu-billing-while-paused', 'label'],
      'resume-loses-disk': [7, 'data-intact', 'label'],
      'cold-start-stuck-after-long-pause': [8, 'cold-start', 'label'],
      'resume-fails-on-third-cycle': [9, 'cycle-3-resumed', 'label'],
      'pause-keeps-processes': [10, 'process-stopped', 'label'],
      'destroy-running-ignored': [11, 'destroyed', 'label'],
      'charges-after-destroy': [11, 'no-charges-after-destroy', 'label'],
      'destroy-paused-ignored': [12, 'destroyed', 'label'],
      'storage-billed-after-destroy': [13, 'no-volume-left', 'label'],
      'offer-not-released': [14, 'offer-released', 'label'],
      'concurrent-destroy-dropped': [15, 'batch-destroyed', 'label'],
      'serverless-config-not-persisted': [16, 'config-persisted', 'label'],
      'fast-mode-downgraded-to-economic': [17, 'mode-fast', 'label'],
      'economic-pause-not-native': [18, 'paused-natively', 'label'],
      'idle-threshold-not-applied': [19, 'threshold-applied', 'label'],
      'disable-pauses-instance': [20, 'running-after-disable', 'label'],
      'auto-pause-never-fires': [21, 'auto-paused', 'label'],
      'pauses-under-gpu-load': [22, 'not-paused-under-load', 'label'],
      'grace-period-ignored': [23, 'grace-respected', 'label'],
      'savings-constant-rate': [24, 'savings-measured', 'label'],
      'fast-wake-reports-before-ssh': [25, 'cold-start-measured', 'label'],
      'wake-404-while-resuming': [26, 'wake-answered', 'label'],
      'model-lost-on-wake': [27, 'model-kept', 'label'],
      'standby-not-created': [28, 'standby-created', 'label'],
      'initial-sync-skips-files': [29, 'files-synced', 'label'],
      'failover-serves-first-sync': [30, 'latest-data-served', 'label'],
      'failover-slower-than-reported': [31, 'failover-under-5s', 'label'],
      'failback-skips-reverse-sync': [32, 'reverse-synced', 'label'],
      'warm-pool-without-standby': [33, 'standby-gpu-provisioned', 'label'],
      'warm-pool-standby-not-started': [34, 'new-primary-reachable', 'label'],
      'warm-pool-health-stale': [35, 'standby-loss-noticed', 'label'],
      'warm-pool-region-ignored': [36, 'pools-in-own-regions', 'label'],
      'warm-pool-volume-leaked': [37, 'volume-destroyed', 'label'],
      'recovery-never-completes': [38, 'recovered', 'label'],
      'endpoint-not-moved': [39, 'inference-through-endpoint', 'label'],
      'checkpoints-not-synced': [40, 'resumed-from-checkpoint', 'label'],
      'third-failover-fails': [41, 'failover-3', 'label'],
      'large-sync-truncated': [42, 'large-data-intact', 'label'],
      'model-running-before-healthy': [65, 'answers-when-running', 'label'],
      'quantization-ignored': [66, 'vram-int4-reduced', 'label'],
      'vllm-runtime-replaced': [67, 'throughput-floor', 'label'],
      'chat-usage-missing': [68, 'usage-reported', 'label'],
      'model-api-key-not-enforced': [68, 'api-key-enforced', 'label'],
      'transcription-truncated': [69, 'word-error-rate', 'label'],
      'whisper-large-downgraded': [70, 'vram-large', 'label'],
      'transcription-stale': [71, 'all-transcribed', 'label'],
      'image-wrong-size': [72, 'image-size', 'label'],
      'embeddings-random': [73, 'similarity-ranking', 'label'],
      'hf-model-id-ignored': [74, 'serves-requested-model', 'label'],
      'replicas-not-balanced': [75, 'requests-balanced', 'label'],
      'model-health-always-ok': [76, 'unhealthy-when-down', 'label'],
      'price-filter-ignored': [85, 'all-under-max-price', 'global'],
      'region-offers-not-partitioned': [86, 'regions-partitioned', 'global'],
      'prediction-ignores-history': [87, 'follows-daily-pattern', 'global'],
      'reliability-ranking-unsorted': [88, 'ranked-by-reliability', 'global'],
      'spot-billed-as-on-demand': [89, 'spot-billed-at-bid', 'label'],
      'price-stream-frozen': [90, 'updates-received', 'global'],
      'failed-create-leaks-instance': [96, 'no-leak-after-expired', 'label'],
      'blacklist-not-applied': [97, 'excluded-from-search', 'global'],
      'disk-full-bricks-instance': [98, 'works-after-cleanup', 'label'],
      'stuck-create-not-cancellable': [99, 'stuck-destroyed', 'label'],
      'concurrent-creates-conflict': [100, 'distinct-instances', 'label'],
      'snapshot-empty': [43, 'snapshot-files', 'label'],
      'incremental-misses-changes': [44, 'incremental-counts', 'label'],
      'incremental-reuploads-all': [44, 'bytes-added', 'label'],
      'snapshot-of-paused-fails': [45, 'snapshot-of-paused', 'label'],
      'snapshot-of-paused-empty': [45, 'snapshot-holds-files', 'label'],
      'snapshot-overwrites-previous': [46, 'snapshots-kept', 'label'],
      'restore-drops-file': [47, 'files-restored', 'label'],
      'partial-restore-restores-all': [48, 'others-untouched', 'label'],
      'cross-gpu-restore-rejected': [49, 'restore-accepted', 'label'],
      'restore-corrupts-file': [50, 'md5-match', 'label'],
      'snapshot-list-duplicates': [51, 'list-complete', 'label'],
      'prune-ignores-retention': [52, 'retention-kept', 'label'],
      'prune-deletes-nothing': [52, 'prune-deleted', 'label'],
      'migration-picks-pricier-offer': [91, 'target-cheaper', 'label'],
      'migration-drops-data': [92, 'data-migrated', 'label'],
      'migration-leaves-source': [92, 'source-gone', 'label'],
      'migration-changes-ssh-host': [93, 'same-endpoint', 'label'],
      'migration-estimate-inconsistent': [94, 'estimate-cost', 'label'],
      'migration-model-not-served': [95, 'model-answers-after', 'label'],
      'finetune-never-completes': [77, 'job-completed', 'label'],
      'trains-on-default-dataset': [77, 'dataset-used', 'label'],
      'invalid-dataset-accepted': [78, 'malformed-rejected', 'label'],
      'checkpoints-not-saved': [79, 'checkpoints-in-bucket', 'label'],
      'finetune-cancel-leaves-gpu': [80, 'gpu-released', 'label'],
      'training-logs-at-end': [81, 'logs-live', 'label'],
      'export-missing-weights': [82, 'export-weights', 'label'],
      'finetune-single-gpu-only': [83, 'both-ranks', 'label'],
      'resume-restarts-from-zero': [84, 'resume-step', 'label'],
      'job-output-empty': [53, 'output-names-gpu', 'label'],
      'job-runs-without-gpu': [54, 'cuda-visible', 'label'],
      'job-timeout-not-enforced': [55, 'stopped-at-timeout', 'label'],
      'job-output-not-uploaded': [56, 'outputs-in-bucket', 'label'],
      'spot-flag-ignored': [57, 'spot-saving', 'label'],
      'cancel-leaves-instance': [58, 'instance-gone', 'label'],
      'job-logs-truncated': [59, 'logs-complete', 'label'],
      'pip-packages-ignored': [60, 'package-imported', 'label'],
      'job-num-gpus-ignored': [61, 'two-ranks-two-gpus', 'label'],
      'job-instance-not-destroyed': [62, 'platform-destroyed', 'label'],
      'failed-job-leaks-instance': [63, 'failed-instance-destroyed', 'label'],
      'job-retries-ignored': [64, 'retried-and-succeeded', 'label'],
    });
    const scenarios = DEFECT_NAMES.map((n) => DEFECTS[n].scenario);
    expect(scenarios).toEqual([...scenarios].sort((a, b) => a - b));
    for (const name of DEFECT_NAMES) {
      expect(DEFECTS[name].name).toBe(name);
      expect(DEFECTS[name].description.length).toBeGreaterThan(20);
      expect(DEFECTS[name].hook).not.toBe('');
    }
  });

  it('parses activations: names, name@prefix and objects; rejects unknown names and prefixed global defects', () => {
    expect(
      parseDefectActivations([
        'pause-ignored',
        'pause-ignored@dumont-e2e/s1/',
        { name: 'pause-ignored', labelPrefix: 'x' },
      ])
    ).toEqual([
      'pause-ignored',
      { name: 'pause-ignored', labelPrefix: 'dumont-e2e/s1/' },
      { name: 'pause-ignored', labelPrefix: 'x' },
    ]);
    expect(parseDefectActivations(['pause-ignored', 'pause-ignored'])).toEqual(['pause-ignored']);
    expect(parseDefectActivation({ name: 'offers-not-sorted-by-price' })).toBe('offers-not-sorted-by-price');
    expect(() => parseDefectActivation('offers-not-sorted-by-price@a/')).toThrow(
      /"offers-not-sorted-by-price" has global scope/
    );
    expect(() => parseDefectActivation({ name: 'region-filter-ignored', labelPrefix: 'a' })).toThrow(
      /region-filter-ignored/
    );
    expect(() => parseDefectActivation('made-up@a')).toThrow(/unknown defect "made-up"/);
    expect(() => parseDefectActivation('pause-ignored@')).toThrow(/empty/);
    expect(() => parseDefects(['pause-ignored', 'nope'])).toThrow(/nope/);
    expect(formatDefectActivation({ name: 'pause-ignored', labelPrefix: 'a/b' })).toBe('pause-ignored@a/b');
  });

  it('is pure: only type imports and other defect declarations, no Node builtins or runtime modules', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/\brequire\(|\bprocess\.|\bimport\(/);
      for (const [, typeOnly, spec] of source.matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)) {
        expect(spec.startsWith('.'), `${file} imports ${spec}`).toBe(true);
        const target = path.resolve(path.dirname(file), `${spec}.ts`);
        const base = path.basename(target);
        if (typeOnly) {
          expect(base, `${file} imports types from ${spec}`).toBe('defect-types.ts');
          continue;
        }
        expect(['defects.ts', 'feature-defects.ts', 'defect-registry.ts'], `${file} imports ${spec}`).toContain(base);
        visit(target);
      }
    };
    visit(path.join(SIM, 'defect-registry.ts'));
    expect([...seen].filter((f) => f.endsWith('defects.ts')).length).toBeGreaterThanOrEqual(5);
  });

  it('matches the defect table of docs/simulator.md (run `npx tsx scripts/update-defect-table.ts` to regenerate)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'simulator.md'), 'utf8');
    expect(parseDefectTable(doc)).toEqual(defectTableRows());
  });
});
