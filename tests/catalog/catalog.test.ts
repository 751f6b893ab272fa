import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  MARKERS,
  SCENARIOS,
  scenarioById,
  scenarioByWorkflowType,
  scenarioKey,
  type Category,
} from '../../src/catalog';
import { apportion } from '../../src/catalog/estimates';

/** The seed's "Resumo de Custos" table, copied here independently of `src/catalog/estimates.ts`. */
const SEED_TABLE: Record<Category, { range: [number, number]; gpuMinutes: number; costUsd: number }> = {
  lifecycle: { range: [1, 15], gpuMinutes: 45, costUsd: 0.75 },
  serverless: { range: [16, 27], gpuMinutes: 60, costUsd: 1.0 },
  failover: { range: [28, 42], gpuMinutes: 90, costUsd: 1.5 },
  snapshots: { range: [43, 52], gpuMinutes: 30, costUsd: 0.5 },
  jobs: { range: [53, 64], gpuMinutes: 36, costUsd: 0.6 },
  models: { range: [65, 76], gpuMinutes: 60, costUsd: 1.0 },
  finetune: { range: [77, 84], gpuMinutes: 80, costUsd: 1.35 },
  market: { range: [85, 90], gpuMinutes: 10, costUsd: 0.15 },
  migration: { range: [91, 95], gpuMinutes: 25, costUsd: 0.4 },
  edge: { range: [96, 100], gpuMinutes: 25, costUsd: 0.4 },
};

/** The brief's fixed rows for the implemented lifecycle scenarios: slug, workflow type, defect. */
const LIFECYCLE: Array<[string, string, string]> = [
  ['create-rtx-4090', 'createRtx4090Scenario', 'gpu-model-mismatch'],
  ['create-cheapest-rtx-3080', 'createCheapestRtx3080Scenario', 'offers-not-sorted-by-price'],
  ['create-custom-image', 'createCustomImageScenario', 'custom-image-ignored'],
  ['create-multi-gpu', 'createMultiGpuScenario', 'multi-gpu-partial'],
  ['create-in-region-eu', 'createInRegionEuScenario', 'region-filter-ignored'],
  ['pause-resume', 'pauseResumeScenario', 'pause-ignored'],
  ['pause-keeps-data', 'pauseKeepsDataScenario', 'resume-loses-disk'],
  ['resume-after-long-pause', 'resumeAfterLongPauseScenario', 'cold-start-stuck-after-long-pause'],
  ['pause-resume-cycles', 'pauseResumeCyclesScenario', 'resume-fails-on-third-cycle'],
  ['pause-during-process', 'pauseDuringProcessScenario', 'pause-keeps-processes'],
  ['destroy-running', 'destroyRunningScenario', 'destroy-running-ignored'],
  ['destroy-paused', 'destroyPausedScenario', 'destroy-paused-ignored'],
  ['destroy-cleans-storage', 'destroyCleansStorageScenario', 'storage-billed-after-destroy'],
  ['recreate-same-offer', 'recreateSameOfferScenario', 'offer-not-released'],
  ['destroy-batch', 'destroyBatchScenario', 'concurrent-destroy-dropped'],
];

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ids = (predicate: (id: number) => boolean) => SCENARIOS.map((s) => s.id).filter(predicate);
const withMarker = (marker: string) =>
  SCENARIOS.filter((s) => (s.markers as string[]).includes(marker)).map((s) => s.id);

