/**
 * The defect registry: every defect with its scenario and the stable id of the check it breaks, its scope,
 * the activation parser, the purity rule that lets workflow code import it, and the docs table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../src/catalog';
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
const WORKFLOWS = path.join(__dirname, '..', '..', 'src', 'workflows');

/** Whether `code` names check `id`: as a literal, or as a template whose `${…}` parts give its digits (`cycle-${n}`). */
function namesCheck(code: string, id: string): boolean {
  if (code.includes(`'${id}'`)) return true;
  return [...code.matchAll(/`([a-z0-9-]*)\$\{[^}]*\}([a-z0-9-]*)`/g)].some(
    ([, before, after]) =>
      id.length > before.length + after.length &&
      id.startsWith(before) &&
      id.endsWith(after) &&
      /^[a-z0-9]+$/.test(id.slice(before.length, id.length - after.length))
  );
}

/** The code a scenario's checks can come from: its own file, every non-scenario file of its category, the kit. */
function scenarioCode(category: string, id: number): string {
  const own = `${String(id).padStart(3, '0')}-`;
  const dir = path.join(WORKFLOWS, 'scenarios', category);
  const files = [
    ...fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(own) || !/^\d{3}-/.test(f))
      .map((f) => path.join(dir, f)),
    ...fs.readdirSync(path.join(WORKFLOWS, 'kit')).map((f) => path.join(WORKFLOWS, 'kit', f)),
  ];
  return files
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

describe('defect registry', () => {
  it('names each defect with an implemented scenario and a kebab-case check id that scenario checks', () => {
    // Derived, not a hand-kept table: the check id must be a literal the scenario's own code (its file, its
    // category's helpers, or the kit) passes to a check, so a renamed check cannot leave its defect pointing nowhere.
    const problems: string[] = [];
    for (const name of DEFECT_NAMES) {
      const d = DEFECTS[name];
      const spec = scenarioById(d.scenario);
      if (!spec?.workflowType) {
        problems.push(`${name}: scenario ${d.scenario} is not implemented`);
        continue;
      }
      if (!/^[a-z0-9-]+$/.test(d.check)) problems.push(`${name}: check id '${d.check}' is not kebab-case`);
      const code = scenarioCode(spec.category, d.scenario);
      if (!namesCheck(code, d.check))
        problems.push(`${name}: scenario ${d.scenario}'s code never names check '${d.check}'`);
    }
    expect(problems).toEqual([]);
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
