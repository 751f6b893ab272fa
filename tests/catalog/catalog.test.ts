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
import { defectColumn } from '../../src/client/commands/list';
import { DEFECTS, isDefectName } from '../../src/sim/defect-registry';

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

/**
 * The lifecycle scenarios' slugs and workflow types: workflow types are started by name (`temporal workflow start
 * --type …`, schedules), so renaming one is a breaking change this list makes visible. Defects are not listed here:
 * they come from the simulator's registry and are checked against it below.
 */
const LIFECYCLE_TYPES: Record<string, string> = {
  'create-rtx-4090': 'createRtx4090Scenario',
  'create-cheapest-rtx-3080': 'createCheapestRtx3080Scenario',
  'create-custom-image': 'createCustomImageScenario',
  'create-multi-gpu': 'createMultiGpuScenario',
  'create-in-region-eu': 'createInRegionEuScenario',
  'pause-resume': 'pauseResumeScenario',
  'pause-keeps-data': 'pauseKeepsDataScenario',
  'resume-after-long-pause': 'resumeAfterLongPauseScenario',
  'pause-resume-cycles': 'pauseResumeCyclesScenario',
  'pause-during-process': 'pauseDuringProcessScenario',
  'destroy-running': 'destroyRunningScenario',
  'destroy-paused': 'destroyPausedScenario',
  'destroy-cleans-storage': 'destroyCleansStorageScenario',
  'recreate-same-offer': 'recreateSameOfferScenario',
  'destroy-batch': 'destroyBatchScenario',
};

const IMPLEMENTED = SCENARIOS.filter((s) => s.workflowType !== undefined);
const PLANNED = SCENARIOS.filter((s) => s.workflowType === undefined);

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

  it('keeps the lifecycle slugs and workflow types people start by name', () => {
    const lifecycle = SCENARIOS.filter((s) => s.category === 'lifecycle');
    expect(Object.fromEntries(lifecycle.map((s) => [s.slug, s.workflowType]))).toEqual(LIFECYCLE_TYPES);
  });

  it('names, for every implemented scenario, a defect the simulator declares for it, with the check it breaks', () => {
    expect(IMPLEMENTED.length).toBeGreaterThan(0);
    for (const s of IMPLEMENTED) {
      const name = s.defect.name;
      expect(isDefectName(name), `#${s.id} '${s.slug}': defect '${name}' is not in the registry`).toBe(true);
      if (!isDefectName(name)) continue;
      const declared = DEFECTS[name];
      expect(declared.scenario, `#${s.id}: '${name}' is declared for scenario #${declared.scenario}`).toBe(s.id);
      expect(declared.check, `#${s.id}: '${name}' names no check id`).toMatch(KEBAB);
      // The catalog carries the registry's words, not a copy that can drift.
      expect(s.defect).toEqual({ name, description: declared.description, check: declared.check });
    }
  });

  it('gives every declared defect an implemented scenario of the catalog', () => {
    for (const d of Object.values(DEFECTS)) {
      expect(scenarioById(d.scenario)?.workflowType, `defect '${d.name}' → #${d.scenario}`).toBeDefined();
    }
  });

  it('leaves workflowType and a check id out of the scenarios not implemented yet', () => {
    expect(IMPLEMENTED.length + PLANNED.length).toBe(SCENARIOS.length);
    for (const s of PLANNED) {
      expect('workflowType' in s, `scenario ${s.id}`).toBe(false);
      expect(s.defect.check, `scenario ${s.id}`).toBeUndefined();
    }
    if (PLANNED.length > 0) expect(JSON.parse(JSON.stringify(PLANNED[0]))).not.toHaveProperty('workflowType');
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

describe('dumont-e2e list', () => {
  it("names the defects of an implemented scenario with the check id each breaks, the catalog's first", () => {
    for (const s of IMPLEMENTED) {
      const column = defectColumn(s);
      expect(column.startsWith(`${s.defect.name} [${s.defect.check}]`), `#${s.id}: ${column}`).toBe(true);
      for (const d of Object.values(DEFECTS).filter((x) => x.scenario === s.id)) {
        expect(column).toContain(`${d.name} [${d.check}]`);
      }
    }
    for (const s of PLANNED) expect(defectColumn(s)).toBe('');
  });
});