describe('catalog', () => {
  it('holds the seed 100 scenarios in order, ids 1..100', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('has unique kebab-case slugs and report keys', () => {
    for (const s of SCENARIOS) expect(s.slug).toMatch(KEBAB);
    expect(new Set(SCENARIOS.map((s) => s.slug)).size).toBe(100);
    expect(new Set(SCENARIOS.map(scenarioKey)).size).toBe(100);
    expect(scenarioKey(SCENARIOS[0])).toBe('s001-create-rtx-4090');
  });

  it('names a distinct kebab-case defect with a description for every scenario', () => {
    for (const s of SCENARIOS) {
      expect(s.defect.name).toMatch(KEBAB);
      expect(s.defect.description.length).toBeGreaterThan(20);
    }
    expect(new Set(SCENARIOS.map((s) => s.defect.name)).size).toBe(100);
  });

  it('puts every scenario in its seed category range', () => {
    for (const [category, { range }] of Object.entries(SEED_TABLE)) {
      const inCategory = SCENARIOS.filter((s) => s.category === category).map((s) => s.id);
      expect(inCategory, category).toEqual(ids((id) => id >= range[0] && id <= range[1]));
    }
    expect(new Set(SCENARIOS.map((s) => s.category))).toEqual(new Set(CATEGORIES));
  });

  it('carries the seed Portuguese words and an English title', () => {
    expect(scenarioById(1)).toMatchObject({
      titlePt: 'Criar instância RTX 4090',
      descriptionPt: 'Provisionar RTX 4090, verificar SSH, destruir',
      title: 'Create an RTX 4090 instance',
    });
    expect(scenarioById(53)?.descriptionPt).toBe('Executar `nvidia-smi`, capturar output');
    expect(scenarioById(85)?.descriptionPt).toBe('Filtrar < $0.20/hr');
    expect(scenarioById(100)?.titlePt).toBe('Concurrent creates');
    for (const s of SCENARIOS) {
      expect(s.titlePt && s.descriptionPt && s.title).toBeTruthy();
      expect(s.verifies).toMatch(/^[A-Z0-9].*\.$/);
    }
  });

  it('marks real_gpu as the seed column says (market 85-88 and 90 are Não*)', () => {
    expect(withMarker('real_gpu')).toEqual(ids((id) => ![85, 86, 87, 88, 90].includes(id)));
  });

  it('marks failover 28-42 and model 65-76 exactly', () => {
    expect(withMarker('failover')).toEqual(ids((id) => id >= 28 && id <= 42));
    expect(withMarker('model')).toEqual(ids((id) => id >= 65 && id <= 76));
  });

  it('marks cost_high exactly where the estimate is above $0.10', () => {
    expect(withMarker('cost_high')).toEqual(SCENARIOS.filter((s) => s.estimate.costUsd > 0.1).map((s) => s.id));
    expect(withMarker('cost_high').length).toBeGreaterThan(5);
  });

  it('marks slow the scenarios that clearly exceed two minutes', () => {
    const slow = withMarker('slow');
    for (const id of [8, 21, 24, 40, 41, 42, 55, 70, 77, 79, 83, 84]) expect(slow, `scenario ${id}`).toContain(id);
    for (const id of [1, 11, 51, 53, 85]) expect(slow, `scenario ${id}`).not.toContain(id);
  });

  it('lists markers in the canonical order without duplicates', () => {
    for (const s of SCENARIOS) {
      expect(s.markers).toEqual(MARKERS.filter((m) => s.markers.includes(m)));
    }
  });

  it('spreads the seed cost table so each category sums to it exactly', () => {
    for (const [category, table] of Object.entries(SEED_TABLE)) {
      const specs = SCENARIOS.filter((s) => s.category === category);
      const minutes = specs.reduce((t, s) => t + s.estimate.gpuMinutes, 0);
      const cost = specs.reduce((t, s) => t + s.estimate.costUsd, 0);
      expect(minutes, category).toBeCloseTo(table.gpuMinutes, 6);
      expect(cost, category).toBeCloseTo(table.costUsd, 6);
    }
    expect(SCENARIOS.reduce((t, s) => t + s.estimate.gpuMinutes, 0)).toBeCloseTo(461, 6);
    expect(SCENARIOS.reduce((t, s) => t + s.estimate.costUsd, 0)).toBeCloseTo(7.65, 6);
  });

  it('gives scenarios that rent no GPU a zero estimate and the others a positive one', () => {
    for (const s of SCENARIOS) {
      const rentsGpu = s.markers.includes('real_gpu');
      expect(s.estimate.gpuMinutes > 0, `scenario ${s.id}`).toBe(rentsGpu);
      expect(s.estimate.costUsd > 0, `scenario ${s.id}`).toBe(rentsGpu);
    }
  });

  it('gives every scenario a sane deadline', () => {
    for (const s of SCENARIOS) {
      expect(s.deadlineMinutes).toBeGreaterThanOrEqual(15);
      expect(s.deadlineMinutes).toBeLessThanOrEqual(60);
      expect(s.deadlineMinutes).toBeGreaterThan(s.estimate.gpuMinutes);
    }
  });

  it('fixes the lifecycle slugs, workflow types and defects', () => {
    expect(SCENARIOS.slice(0, 15).map((s) => [s.slug, s.workflowType, s.defect.name])).toEqual(LIFECYCLE);
  });

  it('leaves workflowType out of the scenarios not implemented yet', () => {
    for (const s of SCENARIOS.slice(15)) expect('workflowType' in s, `scenario ${s.id}`).toBe(false);
    expect(JSON.parse(JSON.stringify(SCENARIOS[15]))).not.toHaveProperty('workflowType');
  });

  it('is plain frozen JSON data', () => {
    expect(JSON.parse(JSON.stringify(SCENARIOS))).toEqual(SCENARIOS);
    expect(Object.isFrozen(SCENARIOS)).toBe(true);
    expect(Object.isFrozen(SCENARIOS[0].markers)).toBe(true);
    expect(() => (SCENARIOS[0].markers as string[]).push('slow')).toThrow();
  });

  it('finds scenarios by id and by workflow type', () => {
    expect(scenarioById(7)?.slug).toBe('pause-keeps-data');
    expect(scenarioById(0)).toBeUndefined();
    expect(scenarioById(101)).toBeUndefined();
    expect(scenarioByWorkflowType('destroyBatchScenario')?.id).toBe(15);
    expect(scenarioByWorkflowType('nopeScenario')).toBeUndefined();
  });
});

describe('apportion', () => {
  it('splits a total exactly in the given steps, by weight', () => {
    expect(apportion(10, [1, 1, 1], 1)).toEqual([3.4, 3.3, 3.3]);
    expect(apportion(0.75, [3, 1], 2)).toEqual([0.56, 0.19]);
    const parts = apportion(1.35, [14, 4, 14, 5, 8, 10, 16, 14], 2);
    expect(Math.round(parts.reduce((t, p) => t + p, 0) * 100)).toBe(135);
  });

  it('gives nothing to a zero weight', () => {
    expect(apportion(10, [0, 1, 0], 1)).toEqual([0, 10, 0]);
  });

  it('rejects weights that cannot be split over', () => {
    expect(() => apportion(1, [0, 0], 2)).toThrow(RangeError);
    expect(() => apportion(1, [-1, 2], 2)).toThrow(RangeError);
  });
});
