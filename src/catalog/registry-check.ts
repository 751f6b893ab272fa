import type { ScenarioSpec } from './types';

/** A scenario file as the registry sees it: its path under src/workflows/scenarios/ and its exports. */
export interface ScenarioFile {
  /** `lifecycle/001-create-rtx-4090.ts` */
  file: string;
  exports: Record<string, unknown>;
}

/** A declared simulator defect, as far as the registry cares. */
export interface DeclaredDefect {
  name: string;
  scenario: number;
  check: string;
}

interface Bound {
  id: number;
  slug: string;
}

function boundOf(value: unknown): Bound | undefined {
  const meta = (value as { scenario?: Partial<Bound> } | undefined)?.scenario;
  return typeof value === 'function' && typeof meta?.id === 'number' && typeof meta.slug === 'string'
    ? { id: meta.id, slug: meta.slug }
    : undefined;
}

/**
 * Everything that must agree for a scenario to be found by its number and cleaned up under its own labels: the
 * file name (`<category>/NNN-slug.ts`), the `defineScenario(id, slug)` call, the export name, the catalog entry
 * (category, slug, `workflowType`), the worker's workflow exports, and the defect that proves its checks can fail.
 * Returns one line per problem (empty when all agree).
 */
export function checkScenarioRegistry(input: {
  catalog: readonly ScenarioSpec[];
  files: readonly ScenarioFile[];
  /** What the worker registers (the exports of src/workflows/index.ts). */
  workerExports: Record<string, unknown>;
  defects: readonly DeclaredDefect[];
}): string[] {
  const problems: string[] = [];
  const byId = new Map(input.catalog.map((s) => [s.id, s]));
  const claimed = new Map<number, string>();

  const catalogIds = new Set<number>();
  for (const spec of input.catalog) {
    if (catalogIds.has(spec.id)) problems.push(`catalog: scenario #${spec.id} is listed twice`);
    catalogIds.add(spec.id);
  }

  for (const { file, exports } of input.files) {
    const m = /^([a-z]+)\/(\d{3})-([a-z0-9-]+)\.ts$/.exec(file);
    const scenarios = Object.entries(exports).flatMap(([name, value]) => {
      const bound = boundOf(value);
      return bound ? [{ name, ...bound }] : [];
    });
    if (!m) {
      problems.push(`${file}: a scenario file is named <category>/NNN-slug.ts`);
      continue;
    }
    if (scenarios.length !== 1) {
      problems.push(`${file}: defines ${scenarios.length} scenarios with defineScenario, expected exactly 1`);
      continue;
    }
    const [category, num, slug] = [m[1], Number(m[2]), m[3]];
    const s = scenarios[0];
    const where = `${file} (export ${s.name} = defineScenario(${s.id}, '${s.slug}'))`;
    if (s.id !== num) problems.push(`${where}: number ${s.id} disagrees with the file name's ${num}`);
    if (s.slug !== slug) problems.push(`${where}: slug '${s.slug}' disagrees with the file name's '${slug}'`);
    const earlier = claimed.get(s.id);
    if (earlier) problems.push(`${where}: scenario #${s.id} is already defined by ${earlier}`);
    claimed.set(s.id, file);
    const spec = byId.get(s.id);
    if (!spec) {
      problems.push(`${where}: the catalog has no scenario #${s.id}`);
      continue;
    }
    if (spec.slug !== s.slug) problems.push(`${where}: the catalog's #${s.id} is '${spec.slug}'`);
    if (spec.category !== category) problems.push(`${where}: the catalog puts #${s.id} in category '${spec.category}'`);
    if (spec.workflowType !== s.name) {
      problems.push(
        `${where}: the catalog's #${s.id} has workflowType ${spec.workflowType ? `'${spec.workflowType}'` : 'unset'}, the file exports '${s.name}'`
      );
    }
    if (input.workerExports[s.name] !== exports[s.name]) {
      problems.push(`${where}: the worker does not register '${s.name}' (is src/workflows/scenarios/index.ts stale?)`);
    }
  }

  for (const spec of input.catalog) {
    if (!spec.workflowType) continue;
    const registered = boundOf(input.workerExports[spec.workflowType]);
    if (!registered) {
      problems.push(
        `catalog #${spec.id} '${spec.slug}': workflow type '${spec.workflowType}' is not exported by the worker`
      );
    } else if (registered.id !== spec.id) {
      problems.push(
        `catalog #${spec.id} '${spec.slug}': workflow type '${spec.workflowType}' is bound to scenario #${registered.id}`
      );
    }
    if (!claimed.has(spec.id))
      problems.push(`catalog #${spec.id} '${spec.slug}': implemented, but no scenario file defines it`);
    const own = input.defects.filter((d) => d.scenario === spec.id);
    if (own.length === 0) {
      problems.push(
        `catalog #${spec.id} '${spec.slug}': implemented, but no simulator defect declares it (no defect case)`
      );
    }
    if (!own.some((d) => d.name === spec.defect.name)) {
      problems.push(
        `catalog #${spec.id} '${spec.slug}': its defect '${spec.defect.name}' is not declared for scenario #${spec.id}`
      );
    }
  }
  for (const d of input.defects) {
    const spec = byId.get(d.scenario);
    if (!spec?.workflowType) problems.push(`defect '${d.name}': scenario #${d.scenario} is not implemented`);
    if (!/^[a-z0-9-]+$/.test(d.check))
      problems.push(`defect '${d.name}': check id '${d.check}' is not a stable kebab-case id`);
  }
  return problems;
}
