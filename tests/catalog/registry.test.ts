/**
 * The scenario registry: file names, defineScenario numbers and slugs, export names, the catalog, the worker's
 * workflow exports and the declared defects must all agree (src/catalog/registry-check.ts).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/catalog';
import { checkScenarioRegistry, type ScenarioFile } from '../../src/catalog/registry-check';
import type { ScenarioSpec } from '../../src/catalog/types';
import { DEFECTS } from '../../src/sim/defect-registry';
import * as workerExports from '../../src/workflows';
import { SCENARIO_FILES } from '../../src/workflows/scenarios/manifest';

const defects = Object.values(DEFECTS);
const real = { catalog: SCENARIOS, files: SCENARIO_FILES, workerExports, defects };

/** A fake scenario workflow bound to `id`/`slug`, as defineScenario makes them. */
const fake = (id: number, slug: string) => Object.assign(async () => undefined, { scenario: { id, slug } });

describe('scenario registry', () => {
  it('the repository agrees with itself', () => {
    expect(checkScenarioRegistry(real)).toEqual([]);
  });

  it('the generated scenario index is up to date with the files on disk', () => {
    expect(() =>
      execFileSync(process.execPath, [path.join(__dirname, '../../scripts/index-scenarios.cjs'), '--check'], {
        stdio: 'pipe',
      })
    ).not.toThrow();
  });

  it('every implemented scenario has a file, and every file a catalog entry', () => {
    const implemented = SCENARIOS.filter((s) => s.workflowType).map((s) => s.id);
    const files = SCENARIO_FILES.map((f) => Number(/\/(\d{3})-/.exec(f.file)![1]));
    expect(files.sort((a, b) => a - b)).toEqual(implemented);
  });

  it('fails when a copied file keeps the number of the scenario it was copied from', () => {
    // 016 copied from 008, defineScenario(8, …) left as it was, catalog #16 marked implemented with the new export.
    const copy = fake(8, 'resume-after-long-pause');
    const catalog: ScenarioSpec[] = SCENARIOS.map((s) => (s.id === 16 ? { ...s, workflowType: 'copiedScenario' } : s));
    const files: ScenarioFile[] = [
      ...SCENARIO_FILES,
      { file: `serverless/016-${catalog[15].slug}.ts`, exports: { copiedScenario: copy } },
    ];
    const problems = checkScenarioRegistry({
      ...real,
      catalog,
      files,
      workerExports: { ...workerExports, copiedScenario: copy },
    });
    expect(problems.join('\n')).toMatch(/number 8 disagrees with the file name's 16/);
    expect(problems.join('\n')).toMatch(/scenario #8 is already defined by lifecycle\/008-resume-after-long-pause\.ts/);
    expect(problems.join('\n')).toMatch(/workflow type 'copiedScenario' is bound to scenario #8/);
  });

  it('fails when two files define the same scenario number', () => {
    const twin = fake(1, 'create-rtx-4090');
    const files = [...SCENARIO_FILES, { file: 'lifecycle/001-create-rtx-4090.ts', exports: { twinScenario: twin } }];
    expect(checkScenarioRegistry({ ...real, files }).join('\n')).toMatch(/scenario #1 is already defined/);
  });

  it('fails when a catalog workflow type is not exported by the worker', () => {
    const { createRtx4090Scenario: _dropped, ...rest } = workerExports as Record<string, unknown>;
    expect(checkScenarioRegistry({ ...real, workerExports: rest }).join('\n')).toMatch(
      /workflow type 'createRtx4090Scenario' is not exported by the worker/
    );
  });

  it('fails when an implemented scenario has no defect case', () => {
    const without = defects.filter((d) => d.scenario !== 12);
    expect(checkScenarioRegistry({ ...real, defects: without }).join('\n')).toMatch(
      /#12 'destroy-paused': implemented, but no simulator defect declares it/
    );
  });

  it('fails when the export name disagrees with the catalog', () => {
    const catalog = SCENARIOS.map((s) => (s.id === 3 ? { ...s, workflowType: 'somethingElseScenario' } : s));
    expect(checkScenarioRegistry({ ...real, catalog }).join('\n')).toMatch(
      /catalog's #3 has workflowType 'somethingElseScenario', the file exports 'createCustomImageScenario'/
    );
  });
});
